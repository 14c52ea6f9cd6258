package io.tinysparse.search;

/**
 * Counters of a search, for progress reports and for proving that the hard constraint works.
 * All counts are cumulative since the search started (they survive save and restore).
 *
 * @param asked             candidates handed out by {@code ask}
 * @param told              results received by {@code tell}
 * @param feasibilityChecks calls of the {@link FeasibilityCheck}
 * @param repaired          genomes that were infeasible and made feasible by the {@link Repair}
 * @param rejectedInfeasible genomes that were infeasible even after repair and were discarded
 *                          (resampled); none of them was ever handed out
 * @param duplicates        generated genomes discarded because they had been asked before
 */
public record SearchStats(long asked, long told, long feasibilityChecks, long repaired,
        long rejectedInfeasible, long duplicates) {
    /** All zero. */
    public static final SearchStats ZERO = new SearchStats(0, 0, 0, 0, 0, 0);

    /**
     * Generated genomes the SRAM budget ruled out, never trained: the repaired ones (made into
     * feasible ones) and the discarded ones.
     */
    public long infeasible() {
        return repaired + rejectedInfeasible;
    }
}
