package io.tinysparse.search;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A serialisable snapshot of a {@link Searcher}: configuration, round, random-generator state,
 * pending and outstanding candidates, counters. Implementations are immutable records; the JSON
 * carries a {@code "searcher"} type name, registered by
 * {@code io.tinysparse.search.state.SearchCheckpoint}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "searcher")
public interface SearcherState {
    /** Cumulative counters at the time of the snapshot. */
    SearchStats stats();
}
