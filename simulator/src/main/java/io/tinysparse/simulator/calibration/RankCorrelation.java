package io.tinysparse.simulator.calibration;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Spearman's rank correlation: Pearson's correlation of the ranks, tied values sharing their
 * average rank. In [-1, 1]; +1 when both orders agree, -1 when one reverses the other.
 */
public final class RankCorrelation {
    private RankCorrelation() {}

    /**
     * Spearman's rho of two paired samples of equal length (at least 2, finite values). NaN when
     * either sample is constant (no order to compare).
     */
    public static double spearman(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("need two samples of equal length >= 2, got " + a.length + " and "
                    + b.length);
        }
        return pearson(ranks(a), ranks(b));
    }

    /** 1-based ranks of {@code x} in increasing order, ties given the mean of their ranks. */
    static double[] ranks(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("rank of a non-finite value " + v);
            }
        }
        Integer[] order = IntStream.range(0, x.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
        double[] r = new double[x.length];
        for (int i = 0; i < order.length;) {
            int j = i;
            while (j + 1 < order.length && x[order[j + 1]] == x[order[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }

    private static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }
}
