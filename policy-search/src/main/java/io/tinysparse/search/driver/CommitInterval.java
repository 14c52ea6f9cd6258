package io.tinysparse.search.driver;

import io.tinysparse.core.InvalidInputException;
import java.time.Duration;
import java.util.Locale;

/**
 * How often a steady-state search commits: once {@code results} results have been told since
 * the last commit, or once {@code time} has passed since it with at least one result told,
 * whichever comes first. Each commit is one generation partition of the search (its number is
 * the commit's sequence number), atomic like a generation's; a killed search loses at most what
 * was told since its last commit, and resumes from it.
 *
 * @param results results told between commits at most, >= 1 ({@code --commit-every})
 * @param time    time between commits at most while results arrive, > 0 ({@code --commit-seconds})
 */
public record CommitInterval(int results, Duration time) {
    /** Default of {@code --commit-every}. */
    public static final int DEFAULT_RESULTS = 20;
    /** Default of {@code --commit-seconds}. */
    public static final double DEFAULT_SECONDS = 60;

    public CommitInterval {
        if (results < 1) {
            throw new InvalidInputException("--commit-every " + results + " must be >= 1");
        }
        if (time == null || time.isNegative() || time.isZero()) {
            throw new InvalidInputException("--commit-seconds " + time + " must be > 0");
        }
    }

    /** The interval of {@code --commit-every results --commit-seconds seconds}; bad input naming the value otherwise. */
    public static CommitInterval of(int results, double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new InvalidInputException("--commit-seconds " + String.format(Locale.ROOT, "%s", seconds)
                    + " must be a positive number of seconds");
        }
        return new CommitInterval(results, Duration.ofNanos(Math.max(1, Math.round(seconds * 1e9))));
    }
}
