package io.tinysparse.search;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What a searcher searches: the space, the objectives, the hard constraint with its repair,
 * and how to draw random points. The constraint, repair and sampler are code (the memory model,
 * the policy structure), so they are not part of a searcher's saved state; the same problem
 * must be supplied again to resume.
 *
 * @param space       the genome space
 * @param mode        objectives to optimise
 * @param feasibility hard constraint checked before any candidate is handed out
 * @param repair      applied to infeasible offspring before resampling them
 * @param sampler     random genomes for initial populations and random search
 * @param canonical   maps a genome to the one representative of the genomes that stand for the
 *                    same point (for policies: a selection gene that selects nothing, because
 *                    every updated layer takes all its channels, set to the first selection), so
 *                    that no run is spent twice on one policy; must be pure and idempotent
 */
public record SearchProblem(GenomeSpace space, ObjectiveMode mode, FeasibilityCheck feasibility, Repair repair,
        GenomeSampler sampler, UnaryOperator<Genome> canonical) {
    public SearchProblem {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(feasibility, "feasibility");
        Objects.requireNonNull(repair, "repair");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(canonical, "canonical");
    }

    /** A problem in which every genome is its own representative. */
    public SearchProblem(GenomeSpace space, ObjectiveMode mode, FeasibilityCheck feasibility, Repair repair,
            GenomeSampler sampler) {
        this(space, mode, feasibility, repair, sampler, UnaryOperator.identity());
    }

    /** A problem that samples every gene uniformly. */
    public SearchProblem(GenomeSpace space, ObjectiveMode mode, FeasibilityCheck feasibility, Repair repair) {
        this(space, mode, feasibility, repair, GenomeSampler.uniform(space));
    }

    /** An unconstrained problem over {@code space}. */
    public static SearchProblem unconstrained(GenomeSpace space, ObjectiveMode mode) {
        return new SearchProblem(space, mode, FeasibilityCheck.ALWAYS, Repair.NONE);
    }
}
