package io.tinysparse.search.pareto;

import java.util.Arrays;

/**
 * NSGA-II's crowding distance (Deb et al. 2002): for each point of a front, the sum over
 * objectives of the normalised gap between its two neighbours along that objective; the
 * extreme points of every objective get {@link Double#POSITIVE_INFINITY} so they are always
 * kept. A larger distance means a less crowded point, preferred when a front must be cut.
 *
 * <p>Ties along an objective are broken by position in the front, so the result is
 * deterministic for a deterministic input order.
 */
public final class CrowdingDistance {
    private CrowdingDistance() {}

    /**
     * Crowding distance of each member of {@code front} (indices into {@code objectives}),
     * returned in the same order as {@code front}.
     */
    public static double[] of(double[][] objectives, int[] front) {
        int n = front.length;
        double[] distance = new double[n];
        if (n <= 2) {
            Arrays.fill(distance, Double.POSITIVE_INFINITY);
            return distance;
        }
        int m = objectives[front[0]].length;
        Integer[] order = new Integer[n];
        for (int k = 0; k < m; k++) {
            final int obj = k;
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            // Arrays.sort on objects is stable: equal values keep front order.
            Arrays.sort(order, (a, b) -> Double.compare(objectives[front[a]][obj], objectives[front[b]][obj]));
            double min = objectives[front[order[0]]][obj];
            double max = objectives[front[order[n - 1]]][obj];
            distance[order[0]] = Double.POSITIVE_INFINITY;
            distance[order[n - 1]] = Double.POSITIVE_INFINITY;
            double span = max - min;
            if (span == 0) {
                continue;
            }
            for (int i = 1; i < n - 1; i++) {
                distance[order[i]] += (objectives[front[order[i + 1]]][obj]
                        - objectives[front[order[i - 1]]][obj]) / span;
            }
        }
        return distance;
    }
}
