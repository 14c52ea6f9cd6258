package io.tinysparse.search.sampling;

import io.tinysparse.core.InvalidInputException;

/**
 * Configuration of a {@link GridSearcher}.
 *
 * @param maxCandidates how many feasible points to hand out at most, at least 1
 *                      ({@link Long#MAX_VALUE} for the whole grid)
 */
public record GridConfig(long maxCandidates) {
    public GridConfig {
        if (maxCandidates < 1) {
            throw new InvalidInputException("maxCandidates must be >= 1, got " + maxCandidates);
        }
    }

    /** The whole grid. */
    public static GridConfig all() {
        return new GridConfig(Long.MAX_VALUE);
    }
}
