package io.tinysparse.search.contribution;

import io.tinysparse.core.InvalidInputException;
import java.util.Arrays;

/**
 * Exact multiple-choice knapsack by dynamic programming over Pareto lists (the
 * Nemhauser-Ullmann scheme): pick one option from every group so that the summed value is
 * largest with the summed cost within a capacity. After each group the DP keeps only the
 * (cost, value) pairs that no other pair beats in both, so the list stays small when costs
 * repeat; unlike a DP over a cost grid it needs no rounding of costs (bytes here, possibly
 * fractional) and returns the whole cost-value trade-off, not just the optimum.
 *
 * <p>Worst case the list holds one entry per distinct reachable cost, so time is
 * O(groups x options x list size x log); for a policy space (tens of layers, five ratios, a
 * 256 KB budget) that is milliseconds.
 */
public final class MultipleChoiceKnapsack {
    private MultipleChoiceKnapsack() {}

    /**
     * The Pareto frontier of (total cost, total value) over all feasible choices.
     *
     * @param costs    {@code costs[g][o]}: cost of option {@code o} of group {@code g}
     * @param values   {@code values[g][o]}: its value; {@link Double#NaN} marks an option that
     *                 may not be chosen
     * @param capacity largest admissible total cost
     */
    public static Frontier solve(double[][] costs, double[][] values, double capacity) {
        if (costs.length != values.length) {
            throw new InvalidInputException("knapsack has " + costs.length + " cost groups but "
                    + values.length + " value groups");
        }
        int groups = costs.length;
        int[][] prev = new int[groups][];
        int[][] option = new int[groups][];
        double[] cost = {0};
        double[] value = {0};
        for (int g = 0; g < groups; g++) {
            if (costs[g].length != values[g].length) {
                throw new InvalidInputException("knapsack group " + g + " has " + costs[g].length
                        + " costs but " + values[g].length + " values");
            }
            int n = cost.length * costs[g].length;
            double[] c = new double[n];
            double[] v = new double[n];
            int[] from = new int[n];
            int[] opt = new int[n];
            int m = 0;
            for (int o = 0; o < costs[g].length; o++) {
                if (Double.isNaN(values[g][o])) {
                    continue;
                }
                for (int s = 0; s < cost.length; s++) {
                    double total = cost[s] + costs[g][o];
                    if (total <= capacity) {
                        c[m] = total;
                        v[m] = value[s] + values[g][o];
                        from[m] = s;
                        opt[m] = o;
                        m++;
                    }
                }
            }
            Integer[] order = new Integer[m];
            for (int i = 0; i < m; i++) {
                order[i] = i;
            }
            // Cost ascending, value descending, then (state, option) for a deterministic pick.
            Arrays.sort(order, (a, b) -> c[a] != c[b] ? Double.compare(c[a], c[b])
                    : v[a] != v[b] ? Double.compare(v[b], v[a])
                    : from[a] != from[b] ? Integer.compare(from[a], from[b]) : Integer.compare(opt[a], opt[b]));
            int kept = 0;
            double best = Double.NEGATIVE_INFINITY;
            int[] keep = new int[m];
            for (int idx : order) {
                if (v[idx] > best) {
                    best = v[idx];
                    keep[kept++] = idx;
                }
            }
            double[] nc = new double[kept];
            double[] nv = new double[kept];
            prev[g] = new int[kept];
            option[g] = new int[kept];
            for (int i = 0; i < kept; i++) {
                nc[i] = c[keep[i]];
                nv[i] = v[keep[i]];
                prev[g][i] = from[keep[i]];
                option[g][i] = opt[keep[i]];
            }
            cost = nc;
            value = nv;
        }
        return new Frontier(cost, value, prev, option);
    }

    /**
     * The non-dominated (cost, value) pairs, cost and value both strictly ascending with the
     * index, each with the choice that reaches it.
     */
    public static final class Frontier {
        private final double[] cost;
        private final double[] value;
        private final int[][] prev;
        private final int[][] option;

        private Frontier(double[] cost, double[] value, int[][] prev, int[][] option) {
            this.cost = cost;
            this.value = value;
            this.prev = prev;
            this.option = option;
        }

        /** Number of pairs (0 when no choice fits). */
        public int size() {
            return cost.length;
        }

        /** Total cost of pair {@code i}. */
        public double cost(int i) {
            return cost[i];
        }

        /** Total value of pair {@code i}; the last pair is the optimum. */
        public double value(int i) {
            return value[i];
        }

        /** The option chosen in each group for pair {@code i}. */
        public int[] choice(int i) {
            int groups = prev.length;
            int[] choice = new int[groups];
            int s = i;
            for (int g = groups - 1; g >= 0; g--) {
                choice[g] = option[g][s];
                s = prev[g][s];
            }
            return choice;
        }
    }
}
