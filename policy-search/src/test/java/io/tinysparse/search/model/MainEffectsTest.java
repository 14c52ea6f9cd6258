package io.tinysparse.search.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainEffectsTest {
    @Test
    void recoversALinearFunctionAndExtrapolatesIt() {
        SplitMix64 rng = new SplitMix64(7);
        List<double[]> rows = new ArrayList<>();
        double[] y = new double[40];
        for (int i = 0; i < y.length; i++) {
            double[] x = {rng.nextInt(31), rng.nextInt(5), rng.nextDouble() * 256};
            rows.add(x);
            y[i] = 0.3 + 0.004 * x[0] - 0.01 * x[1] + 0.0005 * x[2];
        }
        MainEffects m = MainEffects.fit(rows, y, 1e-9);
        double[] outside = {40, 7, 300};
        assertEquals(0.3 + 0.004 * 40 - 0.07 + 0.15, m.predict(outside), 1e-6);
    }

    @Test
    void addsEffectsMeasuredOneAtATimeWhichAForestCannot() {
        // Two layers measured alone, each above the base: together they should be predicted higher still.
        List<double[]> rows = List.of(new double[] {0, 0}, new double[] {4, 0}, new double[] {0, 4},
                new double[] {2, 0}, new double[] {0, 2});
        double[] y = {0.30, 0.40, 0.36, 0.35, 0.33};
        double both = MainEffects.fit(rows, y, 0.05).predict(new double[] {4, 4});
        assertTrue(both > 0.40 + 0.03, "additive prediction of both layers: " + both);
        double forest = SurrogateForest.fit(new String[] {"a", "b"}, rows, y, 16, 8, 1).predict(new double[] {4, 4})
                .mean();
        assertTrue(forest <= 0.40 + 1e-12, "a forest predicts no more than the best it has seen: " + forest);
    }

    @Test
    void aFeatureThatNeverVariesIsIgnored() {
        List<double[]> rows = List.of(new double[] {1, 5}, new double[] {2, 5}, new double[] {3, 5});
        double[] y = {0.1, 0.2, 0.3};
        MainEffects m = MainEffects.fit(rows, y, 1e-6);
        assertEquals(m.predict(new double[] {2, 5}), m.predict(new double[] {2, 50}), 0);
    }

    @Test
    void theRidgePenaltyShrinksTowardsTheMean() {
        List<double[]> rows = List.of(new double[] {0}, new double[] {1});
        double[] y = {0.2, 0.4};
        double loose = MainEffects.fit(rows, y, 1e-9).predict(new double[] {1});
        double tight = MainEffects.fit(rows, y, 100).predict(new double[] {1});
        assertEquals(0.4, loose, 1e-6);
        assertTrue(tight > 0.3 && tight < 0.31, "shrunk to about the mean: " + tight);
    }

    @Test
    void refusesBadInput() {
        List<double[]> rows = List.<double[]>of(new double[] {1});
        assertThrows(InvalidInputException.class, () -> MainEffects.fit(rows, new double[] {1}, 0));
        assertThrows(InvalidInputException.class, () -> MainEffects.fit(rows, new double[] {1, 2}, 1));
        assertThrows(InvalidInputException.class, () -> MainEffects.fit(List.of(), new double[0], 1));
        assertThrows(InvalidInputException.class, () -> MainEffects.fit(rows, new double[] {1}, 1)
                .predict(new double[] {1, 2}));
    }
}
