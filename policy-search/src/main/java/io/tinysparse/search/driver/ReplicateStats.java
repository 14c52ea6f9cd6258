package io.tinysparse.search.driver;

import io.tinysparse.core.stats.MeanInterval;
import io.tinysparse.core.stats.StudentT;
import java.util.List;

/**
 * Summary of one policy's replicate runs (same policy, same budget, different replicate seeds):
 * count, mean, sample standard deviation, and the half-width of the two-sided 95 % Student-t
 * confidence interval of the mean. Accuracies are fractions in [0, 1].
 *
 * @param n         replicates, at least 1
 * @param mean      mean
 * @param sd        sample standard deviation (n - 1 in the denominator); 0 for one replicate
 * @param halfWidth t(0.975, n - 1) * sd / sqrt(n); infinite for one replicate (no interval)
 */
public record ReplicateStats(int n, double mean, double sd, double halfWidth) {
    /** The statistics of {@code values} (not empty). */
    public static ReplicateStats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no replicate values");
        }
        MeanInterval m = MeanInterval.of(values.stream().mapToDouble(Double::doubleValue).toArray());
        return m.n() == 1 ? new ReplicateStats(1, m.mean(), 0, Double.POSITIVE_INFINITY)
                : new ReplicateStats(m.n(), m.mean(), m.sd(), m.halfWidth());
    }

    /** The 97.5 % quantile of Student's t with {@code df} degrees of freedom (df >= 1). */
    public static double tQuantile975(int df) {
        return StudentT.twoSidedQuantile(MeanInterval.COVERAGE, df);
    }

    /** Lower end of the 95 % interval. */
    public double low() {
        return mean - halfWidth;
    }

    /** Upper end of the 95 % interval. */
    public double high() {
        return mean + halfWidth;
    }
}
