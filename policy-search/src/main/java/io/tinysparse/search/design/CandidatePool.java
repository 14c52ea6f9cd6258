package io.tinysparse.search.design;

import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.Genome;
import io.tinysparse.search.GenomeSpace;
import io.tinysparse.search.MemoryCost;
import io.tinysparse.search.SearchProblem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Feasible genomes a searcher chooses among (its initial design, or the candidates its model scores), each with its memory in bytes, in the
 * order they were found (so choices that tie are broken the same way every time).
 *
 * <p>Random genomes come from two generators, alternately, because each alone misses part of
 * the feasible set: the problem's sampler (for a policy space, uniform over valid policies,
 * which piles up at the deepest bias depths: of 20,000 draws for mbv2-w0.35 only 0.2 % fall
 * below depth 10) and uniform genes passed through the problem's repair (which spreads bias
 * depths evenly and lowers ratios until the step fits). Neighbours of given genomes (one gene one
 * step up or down) add the local moves that refine a front.
 *
 * <p>Genomes are kept as their problem's canonical representatives. Only genomes that pass the
 * problem's feasibility check and the {@code admissible} test
 * (not asked before) are kept; the check is not counted in the searcher's statistics, which
 * count candidates handed out.
 */
public final class CandidatePool {
    private final Map<Genome, Double> bytes = new LinkedHashMap<>();
    private final SearchProblem problem;
    private final MemoryCost memory;
    private final Predicate<Genome> admissible;

    /** An empty pool over {@code problem}'s space; {@code admissible} refuses genomes asked before. */
    public CandidatePool(SearchProblem problem, MemoryCost memory, Predicate<Genome> admissible) {
        this.problem = problem;
        this.memory = memory;
        this.admissible = admissible;
    }

    /** Adds up to {@code count} random feasible, admissible genomes (at most {@code attempts} draws each). */
    public CandidatePool addRandom(int count, int attempts, SplitMix64 rng) {
        GenomeSpace space = problem.space();
        for (int i = 0; i < count; i++) {
            for (int a = 0; a < attempts; a++) {
                Genome g = (i + a) % 2 == 0 ? problem.sampler().sample(rng)
                        : problem.repair().repair(space.sample(rng), rng);
                if (offer(g)) {
                    break;
                }
            }
        }
        return this;
    }

    /** Adds every feasible, admissible genome one gene one step away from one of {@code centres}. */
    public CandidatePool addNeighbours(Collection<Genome> centres) {
        GenomeSpace space = problem.space();
        for (Genome c : centres) {
            for (int i = 0; i < c.length(); i++) {
                for (int step = -1; step <= 1; step += 2) {
                    int v = c.gene(i) + step;
                    if (v >= 0 && v < space.cardinality(i)) {
                        offer(c.with(i, v));
                    }
                }
            }
        }
        return this;
    }

    /**
     * Adds {@code proposal} (as its canonical representative) if it is in the space, feasible,
     * admissible and not already in the pool.
     *
     * @return the genome added, or null when it was refused
     */
    public Genome add(Genome proposal) {
        if (!problem.space().contains(proposal)) {
            return null;
        }
        Genome g = problem.canonical().apply(proposal);
        return offer(g) ? g : null;
    }

    /** The pool's genome space. */
    public GenomeSpace space() {
        return problem.space();
    }

    /** Number of values of gene {@code gene} in the pool's space. */
    public int cardinality(int gene) {
        return problem.space().cardinality(gene);
    }

    private boolean offer(Genome proposal) {
        if (!problem.space().contains(proposal)) {
            return false;
        }
        Genome g = problem.canonical().apply(proposal);
        if (bytes.containsKey(g) || !admissible.test(g)
                || !problem.feasibility().isFeasible(g)) {
            return false;
        }
        bytes.put(g, memory.bytes(g));
        return true;
    }

    /** The genomes, in the order found. */
    public List<Genome> genomes() {
        return new ArrayList<>(bytes.keySet());
    }

    /** Memory of {@code g}, bytes; {@code g} must be in the pool. */
    public double bytes(Genome g) {
        return bytes.get(g);
    }

    /** Number of genomes. */
    public int size() {
        return bytes.size();
    }
}
