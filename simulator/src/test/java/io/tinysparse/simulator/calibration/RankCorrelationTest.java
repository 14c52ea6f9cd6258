package io.tinysparse.simulator.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {
    @Test
    void agreeingOrdersGivePlusOneAndReversedOrdersMinusOneWhateverTheScale() {
        assertEquals(1.0, RankCorrelation.spearman(new double[] {0.1, 0.5, 0.9}, new double[] {10, 20, 300}), 1e-12);
        assertEquals(-1.0, RankCorrelation.spearman(new double[] {0.1, 0.5, 0.9}, new double[] {3, 2, 1}), 1e-12);
    }

    @Test
    void oneSwappedPairOfFiveGivesTheTextbookValue() {
        // 1 - 6 * sum d^2 / (n (n^2 - 1)) with d = (0, 0, 0, 1, -1): 1 - 12 / 120 = 0.9.
        assertEquals(0.9, RankCorrelation.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {1, 2, 3, 5, 4}), 1e-12);
    }

    @Test
    void tiesShareTheirAverageRank() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, RankCorrelation.ranks(new double[] {0.1, 0.2, 0.2, 0.7}), 0);
        assertTrue(Double.isNaN(RankCorrelation.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})),
                "a constant sample has no order");
    }

    @Test
    void unequalOrTooShortSamplesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RankCorrelation.spearman(new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> RankCorrelation.spearman(new double[] {1, 2}, new double[] {1, 2, 3}));
    }
}
