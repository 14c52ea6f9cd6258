package io.tinysparse.results;

import io.tinysparse.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How one member of a stored Pareto front is chosen for export, by the front's two objectives:
 * the accuracy the search decided on ({@link #accuracy}: validation accuracy, the mean over
 * replicates; test accuracy only in fronts of searches from before validation existed) and peak
 * SRAM ({@code arena_bytes}).
 *
 * <p>The candidates are the front's members that are not ties ({@code tied_with} null): a tie is
 * dominated in means and listed only because it is within the noise of a member that is a
 * candidate. Ties between candidates are broken by higher accuracy, then fewer bytes, then the
 * lower run id, so a pick is a function of the front alone.
 */
public enum FrontPick {
    /**
     * The knee: with accuracy and bytes each scaled to [0, 1] over the candidates
     * ({@code (v - min) / (max - min)}), the candidate farthest above the straight line through
     * the two extremes (the {@link #MIN_MEMORY} and the {@link #MAX_ACCURACY} candidate), i.e.
     * with the largest signed perpendicular distance, positive on the side of more accuracy for
     * the bytes: where the front bends, the best accuracy gained per byte spent. When no candidate
     * lies above that line (two candidates, or a straight front), every distance is 0 and the tie
     * rule gives the {@link #MAX_ACCURACY} candidate; so does a front whose candidates share one
     * accuracy or one byte count, where the scaling is undefined.
     */
    KNEE("knee"),
    /** The candidate with the highest accuracy. */
    MAX_ACCURACY("max-accuracy"),
    /** The candidate with the fewest bytes. */
    MIN_MEMORY("min-memory");

    /** Distances closer than this, in the unit square, are equal (rounding, not preference). */
    private static final double EPS = 1e-12;

    private final String cliName;

    FrontPick(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line ({@code --pick knee}). */
    public String cliName() {
        return cliName;
    }

    /**
     * Parses a {@link #cliName()}.
     *
     * @throws InvalidInputException naming the value and the known names
     */
    public static FrontPick parse(String name) {
        for (FrontPick p : values()) {
            if (p.cliName.equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new InvalidInputException("--pick '" + name + "' is not one of "
                + Arrays.stream(values()).map(FrontPick::cliName).collect(Collectors.joining(", ")));
    }

    /** The accuracy a member was decided on: validation accuracy, or test accuracy in fronts without it. */
    public static double accuracy(FrontRecord.Member m) {
        return m.validationAccuracy() != null ? m.validationAccuracy() : m.testAccuracy();
    }

    /**
     * The chosen member.
     *
     * @throws IllegalArgumentException for an empty front
     */
    public FrontRecord.Member choose(List<FrontRecord.Member> members) {
        List<FrontRecord.Member> candidates = new ArrayList<>();
        for (FrontRecord.Member m : members) {
            if (m.tiedWith() == null) {
                candidates.add(m);
            }
        }
        if (candidates.isEmpty()) {
            candidates.addAll(members);
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("the front has no member");
        }
        Comparator<FrontRecord.Member> better = Comparator.comparingDouble(FrontPick::accuracy).reversed()
                .thenComparingLong(FrontRecord.Member::arenaBytes).thenComparing(FrontRecord.Member::runId);
        return switch (this) {
            case MAX_ACCURACY -> candidates.stream().min(better).orElseThrow();
            case MIN_MEMORY -> candidates.stream().min(Comparator.comparingLong(FrontRecord.Member::arenaBytes)
                    .thenComparing(better)).orElseThrow();
            case KNEE -> knee(candidates, better);
        };
    }

    private static FrontRecord.Member knee(List<FrontRecord.Member> candidates, Comparator<FrontRecord.Member> better) {
        FrontRecord.Member high = MAX_ACCURACY.choose(candidates);
        FrontRecord.Member low = MIN_MEMORY.choose(candidates);
        double aMin = Double.POSITIVE_INFINITY;
        double aMax = Double.NEGATIVE_INFINITY;
        long mMin = Long.MAX_VALUE;
        long mMax = Long.MIN_VALUE;
        for (FrontRecord.Member m : candidates) {
            aMin = Math.min(aMin, accuracy(m));
            aMax = Math.max(aMax, accuracy(m));
            mMin = Math.min(mMin, m.arenaBytes());
            mMax = Math.max(mMax, m.arenaBytes());
        }
        if (!(aMax > aMin) || mMax == mMin || high == low) {
            return high;
        }
        double aRange = aMax - aMin;
        double mRange = mMax - mMin;
        double x0 = (low.arenaBytes() - mMin) / mRange;
        double y0 = (accuracy(low) - aMin) / aRange;
        double dx = (high.arenaBytes() - mMin) / mRange - x0;
        double dy = (accuracy(high) - aMin) / aRange - y0;
        double length = Math.hypot(dx, dy);
        FrontRecord.Member best = null;
        double bestDistance = Double.NEGATIVE_INFINITY;
        for (FrontRecord.Member m : candidates) {
            double x = (m.arenaBytes() - mMin) / mRange;
            double y = (accuracy(m) - aMin) / aRange;
            // cross product: positive when m lies to the left of low -> high, the side of more accuracy
            double d = (dx * (y - y0) - dy * (x - x0)) / length;
            if (best == null || d > bestDistance + EPS
                    || (Math.abs(d - bestDistance) <= EPS && better.compare(m, best) < 0)) {
                best = m;
                bestDistance = Math.max(d, bestDistance);
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
