package io.tinysparse.jobs;

import io.tinysparse.search.driver.PlannedRun;
import io.tinysparse.search.driver.RunSlots;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The steady-state search's {@link RunSlots} on Spark: each run is its own single-task Spark job,
 * submitted from one of {@code slots} driver threads the moment the search starts it, so a slot
 * that frees up is refilled without waiting for slower runs. Several jobs of one application
 * run at once when submitted from separate threads; under Spark's default FIFO scheduler a
 * one-task job takes a free core as soon as it is submitted, so with at most as many runs in
 * flight as executor cores no run waits for another. The task is the batch evaluator's
 * ({@link RunTask}): broadcast backbones, the executor's cached evaluator and data
 * ({@link ExecutorContext}), a failure reported on one line naming the run
 * ({@link ExecutorRunFailure}).
 *
 * <p>Every job is in one job group, which {@link #close} cancels: a failed or interrupted search
 * leaves no run training behind it.
 */
final class SparkRunSlots implements RunSlots<StoredRun> {
    private static final AtomicInteger GROUPS = new AtomicInteger();

    private final JavaSparkContext jsc;
    private final int slots;
    private final Map<String, Broadcast<byte[]>> backbones;
    private final String searchId;
    private final String dataDir;
    private final String version;
    private final String gitCommit;
    private final String group;
    private final ExecutorService threads;
    private final ExecutorCompletionService<String> finished;
    private final Map<Future<String>, Integer> running = new HashMap<>();

    /**
     * @param slots     runs in flight at most, >= 1
     * @param backbones the serialised backbones the runs fine-tune, by content hash
     * @param dataDir   data directory as executors see it ({@code null}: their default)
     */
    SparkRunSlots(JavaSparkContext jsc, int slots, Map<String, Broadcast<byte[]>> backbones, String searchId,
            String dataDir, String version, String commit) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        this.jsc = jsc;
        this.slots = slots;
        this.backbones = new HashMap<>(backbones);
        this.searchId = searchId;
        this.dataDir = dataDir;
        this.version = version;
        this.gitCommit = commit;
        this.group = "tinysparse-steady-" + searchId + "-" + GROUPS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, "tinysparse-slot-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.finished = new ExecutorCompletionService<>(threads);
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public void submit(PlannedRun run, int generation) {
        if (running.size() == slots) {
            throw new IllegalStateException("all " + slots + " slots are taken; run " + run.runId() + " not started");
        }
        RunTask.requireBroadcast(backbones, run);
        RunTask task = new RunTask(backbones, Map.of(run.runId(), run.fidelity()), Map.of(run.runId(), run.role()),
                searchId, generation, dataDir, version, gitCommit);
        String spec = run.spec().toJson();
        String description = String.format(Locale.ROOT, "search %s commit %d: run %s", searchId, generation,
                run.runId());
        Future<String> f = finished.submit(() -> {
            // Job group and description are thread-local properties of the submitting thread.
            jsc.setJobGroup(group, description, false);
            List<String> json = jsc.parallelize(List.of(spec), 1).map(task).collect();
            return json.get(0);
        });
        running.put(f, generation);
    }

    @Override
    public int inFlight() {
        return running.size();
    }

    @Override
    public StoredRun poll(long timeoutNanos) throws InterruptedException {
        if (running.isEmpty()) {
            throw new IllegalStateException("poll with no run in flight");
        }
        Future<String> f = timeoutNanos == Long.MAX_VALUE ? finished.take()
                : finished.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        if (f == null) {
            return null;
        }
        int generation = running.remove(f);
        try {
            return new StoredRun(RunRecords.fromJson(f.get()));
        } catch (ExecutionException e) {
            throw ExecutorRunFailure.reported(e.getCause(), "commit " + generation);
        }
    }

    @Override
    public void close() {
        if (!running.isEmpty()) {
            jsc.cancelJobGroup(group);
        }
        threads.shutdownNow();
        running.clear();
    }
}
