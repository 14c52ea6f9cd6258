package io.tinysparse.search;

/**
 * The hard constraint of a search, checked analytically before a candidate is handed out
 * (for policies: the memory model against the SRAM budget, plus the space's structural rules).
 * A searcher never returns from {@code ask} a genome for which this is false.
 *
 * <p>Implementations must be pure (same answer for the same genome) and cheap next to one
 * evaluation, since searchers may call them many times per candidate while repairing or
 * resampling. They may be called from one thread only.
 */
@FunctionalInterface
public interface FeasibilityCheck {
    /** Every genome is feasible. */
    FeasibilityCheck ALWAYS = g -> true;

    /** Whether {@code genome} satisfies the hard constraints. */
    boolean isFeasible(Genome genome);
}
