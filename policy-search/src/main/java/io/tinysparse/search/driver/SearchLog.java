package io.tinysparse.search.driver;

import java.util.List;
import java.util.Optional;

/**
 * Where one search's generations are committed and read back for resuming: the warehouse in
 * {@code results}, an in-memory list in tests.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #commit} is atomic and write-once per generation: after a crash, a generation is
 *       either wholly visible (runs, fronts and searcher state) or not at all, and committing a
 *       generation that already exists changes nothing.</li>
 *   <li>{@link #storedRuns} returns every run of the search written so far, so that a resumed
 *       search never trains a stored run again: those it trained and those it reused.</li>
 *   <li>{@link #storedElsewhere} returns runs that other searches stored, so that no run is
 *       trained twice across searches; the driver commits them with the generation that asked
 *       ({@link GenerationCommit#reused}), and the log stores them as that search's runs, with
 *       the search that trained them. A log without other searches finds none.</li>
 *   <li>Commits arrive one at a time, in generation order, from one thread other than the
 *       driver's (the driver overlaps a commit with the next generation's training).</li>
 * </ul>
 *
 * @param <R> the stored run type
 */
public interface SearchLog<R extends RunOutcome> {
    /** The latest committed generation, if the search has one. */
    Optional<SavedSearch> latest();

    /** Every run stored for the search. */
    List<R> storedRuns();

    /**
     * The runs of {@code runs} already stored by other searches (and not by this one), as this
     * search's runs of {@code generation}: the stored outcome, with the id and fidelity of the
     * planned run. Called by the driver before it trains the runs missing from
     * {@link #storedRuns}; a run not returned is trained. At most one outcome per run, for runs
     * of {@code runs} only. A miss costs training time, never correctness: a run that another
     * search is training at the same time may be missed and trained here too (each search then
     * stores its own row), and a damaged store of another search is skipped (its runs trained
     * here), not an error of this search.
     *
     * @param runs distinct runs, none of them in {@link #storedRuns}; not empty
     */
    default List<R> storedElsewhere(int generation, List<PlannedRun> runs) {
        return List.of();
    }

    /**
     * The highest generation number any part of the search's store uses (runs, fronts or the
     * search record), -1 if none. Above the latest commit it marks a commit interrupted after
     * some of its parts were written: those parts are write-once, so a search that cannot
     * recompute exactly the same generation (a steady-state one) numbers its commits after it.
     */
    default int highestGeneration() {
        return latest().map(SavedSearch::generation).orElse(-1);
    }

    /**
     * Commits one generation (see the class contract). Its fresh runs are stored in that
     * generation, whatever generation their outcomes were made under ({@link RunSlots}).
     */
    void commit(GenerationCommit<R> generation);
}
