package io.tinysparse.search.driver;

import io.tinysparse.search.SearchStats;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one generation of a search commits: the runs trained in it, the fronts over every run of
 * the search so far, and the searcher's state to resume from.
 *
 * @param generation 0-based generation number
 * @param finished   whether the searcher has finished with this generation
 * @param configJson the search's configuration
 * @param stateJson  the searcher's checkpoint after this generation
 * @param stats      the searcher's cumulative counters
 * @param startedAt  when the search first started
 * @param updatedAt  when this generation ended
 * @param fresh      runs trained in this generation (not the reused ones)
 * @param fronts     one front per fidelity level over every run of the search, lowest level first
 * @param reference  the dense reference beside the last front (report generation only), or null
 * @param reused     runs this generation took from other searches' stores instead of training
 *                   them ({@link SearchLog#storedElsewhere}): stored with the generation like
 *                   {@code fresh}, recorded as trained by the search that did
 * @param <R>        the stored run type
 */
public record GenerationCommit<R extends RunOutcome>(int generation, boolean finished, String configJson,
        String stateJson, SearchStats stats, Instant startedAt, Instant updatedAt, List<R> fresh,
        List<RunFront<R>> fronts, RunFront.Member<R> reference, List<R> reused) {
    public GenerationCommit {
        Objects.requireNonNull(configJson, "configJson");
        Objects.requireNonNull(stateJson, "stateJson");
        fresh = List.copyOf(fresh);
        fronts = List.copyOf(fronts);
        reused = List.copyOf(reused);
    }

    /** A generation's commit that reused no run of another search. */
    public GenerationCommit(int generation, boolean finished, String configJson, String stateJson, SearchStats stats,
            Instant startedAt, Instant updatedAt, List<R> fresh, List<RunFront<R>> fronts,
            RunFront.Member<R> reference) {
        this(generation, finished, configJson, stateJson, stats, startedAt, updatedAt, fresh, fronts, reference,
                List.of());
    }

    /** A generation's commit without a dense reference that reused no run of another search. */
    public GenerationCommit(int generation, boolean finished, String configJson, String stateJson, SearchStats stats,
            Instant startedAt, Instant updatedAt, List<R> fresh, List<RunFront<R>> fronts) {
        this(generation, finished, configJson, stateJson, stats, startedAt, updatedAt, fresh, fronts, null, List.of());
    }
}
