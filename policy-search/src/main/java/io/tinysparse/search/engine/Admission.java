package io.tinysparse.search.engine;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.FeasibilityCheck;
import io.tinysparse.search.Genome;
import io.tinysparse.search.Repair;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.SearchStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The gate every genome passes before a searcher turns it into a candidate: it must lie in the
 * space, satisfy the hard {@link FeasibilityCheck} (after a {@link Repair} if needed) and, when
 * novelty is tracked, not have been admitted before, so that no run is spent twice and no run
 * is spent on a policy that cannot fit. It counts what it checks, repairs and discards.
 *
 * <p>Not thread-safe; owned by one searcher.
 */
public final class Admission {
    private final SearchProblem problem;
    private final boolean trackSeen;
    private final boolean useRepair;
    private final Set<Genome> seen;
    private long asked;
    private long told;
    private long checks;
    private long repaired;
    private long rejected;
    private long duplicates;

    /**
     * A fresh gate. With {@code trackSeen} it refuses genomes it admitted before; with
     * {@code useRepair} it applies the problem's {@link io.tinysparse.search.Repair} to infeasible
     * proposals (random search does not, to stay uniform over the feasible set).
     */
    public Admission(SearchProblem problem, boolean trackSeen, boolean useRepair) {
        this(problem, trackSeen, useRepair, List.of(), SearchStats.ZERO);
    }

    /** A gate restored from {@link #seenGenomes()} and {@link #stats()}. */
    public Admission(SearchProblem problem, boolean trackSeen, boolean useRepair, Collection<Genome> seenGenomes,
            SearchStats stats) {
        this.problem = problem;
        this.trackSeen = trackSeen;
        this.useRepair = useRepair;
        this.seen = new HashSet<>();
        for (Genome g : seenGenomes) {
            seen.add(problem.space().require(g));
        }
        this.asked = stats.asked();
        this.told = stats.told();
        this.checks = stats.feasibilityChecks();
        this.repaired = stats.repaired();
        this.rejected = stats.rejectedInfeasible();
        this.duplicates = stats.duplicates();
    }

    /** The problem whose constraint this gate enforces. */
    public SearchProblem problem() {
        return problem;
    }

    /**
     * The genome to hand out for {@code proposal}: the proposal itself (its problem's canonical
     * representative) if feasible and new, its repair if that is feasible and new, else
     * {@code null} (counted as rejected or duplicate).
     * An admitted genome is remembered as seen.
     */
    public Genome admit(Genome proposal, SplitMix64 rng) {
        problem.space().require(proposal);
        proposal = problem.canonical().apply(proposal);
        if (trackSeen && seen.contains(proposal)) {
            duplicates++;
            return null;
        }
        Genome g = proposal;
        if (!feasible(g)) {
            if (!useRepair) {
                rejected++;
                return null;
            }
            Genome fixed = problem.repair().repair(g, rng);
            problem.space().require(fixed);
            fixed = problem.canonical().apply(fixed);
            if (fixed.equals(g) || !feasible(fixed)) {
                rejected++;
                return null;
            }
            repaired++;
            if (trackSeen && seen.contains(fixed)) {
                duplicates++;
                return null;
            }
            g = fixed;
        }
        if (trackSeen) {
            seen.add(g);
        }
        return g;
    }

    /**
     * Whether {@code g} may be handed out as it is, without repair or novelty check (for
     * enumerating searchers): it must be its problem's canonical representative (otherwise
     * counted as a duplicate) and feasible (otherwise counted as a rejection).
     */
    public boolean admitExactly(Genome g) {
        problem.space().require(g);
        if (!problem.canonical().apply(g).equals(g)) {
            duplicates++; // another genome stands for the same point and is enumerated too
            return false;
        }
        if (feasible(g)) {
            return true;
        }
        rejected++;
        return false;
    }

    /** Whether the hard constraint holds for {@code g} (counted; no repair, no novelty check). */
    public boolean feasible(Genome g) {
        checks++;
        return problem.feasibility().isFeasible(g);
    }

    /**
     * A new admitted genome drawn from the problem's sampler (rejection sampling, repairs
     * allowed), or {@code null} after {@code maxAttempts} proposals were all refused.
     */
    public Genome sampleNew(SplitMix64 rng, int maxAttempts) {
        for (int i = 0; i < maxAttempts; i++) {
            Genome g = admit(problem.sampler().sample(rng), rng);
            if (g != null) {
                return g;
            }
        }
        return null;
    }

    /** Whether {@code g} has been admitted before (always false without novelty tracking). */
    public boolean hasSeen(Genome g) {
        return seen.contains(g);
    }

    /** Records that {@code n} candidates were handed out. */
    public void countAsked(int n) {
        asked += n;
    }

    /** Records that {@code n} results were received. */
    public void countTold(int n) {
        told += n;
    }

    /** The admitted genomes, sorted, for saving. */
    public List<Genome> seenGenomes() {
        List<Genome> list = new ArrayList<>(seen);
        list.sort(null);
        return list;
    }

    /** The counters so far. */
    public SearchStats stats() {
        return new SearchStats(asked, told, checks, repaired, rejected, duplicates);
    }

    /** Throws unless {@code maxAttempts} is positive (shared validation of searcher configs). */
    public static int requireAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new InvalidInputException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        return maxAttempts;
    }
}
