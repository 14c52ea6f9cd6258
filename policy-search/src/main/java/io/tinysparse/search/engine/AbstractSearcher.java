package io.tinysparse.search.engine;

import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.pareto.FidelityFronts;
import io.tinysparse.search.pareto.ParetoFront;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The ask/tell plumbing shared by the searchers: a {@link CandidateLedger} for ids, queued and
 * outstanding candidates and atomic tells, an {@link Admission} gate for the hard constraint,
 * one {@link SplitMix64} stream, and the per-fidelity Pareto fronts of everything told.
 *
 * <p>A subclass queues candidates (eagerly, a whole round at a time, or lazily in
 * {@link #refill}) and acts on a round's results, sorted by id, in {@link #onRoundComplete};
 * that is what makes the candidate sequence independent of the order and grouping of tells
 * (unless the subclass {@link #actsOnEachTell acts on each tell}).
 */
public abstract class AbstractSearcher implements Searcher {
    protected final SearchProblem problem;
    protected final CandidateLedger ledger;
    protected final Admission admission;
    protected final SplitMix64 rng;
    private final FidelityFronts fronts;

    /**
     * A fresh searcher; {@code trackSeen}: refuse genomes asked before; {@code useRepair}: repair
     * infeasible proposals (see {@link Admission}).
     */
    protected AbstractSearcher(SearchProblem problem, boolean trackSeen, boolean useRepair, long seed) {
        this.problem = problem;
        this.ledger = new CandidateLedger(problem.space());
        this.admission = new Admission(problem, trackSeen, useRepair);
        this.rng = new SplitMix64(seed);
        this.fronts = new FidelityFronts(problem.mode());
    }

    /** A searcher restored from {@link #engineState()}. */
    protected AbstractSearcher(SearchProblem problem, boolean trackSeen, boolean useRepair, EngineState saved) {
        this.problem = problem;
        this.ledger = new CandidateLedger(problem.space(), saved.ledger());
        this.admission = new Admission(problem, trackSeen, useRepair, saved.seen(), saved.stats());
        this.rng = new SplitMix64(saved.rngState());
        this.fronts = new FidelityFronts(problem.mode());
        for (EvaluatedCandidate e : saved.front()) {
            problem.space().require(e.candidate().genome());
            fronts.offer(e);
        }
    }

    @Override
    public final SearchProblem problem() {
        return problem;
    }

    @Override
    public final List<Candidate> ask(int max) {
        if (ledger.queuedCount() == 0) {
            refill(max);
        }
        List<Candidate> out = ledger.take(max);
        admission.countAsked(out.size());
        return out;
    }

    @Override
    public final void tell(Collection<Evaluation> results) {
        ledger.accept(results);
        admission.countTold(results.size());
        if (actsOnEachTell() || ledger.roundComplete()) {
            List<EvaluatedCandidate> round = ledger.drainReceived();
            if (!round.isEmpty()) {
                round.forEach(fronts::offer);
                onRoundComplete(round);
            }
        }
    }

    @Override
    public final List<Candidate> outstanding() {
        return ledger.outstanding();
    }

    @Override
    public final SearchStats stats() {
        return admission.stats();
    }

    @Override
    public boolean isFinished() {
        return ledger.roundComplete() && !hasMoreToPropose();
    }

    /**
     * Pareto fronts, per fidelity, of every result told so far and processed (a round's results
     * join when the round completes). Feasible results only.
     */
    public final FidelityFronts fronts() {
        return fronts;
    }

    /** The shared part of this searcher's state. */
    protected final EngineState engineState() {
        List<EvaluatedCandidate> members = new ArrayList<>();
        for (ParetoFront f : fronts.all().values()) {
            members.addAll(f.members());
        }
        return new EngineState(rng.state(), ledger.snapshot(), admission.seenGenomes(), admission.stats(), members);
    }

    /**
     * Called by {@link #ask} when nothing is queued (candidates may still be outstanding):
     * searchers whose proposals do not depend on results (random, grid) queue up to
     * {@code max} more here. Generational searchers queue a whole round in
     * {@link #onRoundComplete} and do not override this.
     */
    protected void refill(int max) {}

    /**
     * Whether {@link #onRoundComplete} is called after every tell with that tell's results
     * (a steady-state searcher, whose next proposal uses every result at once) rather than
     * once a round's last result is in. Such a searcher's candidates depend on the order and
     * grouping of tells; it must say so.
     */
    protected boolean actsOnEachTell() {
        return false;
    }

    /**
     * A round is complete (or, with {@link #actsOnEachTell}, a tell arrived): act on its
     * results, given sorted by candidate id.
     */
    protected abstract void onRoundComplete(List<EvaluatedCandidate> results);

    /** Whether the searcher may still queue candidates (after pending results are told). */
    protected abstract boolean hasMoreToPropose();
}
