package io.tinysparse.search.sampling;

import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.Genome;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.SearcherState;
import io.tinysparse.search.engine.AbstractSearcher;
import io.tinysparse.search.engine.EngineState;
import java.util.List;

/**
 * Random search: candidates drawn from the problem's {@link io.tinysparse.search.GenomeSampler}
 * (uniform over the space, or over the valid policies of a policy space), restricted to the
 * feasible genomes and without repetition by rejection sampling: a draw that is infeasible or
 * already asked is discarded and counted. The problem's repair is not applied, so the
 * distribution stays the sampler's, conditioned on feasibility. Proposals do not depend on results, so it hands out candidates as fast as
 * they are asked. The baseline every other searcher must beat.
 */
public final class RandomSearcher extends AbstractSearcher {
    private final RandomConfig config;
    private boolean exhausted;

    /** A new search. */
    public RandomSearcher(SearchProblem problem, RandomConfig config) {
        super(problem, true, false, config.seed());
        this.config = config;
    }

    private RandomSearcher(SearchProblem problem, State state) {
        super(problem, true, false, state.engine());
        this.config = state.config();
        this.exhausted = state.exhausted();
    }

    /** Continues the search saved in {@code state}. */
    public static RandomSearcher restore(SearchProblem problem, State state) {
        return new RandomSearcher(problem, state);
    }

    @Override
    protected void refill(int max) {
        long left = config.maxCandidates() - ledger.nextId();
        for (long i = 0; i < Math.min(max, left) && !exhausted; i++) {
            Genome g = admission.sampleNew(rng, config.maxAttempts());
            if (g == null) {
                exhausted = true;
            } else {
                ledger.enqueue(g, Fidelity.BASE);
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
        return !exhausted && ledger.nextId() < config.maxCandidates();
    }

    /** Whether the sampler gave up finding a feasible, new genome. */
    public boolean exhausted() {
        return exhausted;
    }

    @Override
    public State state() {
        return new State(config, exhausted, engineState());
    }

    /**
     * Saved random search.
     *
     * @param config    configuration
     * @param exhausted whether the sampler gave up
     * @param engine    generator, ledger, seen genomes, counters, fronts
     */
    public record State(RandomConfig config, boolean exhausted, EngineState engine) implements SearcherState {
        @Override
        public SearchStats stats() {
            return engine.stats();
        }
    }
}
