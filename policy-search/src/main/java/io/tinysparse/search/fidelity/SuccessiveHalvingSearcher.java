package io.tinysparse.search.fidelity;

import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Genome;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.SearcherState;
import io.tinysparse.search.engine.AbstractSearcher;
import io.tinysparse.search.engine.EngineState;
import io.tinysparse.search.pareto.CrowdedRanking;
import java.util.ArrayList;
import java.util.List;

/**
 * Pareto-aware successive halving over training budget (the multi-objective form of Jamieson
 * and Talwalkar's successive halving, as in Schmucker et al.'s multi-objective Hyperband):
 * many candidates are trained on a small budget; when a rung is complete, its feasible
 * results are ordered by NSGA-II's crowded comparison (non-domination rank, then crowding
 * distance, then id) and the first {@code max(1, floor(n / eta))} are promoted, as new
 * candidates with the same genome, to the next rung's larger budget. Whole non-dominated fronts
 * are promoted before any member of a worse front; within the front that is cut, the less
 * crowded points go first so the promoted set spans the trade-off.
 *
 * <p>Every candidate and result carries its {@link io.tinysparse.search.Fidelity}; results at
 * different rungs are never compared, and {@link #fronts()} keeps one front per fidelity. A
 * result told with a constraint violation is never promoted (its memory does not shrink with
 * more training). Rung-0 genomes are drawn uniformly from the feasible, not yet asked genomes
 * (repairs allowed), so they satisfy the hard constraint before any training.
 */
public final class SuccessiveHalvingSearcher extends AbstractSearcher {
    private final HalvingConfig config;
    private int bracket;
    private int rung;
    private boolean exhausted;

    /** A new search; rung 0 of bracket 0 is sampled immediately. */
    public SuccessiveHalvingSearcher(SearchProblem problem, HalvingConfig config) {
        super(problem, true, true, config.seed());
        this.config = config;
        sampleBracket();
    }

    private SuccessiveHalvingSearcher(SearchProblem problem, State state) {
        super(problem, true, true, state.engine());
        this.config = state.config();
        this.bracket = state.bracket();
        this.rung = state.rung();
        this.exhausted = state.exhausted();
    }

    /** Continues the search saved in {@code state}. */
    public static SuccessiveHalvingSearcher restore(SearchProblem problem, State state) {
        return new SuccessiveHalvingSearcher(problem, state);
    }

    private void sampleBracket() {
        rung = 0;
        for (int i = 0; i < config.initialCandidates(); i++) {
            Genome g = admission.sampleNew(rng, config.maxAttempts());
            if (g == null) {
                exhausted = true;
                break;
            }
            ledger.enqueue(g, config.fidelity(0));
        }
    }

    @Override
    protected void onRoundComplete(List<EvaluatedCandidate> results) {
        if (rung + 1 < config.rungs()) {
            List<EvaluatedCandidate> feasible = new ArrayList<>();
            for (EvaluatedCandidate e : results) {
                if (e.evaluation().isFeasible()) {
                    feasible.add(e);
                }
            }
            int promote = config.promoted(results.size());
            List<EvaluatedCandidate> best = CrowdedRanking.of(feasible, problem.mode()).best(promote);
            if (!best.isEmpty()) {
                rung++;
                for (EvaluatedCandidate e : best) {
                    ledger.enqueue(e.candidate().genome(), config.fidelity(rung));
                }
                return;
            }
        }
        bracket++;
        if (bracket < config.brackets() && !exhausted) {
            sampleBracket();
        }
    }

    @Override
    public long plannedRuns() {
        return Math.max(stats().told(), config.plannedCandidates());
    }

    @Override
    protected boolean hasMoreToPropose() {
        return false; // rungs and brackets are queued eagerly when the previous rung completes
    }

    /** Bracket being run (0-based; equals the bracket count once finished). */
    public int bracket() {
        return bracket;
    }

    /** Rung being evaluated in the current bracket. */
    public int rung() {
        return rung;
    }

    @Override
    public State state() {
        return new State(config, bracket, rung, exhausted, engineState());
    }

    /**
     * Saved successive-halving search.
     *
     * @param config    configuration
     * @param bracket   bracket being run
     * @param rung      rung being evaluated
     * @param exhausted whether the sampler ran out of new feasible genomes
     * @param engine    generator, ledger, seen genomes, counters, per-fidelity fronts
     */
    public record State(HalvingConfig config, int bracket, int rung, boolean exhausted, EngineState engine)
            implements SearcherState {
        @Override
        public SearchStats stats() {
            return engine.stats();
        }
    }
}
