package io.tinysparse.search.sampling;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.engine.Admission;

/**
 * Configuration of a {@link RandomSearcher}.
 *
 * @param seed          seed of the sampler
 * @param maxCandidates how many candidates to hand out in total, at least 1
 * @param maxAttempts   proposals drawn for one candidate before the searcher concludes that
 *                      the feasible, not yet asked part of the space is (practically) exhausted
 */
public record RandomConfig(long seed, long maxCandidates, int maxAttempts) {
    /** Default {@link #maxAttempts}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10_000;

    public RandomConfig {
        if (maxCandidates < 1) {
            throw new InvalidInputException("maxCandidates must be >= 1, got " + maxCandidates);
        }
        Admission.requireAttempts(maxAttempts);
    }

    /** With the default attempt limit. */
    public static RandomConfig of(long seed, long maxCandidates) {
        return new RandomConfig(seed, maxCandidates, DEFAULT_MAX_ATTEMPTS);
    }
}
