package io.tinysparse.jobs;

import io.tinysparse.search.driver.BatchEvaluator;
import io.tinysparse.search.driver.PlannedRun;
import io.tinysparse.simulator.run.RunEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Evaluates a batch in this JVM on {@code threads} threads sharing one {@link RunEvaluator}: the
 * engine-free baseline against which Spark's overhead is measured, and a search without a
 * cluster in tests. Same records as {@link SparkBatchEvaluator}, run for run.
 */
final class LocalBatchEvaluator implements BatchEvaluator<StoredRun> {
    private final RunEvaluator evaluator;
    private final int threads;
    private final String searchId;
    private final String version;
    private final String commit;

    /** @param threads at least 1 */
    LocalBatchEvaluator(RunEvaluator evaluator, int threads, String searchId, String version, String commit) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.evaluator = evaluator;
        this.threads = threads;
        this.searchId = searchId;
        this.version = version;
        this.commit = commit;
    }

    @Override
    public List<StoredRun> evaluate(int generation, List<PlannedRun> runs) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<StoredRun>> futures = new ArrayList<>(runs.size());
            for (PlannedRun p : runs) {
                futures.add(pool.submit(() -> new StoredRun(RunRecords.of(evaluator.evaluate(p.spec()), searchId,
                        generation, p.fidelity(), p.role(), version, commit))));
            }
            List<StoredRun> out = new ArrayList<>(runs.size());
            for (Future<StoredRun> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while evaluating generation " + generation, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("run failed in generation " + generation, e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
