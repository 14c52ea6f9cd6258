package io.tinysparse.search.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.pareto.Hypervolume;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaircaseFrontTest {
    private static final double BUDGET = 1000;

    @Test
    void hypervolumeAgreesWithTheSearchsHypervolumeOnRandomPointSets() {
        SplitMix64 rng = new SplitMix64(5);
        for (int trial = 0; trial < 200; trial++) {
            StaircaseFront f = StaircaseFront.empty(0, BUDGET);
            List<double[]> minimised = new ArrayList<>();
            int n = 1 + rng.nextInt(12);
            for (int i = 0; i < n; i++) {
                double bytes = rng.nextDouble() * BUDGET;
                double acc = rng.nextDouble();
                f = f.with(bytes, acc);
                minimised.add(new double[] {-acc, bytes});
            }
            double expected = Hypervolume.of2d(minimised.toArray(double[][]::new), new double[] {0, BUDGET}) / BUDGET;
            assertEquals(expected, f.normalisedHypervolume(), 1e-12, "trial " + trial);
        }
    }

    @Test
    void certainImprovementIsTheHypervolumeGainedByAddingThePoint() {
        SplitMix64 rng = new SplitMix64(9);
        for (int trial = 0; trial < 200; trial++) {
            StaircaseFront f = StaircaseFront.empty(0, BUDGET);
            for (int i = 0; i < 6; i++) {
                f = f.with(rng.nextDouble() * BUDGET, rng.nextDouble());
            }
            double bytes = rng.nextDouble() * BUDGET;
            double acc = rng.nextDouble();
            double gain = f.with(bytes, acc).normalisedHypervolume() - f.normalisedHypervolume();
            assertEquals(gain, f.expectedImprovement(bytes, acc, 0), 1e-12, "trial " + trial);
        }
    }

    @Test
    void expectedImprovementMatchesMonteCarloOverTheAccuracy() {
        StaircaseFront f = StaircaseFront.empty(0, BUDGET).with(100, 0.3).with(400, 0.5).with(700, 0.62);
        SplitMix64 rng = new SplitMix64(3);
        double bytes = 250;
        double mean = 0.48;
        double sd = 0.07;
        int draws = 400_000;
        double sum = 0;
        for (int i = 0; i < draws; i++) {
            // Box-Muller from the project's generator
            double u1 = Math.max(rng.nextDouble(), 1e-300);
            double a = mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
            sum += f.expectedImprovement(bytes, a, 0);
        }
        double monteCarlo = sum / draws;
        assertEquals(monteCarlo, f.expectedImprovement(bytes, mean, sd), 3e-4);
        assertTrue(f.expectedImprovement(bytes, mean, sd) > f.expectedImprovement(bytes, mean, 0),
                "uncertainty adds value where the mean barely improves");
    }

    @Test
    void dominatedOrOverBudgetPointsChangeNothingAndGainNothingForSure() {
        StaircaseFront f = StaircaseFront.empty(0, BUDGET).with(100, 0.5);
        assertSame(f, f.with(200, 0.4));
        assertSame(f, f.with(BUDGET, 0.9));
        assertEquals(0, f.expectedImprovement(200, 0.4, 0));
        assertEquals(0, f.expectedImprovement(BUDGET, 0.99, 0.1));
        assertEquals(0.5, f.levelAt(150));
        assertEquals(0, f.levelAt(50));
    }

    @Test
    void standardNormalDistributionFunctionAtKnownQuantiles() {
        assertEquals(0.5, StandardNormal.cdf(0), 1e-7);
        assertEquals(0.975002104851780, StandardNormal.cdf(1.96), 2e-7);
        assertEquals(0.0227501319481792, StandardNormal.cdf(-2), 2e-7);
        assertEquals(0.398942280401433, StandardNormal.density(0), 1e-12);
    }
}
