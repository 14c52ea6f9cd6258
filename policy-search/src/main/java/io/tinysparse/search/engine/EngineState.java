package io.tinysparse.search.engine;

import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Genome;
import io.tinysparse.search.SearchStats;
import java.util.List;
import java.util.Objects;

/**
 * The saved part of an {@link AbstractSearcher} that every searcher shares.
 *
 * @param rngState generator state
 * @param ledger   ids, queued and outstanding candidates, results of the current round
 * @param seen     genomes admitted so far (empty when novelty is not tracked), sorted
 * @param stats    counters
 * @param front    members of the per-fidelity Pareto fronts of everything told so far
 */
public record EngineState(long rngState, CandidateLedger.Snapshot ledger, List<Genome> seen, SearchStats stats,
        List<EvaluatedCandidate> front) {
    public EngineState {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(stats, "stats");
        seen = List.copyOf(seen);
        front = List.copyOf(front);
    }
}
