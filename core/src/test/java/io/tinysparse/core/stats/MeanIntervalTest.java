package io.tinysparse.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MeanIntervalTest {
    @Test
    void theTQuantileMatchesPublishedTablesForSmallAndLargeDegreesOfFreedom() {
        // t(0.975, df) to 6 decimals (e.g. NIST/SEMATECH e-Handbook, Table of t critical values).
        assertEquals(12.706205, StudentT.twoSidedQuantile(0.95, 1), 1e-6);
        assertEquals(4.302653, StudentT.twoSidedQuantile(0.95, 2), 1e-6);
        assertEquals(3.182446, StudentT.twoSidedQuantile(0.95, 3), 1e-6);
        assertEquals(2.776445, StudentT.twoSidedQuantile(0.95, 4), 1e-6);
        assertEquals(2.262157, StudentT.twoSidedQuantile(0.95, 9), 1e-6);
        assertEquals(2.045230, StudentT.twoSidedQuantile(0.95, 29), 1e-6);
        assertEquals(1.983972, StudentT.twoSidedQuantile(0.95, 100), 1e-6);
        assertEquals(63.656741, StudentT.twoSidedQuantile(0.99, 1), 1e-5);
    }

    @Test
    void theTwoSidedProbabilityHasTheClosedFormsOfOneAndTwoDegreesOfFreedom() {
        // df 1 is Cauchy: P(|T| <= 1) = 1/2; df 2: P(|T| <= t) = t / sqrt(2 + t^2).
        assertEquals(0.5, StudentT.twoSidedProbability(1, 1), 1e-15);
        assertEquals(3 / Math.sqrt(11), StudentT.twoSidedProbability(3, 2), 1e-15);
        assertEquals(0, StudentT.twoSidedProbability(0, 7), 0);
        assertThrows(IllegalArgumentException.class, () -> StudentT.twoSidedQuantile(0.95, 0));
    }

    @Test
    void theIntervalOfFiveValuesIsTheHandComputedOne() {
        // mean 0.84; deviations ±0.04, ±0.02, 0: sd = sqrt(0.004 / 4) = 0.0316228;
        // half-width = 2.776445 * 0.0141421 = 0.0392649.
        MeanInterval m = MeanInterval.of(new double[] {0.80, 0.82, 0.84, 0.86, 0.88});
        assertEquals(5, m.n());
        assertEquals(0.84, m.mean(), 1e-12);
        assertEquals(Math.sqrt(0.001), m.sd(), 1e-12);
        assertEquals(0.0392649, m.halfWidth(), 1e-6);
        assertEquals(0.84 - 0.0392649, m.low(), 1e-6);
        assertTrue(m.excludesZero());
    }

    @Test
    void oneValueHasAMeanButNoInterval() {
        MeanInterval m = MeanInterval.of(new double[] {0.7});
        assertEquals(0.7, m.mean(), 0);
        assertTrue(Double.isNaN(m.halfWidth()));
        assertFalse(m.excludesZero(), "no interval is never significant");
        assertEquals(0, MeanInterval.of(new double[0]).n());
    }
}
