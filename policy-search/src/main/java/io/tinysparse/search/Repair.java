package io.tinysparse.search;

import io.tinysparse.core.random.SplitMix64;

/**
 * Turns an infeasible genome into a nearby one that may be feasible (for policies: drop weight
 * layers outside the bias range, then lower ratios until the step fits in SRAM). Searchers check
 * the result again and resample if it is still infeasible, so a repair may give up by returning
 * its input. Must draw randomness only from the given generator, so searches stay reproducible.
 */
@FunctionalInterface
public interface Repair {
    /** No repair: infeasible genomes are resampled. */
    Repair NONE = (genome, rng) -> genome;

    /** A genome of the same space, ideally feasible and close to {@code genome}. */
    Genome repair(Genome genome, SplitMix64 rng);
}
