package io.tinysparse.search.driver;

import java.util.Locale;

/** Why a search trains a run (stored with it, so queries can tell the runs apart). */
public enum RunRole {
    /** Asked for by the searcher: its validation accuracy is what the search decides on. */
    SEARCH,
    /** A policy of the final front retrained for the report: another replicate seed, or the whole test split. */
    REPORT,
    /** Dense fine-tuning beside the final front ({@link DenseReference}): reported, never decided on. */
    REFERENCE;

    /** The name stored in the {@code role} column: lower case. */
    public String columnValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
