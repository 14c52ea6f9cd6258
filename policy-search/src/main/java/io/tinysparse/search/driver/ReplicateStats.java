package io.tinysparse.search.driver;

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
    /** t(0.975, df) for df = 1..30 (standard tables). */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    /** The statistics of {@code values} (not empty). */
    public static ReplicateStats of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            throw new IllegalArgumentException("no replicate values");
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n == 1) {
            return new ReplicateStats(1, mean, 0, Double.POSITIVE_INFINITY);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        return new ReplicateStats(n, mean, sd, tQuantile975(n - 1) * sd / Math.sqrt(n));
    }

    /** The 97.5 % quantile of Student's t with {@code df} degrees of freedom (df >= 1). */
    public static double tQuantile975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + df);
        }
        if (df <= T975.length) {
            return T975[df - 1];
        }
        // Beyond the table: the Cornish-Fisher expansion around the normal quantile, error < 1e-4 for df > 30.
        double z = 1.959964;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df);
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
