package io.tinysparse.search.driver;

/**
 * Evaluates runs each on its own, up to {@link #slots()} at once, and hands each outcome back as
 * soon as that run finishes: what a steady-state search ({@link CommitInterval}, the
 * {@link GenerationDriver}'s steady-state mode) needs of an execution engine. {@code jobs}
 * implements it on Spark (one single-task job per run); {@link SimulatedRunSlots} runs in the
 * calling thread on a simulated clock for tests and benchmarks.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #submit} returns at once. At most {@link #slots()} runs are in flight (submitted
 *       and not yet returned by {@link #poll}); the caller never submits a run whose id is in
 *       flight.</li>
 *   <li>{@link #poll} returns the outcome of one finished run, with that run's id and fidelity,
 *       in the order runs finish. An outcome depends only on the run's spec, as with
 *       {@link BatchEvaluator}: which slot ran it, when, and beside which others changes nothing.</li>
 *   <li>A run that fails makes {@link #poll} throw (one line naming the run); the caller then
 *       abandons the search and {@link #close closes} this, which cancels the runs still in
 *       flight and drops their outcomes.</li>
 *   <li>An outcome may name any generation: the {@link SearchLog} stores a run in the commit that
 *       includes it, which is decided after the run finished.</li>
 *   <li>One thread submits and polls.</li>
 * </ul>
 *
 * @param <R> the outcome type the search log stores
 */
public interface RunSlots<R extends RunOutcome> extends AutoCloseable {
    /** Runs that may be in flight at once, >= 1. */
    int slots();

    /**
     * Starts {@code run} and returns at once.
     *
     * @param commit the commit the search is filling when the run starts (for labels; the run
     *               may end up in a later one)
     * @throws IllegalStateException if every slot is taken or the run is in flight already
     */
    void submit(PlannedRun run, int commit);

    /** Runs submitted whose outcome has not been returned yet. */
    int inFlight();

    /**
     * The outcome of the next run to finish, waiting at most {@code timeoutNanos} (on
     * {@link #nanoTime()}'s clock) for it.
     *
     * @param timeoutNanos >= 0; {@link Long#MAX_VALUE} waits as long as it takes
     * @return the outcome, or null if no run finished in time
     * @throws IllegalStateException if nothing is in flight
     */
    R poll(long timeoutNanos) throws InterruptedException;

    /** The clock {@link #poll}'s timeout runs on, in nanoseconds: {@link System#nanoTime()} unless simulated. */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** Cancels the runs in flight (their outcomes are dropped) and releases threads; idempotent. */
    @Override
    void close();
}
