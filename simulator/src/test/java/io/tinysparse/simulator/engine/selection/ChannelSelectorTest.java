package io.tinysparse.simulator.engine.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SelectionStrategy;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChannelSelectorTest {
    private static final LayerTable TABLE = ModelSpec.preset("mbv2-w0.35").layers();
    private static final ConvLayer POINTWISE = TABLE.conv(42); // 56 -> 336
    private static final ConvLayer DEPTHWISE = TABLE.conv(43); // 336 channels

    private static float[] weights(ConvLayer layer, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[(int) layer.weightCount()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return w;
    }

    /** The selector a training run builds for {@code layer} under {@code selection}. */
    private static ChannelSelector create(ChannelSelection selection, ConvLayer layer, float[] weights, int count,
            long seed) {
        return selection.newSelector(new SelectionTarget(layer, weights, count, seed));
    }

    private static int[] select(ChannelSelector s, long iteration) {
        int[] out = new int[s.count()];
        s.select(iteration, out);
        return out;
    }

    private static void assertValid(int[] sel, int channels) {
        for (int i = 0; i < sel.length; i++) {
            assertTrue(sel[i] >= 0 && sel[i] < channels);
            assertTrue(i == 0 || sel[i] > sel[i - 1], "ascending and distinct: " + Arrays.toString(sel));
        }
    }

    @Test
    void magnitudePicksTheLargestSlicesAndMagnitudeMinusTheSmallest() {
        float[] w = weights(POINTWISE, 1);
        // Make channels 3, 10 and 50 the largest and 7 the smallest.
        for (int co = 0; co < 336; co++) {
            w[co * 56 + 3] *= 10;
            w[co * 56 + 10] *= 9;
            w[co * 56 + 50] *= 8;
            w[co * 56 + 7] *= 0.01f;
        }
        ChannelSelector plus = create(ChannelSelection.DEFAULT, POINTWISE, w, 3, 0);
        assertArrayEquals(new int[] {3, 10, 50}, select(plus, 0));
        assertArrayEquals(new int[] {3, 10, 50}, select(plus, 99), "fixed for the whole run");
        assertFalse(plus.dynamic());
        ChannelSelector minus = create(ChannelSelection.of(SelectionStrategy.MAGNITUDE_SMALLEST),
                POINTWISE, w, 1, 0);
        assertArrayEquals(new int[] {7}, select(minus, 0));
    }

    @Test
    void depthwiseMagnitudeUsesEachChannelsFilter() {
        float[] w = weights(DEPTHWISE, 2);
        for (int t = 0; t < 9; t++) {
            w[200 * 9 + t] = 100;
        }
        double[] norms = FixedSelector.sliceNormsSquared(DEPTHWISE, w);
        assertEquals(9 * 100 * 100, norms[200], 1e-6);
        assertArrayEquals(new int[] {200}, select(create(ChannelSelection.DEFAULT, DEPTHWISE, w, 1, 0), 0));
    }

    @Test
    void randomIsAFixedSubsetThatDependsOnTheSeed() {
        float[] w = weights(POINTWISE, 3);
        ChannelSelection random = ChannelSelection.of(SelectionStrategy.RANDOM);
        ChannelSelector a = create(random, POINTWISE, w, 7, 5);
        int[] first = select(a, 0);
        assertValid(first, 56);
        assertArrayEquals(first, select(a, 1000));
        assertArrayEquals(first, select(create(random, POINTWISE, w, 7, 5), 0), "same seed");
        assertNotEquals(Arrays.toString(first), Arrays.toString(select(create(random, POINTWISE, w, 7, 6), 0)));
    }

    @Test
    void dynamicRandomRedrawsEveryPeriodAndKeepsTheSubsetWithinAPeriod() {
        ChannelSelector s = create(ChannelSelection.dynamic(SelectionStrategy.DYNAMIC_RANDOM, 3),
                POINTWISE, weights(POINTWISE, 4), 7, 9);
        assertTrue(s.dynamic());
        int[] w0 = select(s, 0);
        assertArrayEquals(w0, select(s, 1));
        assertArrayEquals(w0, select(s, 2));
        int[] w1 = select(s, 3);
        assertValid(w1, 56);
        assertNotEquals(Arrays.toString(w0), Arrays.toString(w1));
        boolean[] seen = new boolean[56];
        for (int t = 0; t < 300; t++) {
            for (int c : select(s, t)) {
                seen[c] = true;
            }
        }
        for (boolean b : seen) {
            assertTrue(b, "100 draws of 7 of 56 visit every channel");
        }
    }

    @Test
    void cyclicVisitsEveryChannelInCeilOfChannelsOverCountWindows() {
        ChannelSelector s = create(ChannelSelection.dynamic(SelectionStrategy.CYCLIC, 2),
                POINTWISE, weights(POINTWISE, 5), 10, 0);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, select(s, 0));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, select(s, 1));
        assertArrayEquals(new int[] {10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, select(s, 2));
        int[] wrap = select(s, 10); // window 5 starts at 50: 50..55, 0..3
        assertArrayEquals(new int[] {0, 1, 2, 3, 50, 51, 52, 53, 54, 55}, wrap);
        int[] hits = new int[56];
        for (int t = 0; t < 12; t += 2) {
            for (int c : select(s, t)) {
                hits[c]++;
            }
        }
        for (int h : hits) {
            assertTrue(h >= 1, "6 windows of 10 cover 56 channels");
        }
    }

    @Test
    void importancePrefersChannelsWithLargeObservedGradientsButKeepsExploring() {
        ChannelSelection importance = new ChannelSelection(SelectionStrategy.IMPORTANCE, 1, Map.of("temperature", 1.0));
        ChannelSelector s = create(importance, POINTWISE, weights(POINTWISE, 6), 8, 3);
        assertTrue(s.wantsFeedback());
        int slice = 336;
        int[] counts = new int[56];
        float[] gradient = new float[8 * slice];
        for (int t = 0; t < 2000; t++) {
            int[] sel = select(s, t);
            assertValid(sel, 56);
            for (int j = 0; j < 8; j++) {
                // Channels 0..7 have gradients 100x larger than the others.
                Arrays.fill(gradient, j * slice, (j + 1) * slice, sel[j] < 8 ? 1f : 0.01f);
                counts[sel[j]]++;
            }
            s.observe(sel, 8, gradient, slice);
        }
        int important = 0;
        for (int c = 0; c < 8; c++) {
            important += counts[c];
        }
        assertTrue(important > 0.8 * 2000 * 8 * 8 / 56 * 4, "important channels drawn far above uniform: " + important);
        for (int c = 8; c < 56; c++) {
            assertTrue(counts[c] > 0, "exploration floor: channel " + c + " still drawn");
        }
        double[] p = ((ImportanceSelector) s).probabilities();
        assertTrue(p[0] > 20 * p[30]);
        assertTrue(p[30] >= ImportanceSelector.FLOOR / 56 - 1e-12);
    }

    @Test
    void importanceIsUniformBeforeAnyFeedbackAndDeterministicForASeed() {
        ChannelSelection importance = new ChannelSelection(SelectionStrategy.IMPORTANCE, 1, Map.of("temperature", 0.5));
        ImportanceSelector s = (ImportanceSelector) create(importance, POINTWISE,
                weights(POINTWISE, 7), 8, 4);
        for (double p : s.probabilities()) {
            assertEquals(1.0 / 56, p, 1e-12);
        }
        ChannelSelector twin = create(importance, POINTWISE, weights(POINTWISE, 7), 8, 4);
        for (int t = 0; t < 5; t++) {
            assertArrayEquals(select(twin, t), select(s, t));
        }
    }

    @Test
    void everyRegisteredStrategysSelectorKeepsTheSelectorContract() {
        float[] w = weights(POINTWISE, 10);
        float[] gradient = new float[9 * 336];
        Arrays.fill(gradient, 0.5f);
        for (SelectionStrategy strategy : SelectionStrategy.values()) {
            ChannelSelection selection = strategy.dynamic() ? ChannelSelection.dynamic(strategy, 2)
                    : ChannelSelection.of(strategy);
            ChannelSelector s = create(selection, POINTWISE, w, 9, 11);
            ChannelSelector twin = create(selection, POINTWISE, w, 9, 11);
            assertEquals(56, s.channels(), strategy.jsonName());
            assertEquals(9, s.count(), strategy.jsonName());
            assertEquals(strategy.dynamic(), s.dynamic(), strategy.jsonName());
            for (int t = 0; t < 12; t++) {
                int[] sel = select(s, t);
                assertValid(sel, 56);
                assertEquals(9, sel.length);
                assertArrayEquals(sel, select(twin, t), strategy.jsonName() + ": deterministic for a seed");
                if (t % 2 == 1) {
                    assertArrayEquals(select(s, t - 1), sel, strategy.jsonName() + ": kept within a refresh period");
                }
                if (s.wantsFeedback()) {
                    s.observe(sel, 9, gradient, 336);
                    twin.observe(sel, 9, gradient, 336);
                }
            }
        }
    }

    @Test
    void importanceTakesItsTemperatureFromTheSelection() {
        double[] ratio = new double[2];
        double[] temperatures = {0.25, 4};
        for (int k = 0; k < 2; k++) {
            ImportanceSelector s = (ImportanceSelector) create(new ChannelSelection(SelectionStrategy.IMPORTANCE, 1,
                    Map.of("temperature", temperatures[k])), POINTWISE, weights(POINTWISE, 12), 2, 5);
            float[] gradient = {2f, 2f, 1f, 1f};
            s.observe(new int[] {0, 1}, 2, gradient, 2);
            double[] p = s.probabilities();
            ratio[k] = p[0] / p[1]; // mean squared gradients 4 and 1
        }
        assertTrue(ratio[0] > ratio[1], "a lower temperature is greedier: " + Arrays.toString(ratio));
    }

    @Test
    void everyStrategySelectsAllChannelsWhenTheCountIsTheWholeLayer() {
        for (SelectionStrategy strategy : SelectionStrategy.values()) {
            ChannelSelector s = create(ChannelSelection.of(strategy), POINTWISE,
                    weights(POINTWISE, 8), 56, 1);
            int[] all = select(s, 3);
            for (int c = 0; c < 56; c++) {
                assertEquals(c, all[c]);
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> create(ChannelSelection.DEFAULT, POINTWISE, weights(POINTWISE, 8), 57, 1));
    }
}
