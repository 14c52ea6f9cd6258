package io.tinysparse.search;

import java.util.Objects;

/**
 * What a searcher searches: the space, the objectives, and the hard constraint with its repair.
 * The constraint and repair are code (the memory model), so they are not part of a searcher's
 * saved state; the same problem must be supplied again to resume.
 *
 * @param space       the genome space
 * @param mode        objectives to optimise
 * @param feasibility hard constraint checked before any candidate is handed out
 * @param repair      applied to infeasible offspring before resampling them
 */
public record SearchProblem(GenomeSpace space, ObjectiveMode mode, FeasibilityCheck feasibility, Repair repair) {
    public SearchProblem {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(feasibility, "feasibility");
        Objects.requireNonNull(repair, "repair");
    }

    /** An unconstrained problem over {@code space}. */
    public static SearchProblem unconstrained(GenomeSpace space, ObjectiveMode mode) {
        return new SearchProblem(space, mode, FeasibilityCheck.ALWAYS, Repair.NONE);
    }
}
