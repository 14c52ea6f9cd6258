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
 *       search never trains a stored run again.</li>
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
     * Commits one generation (see the class contract). Its fresh runs are stored in that
     * generation, whatever generation their outcomes were made under ({@link RunSlots}).
     */
    void commit(GenerationCommit<R> generation);
}
