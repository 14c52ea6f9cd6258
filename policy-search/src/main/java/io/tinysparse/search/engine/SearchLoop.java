package io.tinysparse.search.engine;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.Searcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Drives a {@link Searcher} in the calling thread: ask a batch, evaluate each candidate, tell
 * the batch, until the search is finished. For in-process use and tests; the Spark jobs
 * evaluate batches on executors instead.
 */
public final class SearchLoop {
    private SearchLoop() {}

    /**
     * Runs {@code searcher} to the end and returns every evaluated candidate, by id.
     *
     * @param batchSize candidates asked at a time, >= 1
     */
    public static List<EvaluatedCandidate> run(Searcher searcher, Function<Candidate, Evaluation> evaluator,
            int batchSize) {
        if (batchSize < 1) {
            throw new InvalidInputException("batch size must be >= 1, got " + batchSize);
        }
        List<EvaluatedCandidate> all = new ArrayList<>();
        while (!searcher.isFinished()) {
            List<Candidate> batch = searcher.ask(batchSize);
            if (batch.isEmpty()) {
                // Every asked candidate is told below, so an empty ask here breaks the contract.
                throw new IllegalStateException("searcher " + searcher.getClass().getSimpleName()
                        + " proposed nothing with nothing outstanding and is not finished");
            }
            List<Evaluation> results = new ArrayList<>(batch.size());
            for (Candidate c : batch) {
                Evaluation e = evaluator.apply(c);
                results.add(e);
                all.add(new EvaluatedCandidate(c, e));
            }
            searcher.tell(results);
        }
        all.sort((a, b) -> Long.compare(a.id(), b.id()));
        return all;
    }
}
