package io.tinysparse.core.stats;

/**
 * The mean of a few replicate values with its two-sided 95 % Student-t confidence interval:
 * {@code mean ± t(0.975, n - 1) * sd / sqrt(n)}, {@code sd} the sample standard deviation
 * ({@code n - 1} in the denominator). Values are in the unit of the input (accuracies as
 * fractions in [0, 1]).
 *
 * @param n         number of values
 * @param mean      their mean (NaN for none)
 * @param sd        sample standard deviation (NaN for fewer than 2 values)
 * @param halfWidth {@code t(0.975, n - 1) * sd / sqrt(n)} (NaN for fewer than 2 values: no interval)
 */
public record MeanInterval(int n, double mean, double sd, double halfWidth) {
    /** Coverage of the interval. */
    public static final double COVERAGE = 0.95;

    /** The mean and interval of {@code values}. */
    public static MeanInterval of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new MeanInterval(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n < 2) {
            return new MeanInterval(n, mean, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        return new MeanInterval(n, mean, sd, StudentT.twoSidedQuantile(COVERAGE, n - 1) * sd / Math.sqrt(n));
    }

    /** Lower end of the interval. */
    public double low() {
        return mean - halfWidth;
    }

    /** Upper end of the interval. */
    public double high() {
        return mean + halfWidth;
    }

    /**
     * Whether the interval excludes 0: for a mean of paired differences, a difference the
     * replicates resolve (false also when there is no interval).
     */
    public boolean excludesZero() {
        return low() > 0 || high() < 0;
    }
}
