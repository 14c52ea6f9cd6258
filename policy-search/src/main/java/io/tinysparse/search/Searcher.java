package io.tinysparse.search;

import java.util.Collection;
import java.util.List;

/**
 * A search over a {@link SearchProblem}, driven from outside by ask and tell, so that a caller
 * (a Spark driver) can evaluate a batch of candidates in parallel and report results in any
 * order.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>ask.</b> {@link #ask(int) ask(max)} returns at most {@code max} new candidates, each
 *       with an id never returned before. Every returned genome lies in the space and satisfies
 *       the problem's {@link FeasibilityCheck}: an infeasible genome is repaired or resampled
 *       (and counted in {@link #stats()}) but never handed out. An empty list means either
 *       that the search {@link #isFinished() is finished}, or that it needs results of
 *       {@link #outstanding() outstanding} candidates before it can propose more (a generation
 *       or rung is incomplete). It never returns an empty list while nothing is outstanding
 *       and the search is not finished.</li>
 *   <li><b>tell.</b> {@link #tell(Collection) tell} takes results of outstanding candidates, in
 *       any order and in any grouping across calls. Each outstanding candidate must be told
 *       exactly once, at the fidelity it was asked at. A result for an unknown id, a second
 *       result for the same id, or a fidelity mismatch is rejected with an
 *       {@link io.tinysparse.core.InvalidInputException} naming the id, and then none of
 *       the results of that call is applied.</li>
 *   <li><b>Determinism.</b> For a given problem, configuration and seed, the sequence of
 *       candidates (ids, genomes, fidelities) is the same whatever the order in which results
 *       arrive and however asks and tells are batched, as long as the told values are the same.
 *       Searchers achieve this by generating a whole round (generation, rung, phase) at once and
 *       by acting on a round's results sorted by candidate id. Exception: a <em>steady-state</em>
 *       searcher (NSGA-II with {@code steadyState}) acts on each tell at once, so its sequence
 *       depends on the order and grouping in which results are told; for a given order and
 *       grouping it is the same.</li>
 *   <li><b>State.</b> {@link #state()} is a snapshot from which
 *       {@code io.tinysparse.search.state.SearchCheckpoint} restores a searcher that continues
 *       exactly as this one would, outstanding candidates included (they must still be told to
 *       the restored searcher). The problem itself (constraint and repair are code) is supplied
 *       again on restore.</li>
 *   <li><b>Threads.</b> Implementations are not thread-safe: one driver thread asks and tells.
 *       </li>
 * </ul>
 */
public interface Searcher {
    /** The problem searched. */
    SearchProblem problem();

    /**
     * Up to {@code max} new candidates to evaluate (see the class contract for what an empty
     * list means).
     *
     * @param max positive
     */
    List<Candidate> ask(int max);

    /** Results of outstanding candidates, in any order (see the class contract). */
    void tell(Collection<Evaluation> results);

    /** Candidates handed out by {@link #ask} whose result has not been told yet, by id. */
    List<Candidate> outstanding();

    /** True when the search will propose nothing more and nothing is outstanding. */
    boolean isFinished();

    /** Cumulative counters: asked, told, feasibility checks, repairs, rejections, duplicates. */
    SearchStats stats();

    /**
     * Candidates this search will have told when it finishes, for progress and ETA: exact for
     * budgeted searchers (random, grid, NSGA-II: their candidate budget) and successive halving
     * (its rung sizes), an upper bound for contribution analysis until its measurements are in
     * (the finalists that coincide with a measurement are not asked again). Never below what is
     * already told.
     */
    long plannedRuns();

    /** A serialisable snapshot of the whole search (configuration included). */
    SearcherState state();
}
