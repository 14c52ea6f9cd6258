package io.tinysparse.search.driver;

import java.util.List;

/**
 * Trains and measures a batch of runs: the one thing a search needs of an execution engine.
 * {@code jobs} implements it on Spark (one task per run); an in-process implementation serves
 * tests and benchmarks.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@code runs} holds distinct run ids; the result holds exactly one outcome per run, with
 *       that run's id and fidelity, in any order.</li>
 *   <li>An outcome depends only on the run's spec (its seed included), never on the batch, the
 *       order or the executor, so a resumed or re-partitioned search gets the same numbers.</li>
 *   <li>A failure of any run fails the call; nothing is returned for the rest.</li>
 * </ul>
 *
 * @param <R> the outcome type the search log stores
 */
public interface BatchEvaluator<R extends RunOutcome> {
    /**
     * Evaluates every run of {@code runs}, which belong to {@code generation} of the search.
     *
     * @param runs distinct runs; may be empty
     */
    List<R> evaluate(int generation, List<PlannedRun> runs);
}
