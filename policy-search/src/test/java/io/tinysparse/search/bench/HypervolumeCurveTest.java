package io.tinysparse.search.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.search.Genome;
import io.tinysparse.search.bench.RunAccounting.CountedRun;
import io.tinysparse.search.pareto.ReferencePoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class HypervolumeCurveTest {
    private static final long B = 1000;
    private final ReferencePoint reference = ReferencePoint.forBudget(B);

    private static CountedRun run(double accuracy, long bytes) {
        return new CountedRun(Genome.of(0), accuracy, bytes, 1);
    }

    @Test
    void hypervolumeAtNIsTheNormalisedAreaDominatedByTheFirstNRuns() {
        List<CountedRun> runs = List.of(run(0.5, B / 2), run(0.8, 3 * B / 4), run(0.9, B / 10));
        double[] hv = HypervolumeCurve.at(runs, new int[] {1, 2, 3}, reference);
        // 1: 0.5 x 0.5. 2: 0.8 x 0.25 + 0.5 x 0.25. 3: the third run dominates both: 0.9 x 0.9.
        assertArrayEquals(new double[] {0.25, 0.325, 0.81}, hv, 1e-12);
    }

    @Test
    void aDominatedOrOverBudgetRunAddsNothing() {
        List<CountedRun> runs = List.of(run(0.5, B / 2), run(0.4, 3 * B / 4), run(0.99, B));
        double[] hv = HypervolumeCurve.at(runs, new int[] {1, 2, 3}, reference);
        assertEquals(hv[0], hv[1]);
        assertEquals(hv[0], hv[2], "a run at the budget itself lies on the reference point");
    }

    @Test
    void aCheckpointBeyondTheTrajectoryIsNotANumber() {
        double[] hv = HypervolumeCurve.at(List.of(run(0.5, B / 2)), new int[] {1, 2}, reference);
        assertEquals(0.25, hv[0], 1e-12);
        assertTrue(Double.isNaN(hv[1]), "a short trajectory is never read as a full one");
        assertThrows(IllegalArgumentException.class, () -> HypervolumeCurve.at(List.of(), new int[] {0}, reference));
    }
}
