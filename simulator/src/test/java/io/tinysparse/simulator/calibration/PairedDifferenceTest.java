package io.tinysparse.simulator.calibration;

import io.tinysparse.core.stats.MeanInterval;
import io.tinysparse.core.stats.StudentT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairedDifferenceTest {
    static CalibrationRun run(String policy, int replicate, long seed, double val, double test) {
        return new CalibrationRun("converged", policy, replicate, seed, val, test, 0.03, 40_320, 140_344, 1000.0, "h",
                policy + replicate, 0.0187, 1.0);
    }

    private static List<CalibrationRun> set(double[] a, double[] b) {
        List<CalibrationRun> runs = new ArrayList<>();
        for (int r = 0; r < a.length; r++) {
            runs.add(run("a", r, 1 + r, a[r], a[r] - 0.01));
            runs.add(run("b", r, 1 + r, b[r], b[r]));
        }
        return runs;
    }

    @Test
    void theMeanDifferenceAndItsIntervalAreThoseOfTheReplicateDifferences() {
        // Differences 0.02, 0.01, 0.03: mean 0.02, sd 0.01, half-width 4.302653 * 0.01 / sqrt(3) = 0.0248414.
        PairedDifference d = PairedDifference.of(set(new double[] {0.90, 0.85, 0.88}, new double[] {0.88, 0.84, 0.85}),
                "a", "b");
        assertEquals(3, d.validation().n());
        assertEquals(0.02, d.validation().mean(), 1e-12);
        assertEquals(0.0248414, d.validation().halfWidth(), 1e-7);
        assertFalse(d.validation().excludesZero(), "[-0.005, 0.045] contains 0: not significant");
        assertEquals(0.01, d.test().mean(), 1e-12);
    }

    @Test
    void pairingResolvesADifferenceTheUnpairedMeansCannot() {
        // The replicates vary by 0.05 together; a leads b by 0.010-0.012 in every replicate.
        double[] a = {0.900, 0.851, 0.812, 0.950, 0.881};
        double[] b = {0.890, 0.840, 0.800, 0.939, 0.870};
        PairedDifference d = PairedDifference.of(set(a, b), "a", "b");
        assertTrue(d.validation().excludesZero(), d.toString());
        assertTrue(d.validation().low() > 0.009, d.toString());
        MeanInterval ma = MeanInterval.of(a);
        MeanInterval mb = MeanInterval.of(b);
        assertTrue(ma.low() < mb.high(), "the two means' intervals overlap");
    }

    @Test
    void aReplicateWithoutAPartnerOfTheSameSeedIsRefused() {
        List<CalibrationRun> runs = new ArrayList<>(set(new double[] {0.9, 0.8}, new double[] {0.8, 0.7}));
        runs.set(3, run("b", 1, 99, 0.7, 0.7));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PairedDifference.of(runs, "a", "b"));
        assertTrue(e.getMessage().contains("replicate 1"), e.getMessage());
        List<CalibrationRun> missing = new ArrayList<>(set(new double[] {0.9, 0.8}, new double[] {0.8, 0.7}));
        missing.remove(3);
        assertThrows(InvalidInputException.class, () -> PairedDifference.of(missing, "a", "b"));
        assertThrows(InvalidInputException.class, () -> PairedDifference.of(missing, "b", "a"));
    }
}
