package io.tinysparse.search.contribution;

import io.tinysparse.core.random.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipleChoiceKnapsackTest {
    @Test
    void frontierEqualsTheBruteForceParetoSetOnRandomInstances() {
        SplitMix64 r = new SplitMix64(77);
        for (int trial = 0; trial < 300; trial++) {
            int groups = 1 + r.nextInt(6);
            double[][] costs = new double[groups][];
            double[][] values = new double[groups][];
            for (int g = 0; g < groups; g++) {
                int options = 1 + r.nextInt(4);
                costs[g] = new double[options];
                values[g] = new double[options];
                for (int o = 0; o < options; o++) {
                    costs[g][o] = r.nextInt(20);
                    // integers, so sums are exact; some negative gains and some forbidden options
                    values[g][o] = r.nextInt(10) == 0 ? Double.NaN : r.nextInt(30) - 5;
                }
            }
            double capacity = r.nextInt(60);
            MultipleChoiceKnapsack.Frontier f = MultipleChoiceKnapsack.solve(costs, values, capacity);
            List<double[]> brute = bruteParetoSet(costs, values, capacity);
            assertEquals(brute.size(), f.size(), "trial " + trial);
            for (int i = 0; i < f.size(); i++) {
                assertEquals(brute.get(i)[0], f.cost(i), "trial " + trial + " point " + i);
                assertEquals(brute.get(i)[1], f.value(i), "trial " + trial + " point " + i);
                int[] choice = f.choice(i);
                double c = 0;
                double v = 0;
                for (int g = 0; g < groups; g++) {
                    c += costs[g][choice[g]];
                    v += values[g][choice[g]];
                }
                assertEquals(f.cost(i), c, "choice reproduces the cost");
                assertEquals(f.value(i), v, "choice reproduces the value");
                if (i > 0) {
                    assertTrue(f.cost(i) > f.cost(i - 1) && f.value(i) > f.value(i - 1));
                }
            }
        }
    }

    /** All (cost, value) of feasible choices, reduced to the non-dominated ones, cost ascending. */
    private static List<double[]> bruteParetoSet(double[][] costs, double[][] values, double capacity) {
        List<double[]> all = new ArrayList<>();
        enumerate(costs, values, 0, 0, 0, capacity, all);
        all.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(b[1], a[1]));
        List<double[]> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (double[] p : all) {
            if (p[1] > best) {
                best = p[1];
                front.add(p);
            }
        }
        return front;
    }

    private static void enumerate(double[][] costs, double[][] values, int g, double c, double v, double capacity,
            List<double[]> out) {
        if (g == costs.length) {
            if (c <= capacity) {
                out.add(new double[] {c, v});
            }
            return;
        }
        for (int o = 0; o < costs[g].length; o++) {
            if (!Double.isNaN(values[g][o])) {
                enumerate(costs, values, g + 1, c + costs[g][o], v + values[g][o], capacity, out);
            }
        }
    }

    @Test
    void emptyWhenNothingFits() {
        assertEquals(0, MultipleChoiceKnapsack.solve(new double[][] {{5, 6}}, new double[][] {{1, 2}}, 4).size());
        MultipleChoiceKnapsack.Frontier none = MultipleChoiceKnapsack.solve(new double[0][], new double[0][], 0);
        assertEquals(1, none.size());
        assertEquals(0.0, none.value(0));
    }
}
