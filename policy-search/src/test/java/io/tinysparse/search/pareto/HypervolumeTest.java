package io.tinysparse.search.pareto;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HypervolumeTest {
    @Test
    void twoDimensionalStaircaseMatchesHandComputation() {
        double[][] pts = {{1, 5}, {3, 3}, {6, 1}};
        // 9*5 + 7*2 + 4*2
        assertEquals(67.0, Hypervolume.of2d(pts, new double[] {10, 10}), 0);
    }

    @Test
    void dominatedDuplicateAndOutOfReferencePointsAddNothing() {
        double[][] pts = {{1, 5}, {3, 3}, {6, 1}, {4, 4}, {3, 3}, {11, 0}, {2, 10}, {10, 0.5}};
        assertEquals(67.0, Hypervolume.of2d(pts, new double[] {10, 10}), 0);
        assertEquals(67.0, Hypervolume.of(pts, new double[] {10, 10}), 0);
    }

    @Test
    void emptySetHasZeroVolume() {
        assertEquals(0.0, Hypervolume.of2d(new double[0][], new double[] {1, 1}));
        assertEquals(0.0, Hypervolume.of3d(new double[0][], new double[] {1, 1, 1}));
    }

    @Test
    void threeDimensionalBoxesMatchInclusionExclusionByHand() {
        double[] ref = {4, 4, 4};
        assertEquals(32.0, Hypervolume.of3d(new double[][] {{0, 0, 2}}, ref), 0);
        assertEquals(40.0, Hypervolume.of3d(new double[][] {{0, 0, 2}, {2, 2, 0}}, ref), 0);
        // 32 + 16 + 9 - 8 - 6 - 6 + 4
        assertEquals(41.0, Hypervolume.of3d(new double[][] {{0, 0, 2}, {2, 2, 0}, {1, 3, 1}}, ref), 0);
        assertEquals(41.0, Hypervolume.of3d(new double[][] {{1, 3, 1}, {2, 2, 0}, {0, 0, 2}}, ref), 0);
    }

    @Test
    void threeDimensionalPointsSharingCoordinatesAreHandledExactly() {
        double[] ref = {4, 4, 4};
        // Same x, different y: the second dominates the first in the projection.
        assertEquals(3 * 2 * 4 + 0.0, Hypervolume.of3d(new double[][] {{1, 2, 0}, {1, 2, 0}}, ref), 0);
        assertEquals(3 * 3 * 4, Hypervolume.of3d(new double[][] {{1, 2, 0}, {1, 1, 0}}, ref), 0);
        assertEquals(3 * 3 * 4, Hypervolume.of3d(new double[][] {{1, 1, 0}, {1, 2, 0}}, ref), 0);
    }

    @Test
    void threeDimensionalWithConstantThirdObjectiveIsAreaTimesHeight() {
        SplitMix64 r = new SplitMix64(5);
        double[][] p2 = new double[30][];
        double[][] p3 = new double[30][];
        for (int i = 0; i < 30; i++) {
            p2[i] = new double[] {r.nextDouble(), r.nextDouble()};
            p3[i] = new double[] {p2[i][0], p2[i][1], 0.25};
        }
        assertEquals(Hypervolume.of2d(p2, new double[] {1, 1}) * 0.75,
                Hypervolume.of3d(p3, new double[] {1, 1, 1}), 1e-12);
    }

    @Test
    void matchesBruteForceGridCountOnRandomIntegerSets() {
        SplitMix64 r = new SplitMix64(2024);
        int side = 12;
        for (int trial = 0; trial < 200; trial++) {
            int dims = 2 + trial % 2;
            int n = 1 + r.nextInt(25);
            double[][] pts = new double[n][dims];
            for (double[] p : pts) {
                for (int k = 0; k < dims; k++) {
                    // up to side+1 so some points lie on or beyond the reference
                    p[k] = r.nextInt(side + 2);
                }
            }
            double[] ref = new double[dims];
            java.util.Arrays.fill(ref, side);
            assertEquals(gridCount(pts, side, dims), Hypervolume.of(pts, ref), 0, "trial " + trial);
        }
    }

    /** Unit cells [c, c+1)^d below the reference dominated by some point. */
    private static long gridCount(double[][] pts, int side, int dims) {
        long count = 0;
        int cells = (int) Math.pow(side, dims);
        int[] c = new int[dims];
        for (int idx = 0; idx < cells; idx++) {
            int rest = idx;
            for (int k = 0; k < dims; k++) {
                c[k] = rest % side;
                rest /= side;
            }
            for (double[] p : pts) {
                boolean dominated = true;
                for (int k = 0; k < dims; k++) {
                    if (p[k] > c[k]) {
                        dominated = false;
                        break;
                    }
                }
                if (dominated) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    @Test
    void rejectsOtherDimensions() {
        assertThrows(InvalidInputException.class, () -> Hypervolume.of(new double[][] {{1}}, new double[] {2}));
        assertThrows(InvalidInputException.class,
                () -> Hypervolume.of(new double[][] {{1, 2}}, new double[] {2, 2, 2}));
    }
}
