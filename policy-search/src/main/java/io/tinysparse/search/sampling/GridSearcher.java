package io.tinysparse.search.sampling;

import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.Genome;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.SearcherState;
import io.tinysparse.search.engine.AbstractSearcher;
import io.tinysparse.search.engine.EngineState;
import java.math.BigInteger;
import java.util.List;

/**
 * Exhaustive search: every point of the space in mixed-radix order (last gene fastest),
 * skipping (and counting) the infeasible ones, up to a candidate limit. Only sensible for small
 * spaces or small sub-spaces, and as the oracle for them.
 */
public final class GridSearcher extends AbstractSearcher {
    private final GridConfig config;
    private BigInteger nextIndex;

    /** A new grid search. */
    public GridSearcher(SearchProblem problem, GridConfig config) {
        super(problem, false, false, 0);
        this.config = config;
        this.nextIndex = BigInteger.ZERO;
    }

    private GridSearcher(SearchProblem problem, State state) {
        super(problem, false, false, state.engine());
        this.config = state.config();
        this.nextIndex = state.nextIndex();
    }

    /** Continues the search saved in {@code state}. */
    public static GridSearcher restore(SearchProblem problem, State state) {
        return new GridSearcher(problem, state);
    }

    @Override
    protected void refill(int max) {
        BigInteger size = problem.space().size();
        int queued = 0;
        while (queued < max && ledger.nextId() < config.maxCandidates() && nextIndex.compareTo(size) < 0) {
            Genome g = problem.space().decode(nextIndex);
            nextIndex = nextIndex.add(BigInteger.ONE);
            if (admission.admitExactly(g)) {
                ledger.enqueue(g, Fidelity.BASE);
                queued++;
            }
        }
    }

    @Override
    protected void onRoundComplete(List<EvaluatedCandidate> results) {
        // Proposals do not depend on results.
    }

    @Override
    public long plannedRuns() {
        return Math.max(stats().told(), config.maxCandidates());
    }

    @Override
    protected boolean hasMoreToPropose() {
        return ledger.nextId() < config.maxCandidates() && nextIndex.compareTo(problem.space().size()) < 0;
    }

    @Override
    public State state() {
        return new State(config, nextIndex, engineState());
    }

    /**
     * Saved grid search.
     *
     * @param config    configuration
     * @param nextIndex mixed-radix index of the next grid point to examine
     * @param engine    ledger, counters, fronts
     */
    public record State(GridConfig config, BigInteger nextIndex, EngineState engine) implements SearcherState {
        @Override
        public SearchStats stats() {
            return engine.stats();
        }
    }
}
