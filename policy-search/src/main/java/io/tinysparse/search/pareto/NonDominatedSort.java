package io.tinysparse.search.pareto;

import java.util.ArrayList;
import java.util.List;

/**
 * Deb's fast non-dominated sort (Deb et al., "A fast and elitist multiobjective genetic
 * algorithm: NSGA-II", IEEE TEC 2002), under constraint domination: points are split into
 * fronts F0, F1, ... where F0 holds the points no other point dominates, F1 those dominated
 * only by points of F0, and so on. O(M N^2) time for N points and M objectives, which is
 * negligible at population sizes (N = 2 x 64 here).
 *
 * <p>Within a front, points keep their input order, so callers get deterministic results by
 * passing points in a deterministic order (searchers pass them by candidate id).
 */
public final class NonDominatedSort {
    private NonDominatedSort() {}

    /**
     * Fronts of the given points, best first; each front is a list of indices into
     * {@code objectives}, ascending.
     *
     * @param objectives  one minimised objective vector per point, all of equal length
     * @param violations  constraint violation per point (0 = feasible), or {@code null} if all
     *                    points are feasible
     */
    public static List<int[]> fronts(double[][] objectives, double[] violations) {
        int n = objectives.length;
        int[] dominatedByCount = new int[n];
        int[][] dominates = new int[n][];
        int[] dominatesSize = new int[n];
        for (int i = 0; i < n; i++) {
            dominates[i] = new int[4];
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int c = violations == null ? Dominance.compare(objectives[i], objectives[j])
                        : Dominance.constrainedCompare(objectives[i], violations[i], objectives[j], violations[j]);
                if (c > 0) {
                    dominates[i] = push(dominates[i], dominatesSize[i]++, j);
                    dominatedByCount[j]++;
                } else if (c < 0) {
                    dominates[j] = push(dominates[j], dominatesSize[j]++, i);
                    dominatedByCount[i]++;
                }
            }
        }
        List<int[]> fronts = new ArrayList<>();
        int[] current = new int[n];
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (dominatedByCount[i] == 0) {
                current[size++] = i;
            }
        }
        while (size > 0) {
            int[] front = java.util.Arrays.copyOf(current, size);
            fronts.add(front);
            int[] next = new int[n];
            int nextSize = 0;
            for (int p : front) {
                for (int k = 0; k < dominatesSize[p]; k++) {
                    int q = dominates[p][k];
                    if (--dominatedByCount[q] == 0) {
                        next[nextSize++] = q;
                    }
                }
            }
            java.util.Arrays.sort(next, 0, nextSize);
            current = next;
            size = nextSize;
        }
        return fronts;
    }

    /** The front index (rank, 0 = best) of every point. */
    public static int[] ranks(double[][] objectives, double[] violations) {
        int[] rank = new int[objectives.length];
        List<int[]> fronts = fronts(objectives, violations);
        for (int r = 0; r < fronts.size(); r++) {
            for (int i : fronts.get(r)) {
                rank[i] = r;
            }
        }
        return rank;
    }

    private static int[] push(int[] a, int size, int v) {
        if (size == a.length) {
            a = java.util.Arrays.copyOf(a, size * 2);
        }
        a[size] = v;
        return a;
    }
}
