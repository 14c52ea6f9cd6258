package io.tinysparse.search.driver;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Commits a search's generations on a thread of their own, one at a time and in order, so that
 * a commit overlaps the training that follows it. A failed commit fails the search: its
 * exception is thrown by the next {@link #submit} or {@link #drain}. Closing waits for the
 * commit in flight, so a successor never races it.
 *
 * @param <R> the stored run type
 */
final class CommitQueue<R extends RunOutcome> implements AutoCloseable {
    private final SearchLog<R> log;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tinysparse-commit");
        t.setDaemon(true);
        return t;
    });
    private Future<?> inFlight;

    CommitQueue(SearchLog<R> log) {
        this.log = log;
    }

    /** Waits for the commit in flight (throwing its failure), then starts committing {@code commit}. */
    void submit(GenerationCommit<R> commit) throws InterruptedException {
        drain();
        inFlight = thread.submit(() -> log.commit(commit));
    }

    /** Waits for the commit in flight; its failure is thrown. */
    void drain() throws InterruptedException {
        if (inFlight == null) {
            return;
        }
        Future<?> f = inFlight;
        inFlight = null;
        try {
            f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("commit failed", e.getCause());
        }
    }

    /** Waits for a commit still in flight, ignoring its failure (the search is failing already), and stops. */
    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        if (inFlight != null) {
            try {
                inFlight.get();
            } catch (ExecutionException ignored) {
                // failing already: the first failure is the one reported
            }
        }
    }
}
