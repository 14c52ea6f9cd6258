package io.tinysparse.search.driver;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest commit of a search, from which it resumes.
 *
 * @param generation the last committed generation
 * @param configJson the configuration the search was started with (a resume must match it)
 * @param stateJson  the searcher's checkpoint after that generation
 * @param startedAt  when the search first started
 */
public record SavedSearch(int generation, String configJson, String stateJson, Instant startedAt) {
    public SavedSearch {
        Objects.requireNonNull(configJson, "configJson");
        Objects.requireNonNull(stateJson, "stateJson");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
