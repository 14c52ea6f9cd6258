package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.driver.CommitInterval;
import picocli.CommandLine.Option;

/**
 * The options of a search without a generation barrier ({@code @Mixin SteadyStateOptions steady;}):
 * whether it is one, its slots and how often it commits, each default declared here once and
 * checked by {@link #check} before Spark starts.
 */
final class SteadyStateOptions {
    @Option(names = "--steady-state", description = "No generation barrier: whenever a slot frees up the searcher is"
            + " asked for the next candidate and its run starts at once, so slow runs do not idle the others (nsga2"
            + " becomes steady-state NSGA-II). Each run's result is the same as in a generational search; the"
            + " candidates asked depend on the order results arrive (see README). Default: generational.")
    boolean enabled;

    @Option(names = "--slots", paramLabel = "N", description = "With --steady-state: runs in flight at once"
            + " (default: Spark's default parallelism, i.e. the executor cores).")
    Integer slots;

    @Option(names = "--commit-every", paramLabel = "N", description = "With --steady-state: commit after N results"
            + " (default: " + CommitInterval.DEFAULT_RESULTS + ").")
    Integer commitEvery;

    @Option(names = "--commit-seconds", paramLabel = "S", description = "With --steady-state: commit at least every"
            + " S seconds while results arrive (default: " + (long) CommitInterval.DEFAULT_SECONDS + ").")
    Double commitSeconds;

    /**
     * The commit interval of a steady-state search, or null for a generational one; bad input
     * naming the value for a slot count or interval out of range, or one given without
     * {@code --steady-state}.
     */
    CommitInterval check() {
        if (!enabled) {
            String given = slots != null ? "--slots " + slots : commitEvery != null ? "--commit-every " + commitEvery
                    : commitSeconds != null ? "--commit-seconds " + commitSeconds : null;
            if (given != null) {
                throw new InvalidInputException(given + " applies only to a search with --steady-state");
            }
            return null;
        }
        if (slots != null && slots < 1) {
            throw new InvalidInputException("--slots " + slots + " must be >= 1");
        }
        return CommitInterval.of(commitEvery == null ? CommitInterval.DEFAULT_RESULTS : commitEvery,
                commitSeconds == null ? CommitInterval.DEFAULT_SECONDS : commitSeconds);
    }

    /** The slots of a steady-state search: {@code --slots}, else {@code defaultParallelism}. */
    int slots(int defaultParallelism) {
        return slots != null ? slots : Math.max(1, defaultParallelism);
    }
}
