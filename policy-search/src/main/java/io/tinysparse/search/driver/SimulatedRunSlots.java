package io.tinysparse.search.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * {@link RunSlots} in the calling thread on a simulated clock: a discrete-event simulation of
 * {@code slots} workers. A run submitted at simulated time {@code t} finishes at
 * {@code t + duration(run)}; {@link #poll} advances the clock to the earliest finish (ties in
 * submission order) and computes that run's outcome then. So the order in which results arrive
 * is set entirely by the durations given, with no threads and no waiting: deterministic, for
 * tests of a steady-state search and for simulating one on an in-process evaluator.
 *
 * @param <R> the outcome type
 */
public final class SimulatedRunSlots<R extends RunOutcome> implements RunSlots<R> {
    private record Running(PlannedRun run, long finishesAt, long order) {}

    private final int slots;
    private final Function<PlannedRun, R> outcome;
    private final ToLongFunction<PlannedRun> durationNanos;
    private final List<Running> running = new ArrayList<>();
    private final List<String> started = new ArrayList<>();
    private long now;
    private long submissions;

    /**
     * @param slots         runs in flight at most, >= 1
     * @param outcome       a run's outcome, computed when it finishes (a thrown exception is the run's failure)
     * @param durationNanos a run's simulated duration in nanoseconds, >= 0
     */
    public SimulatedRunSlots(int slots, Function<PlannedRun, R> outcome, ToLongFunction<PlannedRun> durationNanos) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        this.slots = slots;
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.durationNanos = Objects.requireNonNull(durationNanos, "durationNanos");
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public void submit(PlannedRun run, int commit) {
        if (running.size() == slots) {
            throw new IllegalStateException("all " + slots + " slots are taken; run " + run.runId() + " not started");
        }
        if (running.stream().anyMatch(r -> r.run().runId().equals(run.runId()))) {
            throw new IllegalStateException("run " + run.runId() + " is in flight already");
        }
        long d = durationNanos.applyAsLong(run);
        if (d < 0) {
            throw new IllegalArgumentException("negative duration " + d + " for run " + run.runId());
        }
        running.add(new Running(run, now + d, submissions++));
        started.add(run.runId());
    }

    @Override
    public int inFlight() {
        return running.size();
    }

    @Override
    public R poll(long timeoutNanos) {
        if (running.isEmpty()) {
            throw new IllegalStateException("poll with no run in flight");
        }
        Running next = running.get(0);
        for (Running r : running) {
            if (r.finishesAt() < next.finishesAt()
                    || (r.finishesAt() == next.finishesAt() && r.order() < next.order())) {
                next = r;
            }
        }
        if (next.finishesAt() - now > timeoutNanos) {
            now += timeoutNanos;
            return null;
        }
        now = Math.max(now, next.finishesAt());
        running.remove(next);
        return outcome.apply(next.run());
    }

    /** Simulated nanoseconds since this was made. */
    @Override
    public long nanoTime() {
        return now;
    }

    /** Run ids in the order they were submitted. */
    public List<String> started() {
        return List.copyOf(started);
    }

    @Override
    public void close() {
        running.clear();
    }
}
