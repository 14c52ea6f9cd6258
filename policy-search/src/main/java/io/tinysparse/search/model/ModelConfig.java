package io.tinysparse.search.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.contribution.ContributionLayout;
import io.tinysparse.search.engine.Admission;

/**
 * Configuration of a {@link ModelSearcher}.
 *
 * @param seed          seed of the searcher's generator (design, candidate pools, forests)
 * @param maxCandidates evaluation budget: candidates handed out in total, >= 1
 * @param budgetBytes   the memory budget, bytes, > 0: the right edge of the hypervolume box the
 *                      acquisition improves (accuracy 0 to 1, memory 0 to this)
 * @param initialDesign candidates of the first design handed out before the surrogate is used,
 *                      >= 1 (cut to {@code maxCandidates}): the {@link
 *                      io.tinysparse.search.design.ContributionDesign contribution design} when
 *                      {@code layout} is given, then the memory-stratified space-filling design
 *                      for the rest
 * @param trees         trees of the surrogate forest, >= 2
 * @param poolSize      random feasible genomes scored per proposal, besides the neighbours of
 *                      the front, >= 1
 * @param maxAttempts   draws allowed per pool genome before the pool is taken as it is, >= 1
 * @param layout        where bias depth and layer ratios sit in the genome, for the contribution
 *                      design; null for a space-filling design only (as searches saved before it
 *                      existed were started)
 * @param additive      the surrogate is {@link MainEffects} plus a forest of their residuals, not
 *                      a forest alone (absent, read as false, in searches saved before it
 *                      existed)
 */
public record ModelConfig(long seed, long maxCandidates, double budgetBytes, int initialDesign, int trees,
        int poolSize, int maxAttempts, @JsonInclude(JsonInclude.Include.NON_NULL) ContributionLayout layout,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean additive) {
    /** Default surrogate size. */
    public static final int DEFAULT_TREES = 32;
    /** Default pool of random genomes scored per proposal. */
    public static final int DEFAULT_POOL = 512;
    /** Default design size. */
    public static final int DEFAULT_DESIGN = 12;

    public ModelConfig {
        additive = Boolean.TRUE.equals(additive);
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

    /** Defaults: a space-filling design of 12, 32 trees, pools of 512, 200 attempts. */
    public static ModelConfig of(long seed, long maxCandidates, double budgetBytes) {
        return new ModelConfig(seed, maxCandidates, budgetBytes, DEFAULT_DESIGN, DEFAULT_TREES, DEFAULT_POOL, 200,
                null, false);
    }

    /** The defaults with a contribution design over {@code layout} first and an additive surrogate. */
    public static ModelConfig of(long seed, long maxCandidates, double budgetBytes, ContributionLayout layout) {
        return new ModelConfig(seed, maxCandidates, budgetBytes, DEFAULT_DESIGN, DEFAULT_TREES, DEFAULT_POOL, 200,
                layout, true);
    }
}
