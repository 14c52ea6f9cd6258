package io.tinysparse.datasets.catalog;

import io.tinysparse.core.InvalidInputException;
import java.util.Locale;

/**
 * The splits a dataset's files come in. A validation split is not a file: it is drawn from
 * train with {@link io.tinysparse.datasets.sampling.StratifiedSampler#split}.
 */
public enum Split {
    TRAIN,
    TEST;

    /** Lowercase name, as on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code train} or {@code test} (any case). */
    public static Split parse(String s) {
        for (Split split : values()) {
            if (split.id().equalsIgnoreCase(s == null ? "" : s.strip())) {
                return split;
            }
        }
        throw new InvalidInputException("unknown split '" + s + "', expected train or test");
    }
}
