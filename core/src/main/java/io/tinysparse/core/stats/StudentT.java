package io.tinysparse.core.stats;

/**
 * Quantiles of Student's t distribution with an integer number of degrees of freedom, computed
 * (not tabulated) from the closed form of {@code P(|T| <= t)} for integer {@code df}
 * (Abramowitz and Stegun 26.7.3-4: with {@code theta = atan(t / sqrt(df))}, a finite series in
 * {@code cos^2 theta}), inverted by bisection to below 1e-12.
 */
public final class StudentT {
    private StudentT() {}

    /**
     * {@code P(|T| <= t)} for {@code t >= 0} and {@code df >= 1} degrees of freedom.
     *
     * @throws IllegalArgumentException for {@code df < 1} or a negative or NaN {@code t}
     */
    public static double twoSidedProbability(double t, int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + df);
        }
        if (!(t >= 0)) {
            throw new IllegalArgumentException("t must be >= 0, got " + t);
        }
        if (Double.isInfinite(t)) {
            return 1;
        }
        double theta = Math.atan(t / Math.sqrt(df));
        double c2 = Math.cos(theta) * Math.cos(theta);
        double s = Math.sin(theta);
        double sum = 1;
        double term = 1;
        if (df % 2 == 1) {
            // 1 + 2/3 c^2 + (2*4)/(3*5) c^4 + ... up to c^(df-3)
            for (int k = 2; k <= df - 3; k += 2) {
                term *= c2 * k / (k + 1);
                sum += term;
            }
            return df == 1 ? 2 * theta / Math.PI : 2 / Math.PI * (theta + s * Math.cos(theta) * sum);
        }
        // 1 + 1/2 c^2 + (1*3)/(2*4) c^4 + ... up to c^(df-2)
        for (int k = 1; k <= df - 3; k += 2) {
            term *= c2 * k / (k + 1);
            sum += term;
        }
        return s * sum;
    }

    /**
     * The {@code t} with {@code P(|T| <= t) = coverage}: the multiplier of a two-sided interval
     * ({@code coverage} 0.95 gives t(0.975, df), 2.776 for df 4).
     *
     * @throws IllegalArgumentException for {@code df < 1} or {@code coverage} outside (0, 1)
     */
    public static double twoSidedQuantile(double coverage, int df) {
        if (!(coverage > 0 && coverage < 1)) {
            throw new IllegalArgumentException("coverage must be in (0, 1), got " + coverage);
        }
        double lo = 0;
        double hi = 1;
        while (twoSidedProbability(hi, df) < coverage) {
            hi *= 2;
        }
        while (hi - lo > 1e-13 * hi) {
            double mid = 0.5 * (lo + hi);
            if (twoSidedProbability(mid, df) < coverage) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
