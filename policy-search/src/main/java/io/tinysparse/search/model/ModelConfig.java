package io.tinysparse.search.model;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.engine.Admission;

/**
 * Configuration of a {@link ModelSearcher}.
 *
 * @param seed          seed of the searcher's generator (design, candidate pools, forests)
 * @param maxCandidates evaluation budget: candidates handed out in total, >= 1
 * @param budgetBytes   the memory budget, bytes, > 0: the right edge of the hypervolume box the
 *                      acquisition improves (accuracy 0 to 1, memory 0 to this)
 * @param initialDesign candidates of the memory-stratified space-filling design handed out
 *                      before the surrogate is used, >= 1 (cut to {@code maxCandidates})
 * @param trees         trees of the surrogate forest, >= 2
 * @param poolSize      random feasible genomes scored per proposal, besides the neighbours of
 *                      the front, >= 1
 * @param maxAttempts   draws allowed per pool genome before the pool is taken as it is, >= 1
 */
public record ModelConfig(long seed, long maxCandidates, double budgetBytes, int initialDesign, int trees,
        int poolSize, int maxAttempts) {
    /** Default surrogate size. */
    public static final int DEFAULT_TREES = 32;
    /** Default pool of random genomes scored per proposal. */
    public static final int DEFAULT_POOL = 512;
    /** Default design size. */
    public static final int DEFAULT_DESIGN = 12;

    public ModelConfig {
        if (maxCandidates < 1) {
            throw new InvalidInputException("maxCandidates must be >= 1, got " + maxCandidates);
        }
        if (!(budgetBytes > 0) || Double.isInfinite(budgetBytes)) {
            throw new InvalidInputException("budgetBytes must be finite and > 0, got " + budgetBytes);
        }
        if (initialDesign < 1) {
            throw new InvalidInputException("initialDesign must be >= 1, got " + initialDesign);
        }
        if (trees < 2) {
            throw new InvalidInputException("trees must be >= 2, got " + trees);
        }
        if (poolSize < 1) {
            throw new InvalidInputException("poolSize must be >= 1, got " + poolSize);
        }
        Admission.requireAttempts(maxAttempts);
    }

    /** Defaults: a design of 12, 32 trees, pools of 512, 200 attempts. */
    public static ModelConfig of(long seed, long maxCandidates, double budgetBytes) {
        return new ModelConfig(seed, maxCandidates, budgetBytes, DEFAULT_DESIGN, DEFAULT_TREES, DEFAULT_POOL, 200);
    }
}
