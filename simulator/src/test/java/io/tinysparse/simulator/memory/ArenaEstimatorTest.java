package io.tinysparse.simulator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.PublishedSchemes;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArenaEstimatorTest {
    private static final ModelSpec MBV2 = ModelSpec.preset("mbv2-w0.35");
    private static final LayerTable T = MBV2.layers();
    private static final ArenaEstimator ARENA = new ArenaEstimator(T, ArenaConfig.DEFAULT);
    private static final Lin2022Estimator LIN = new Lin2022Estimator(T);
    private static final double[] RATIOS = {0.125, 0.25, 0.5, 1.0};

    /** Random valid policies: bias depth 0..51, up to 8 weight layers with ratios or counts. */
    static List<SparseUpdatePolicy> randomPolicies(long seed, int count) {
        Random rnd = new Random(seed);
        SelectionStrategy[] strategies = SelectionStrategy.values();
        List<SparseUpdatePolicy> out = new ArrayList<>();
        while (out.size() < count) {
            int bias = rnd.nextInt(T.convCount() + 1);
            List<WeightUpdate> ws = new ArrayList<>();
            int first = T.convCount() - bias;
            for (int i = first; i < T.convCount() && bias > 0; i++) {
                if (rnd.nextInt(4) == 0) {
                    int cin = T.conv(i).inChannels();
                    double r = RATIOS[rnd.nextInt(4)];
                    ws.add(rnd.nextBoolean() && r * cin >= 1 ? WeightUpdate.ratio(i, r)
                            : WeightUpdate.channels(i, 1 + rnd.nextInt(cin)));
                }
            }
            out.add(new SparseUpdatePolicy(bias, ws, ChannelSelection.of(strategies[rnd.nextInt(strategies.length)]),
                    rnd.nextInt(5) > 0));
        }
        return out;
    }

    /** What the arena holds for backward when the backward pass starts, in its own precision and alignment. */
    static long savedForBackward(SparseUpdatePolicy p) {
        int n = T.convCount();
        long bytes = 0;
        for (int i = p.firstBiasLayer(n); i < n; i++) {
            ConvLayer c = T.conv(i);
            bytes += aligned(c.outputElements(), 1) + aligned(c.outChannels(), 32);
            WeightUpdate w = p.weightUpdate(i);
            if (w != null) {
                int ch = w.channelsOf(c.inChannels());
                int resident = p.selection().strategy().dynamic() ? c.inChannels() : ch;
                bytes += aligned(ch * c.inputPlane(), 8) + aligned(resident * c.weightsPerInputChannel(), 8);
            }
        }
        if (p.trainClassifier()) {
            bytes += aligned(T.classifier().params(), 32) + aligned(T.classifier().inFeatures(), 8);
        }
        return bytes;
    }

    private static long aligned(long elements, int bits) {
        return ((elements * bits + 7) / 8 + 3) / 4 * 4;
    }

    @Test
    void arenaIsNeverBelowWhatItSavesForBackwardNorBelowTheLinFormula() {
        for (SparseUpdatePolicy p : randomPolicies(7, 400)) {
            long peak = ARENA.peakBytes(p);
            assertTrue(peak >= savedForBackward(p), p.describe() + ": " + peak + " < saved " + savedForBackward(p));
            assertTrue(peak >= LIN.peakBytes(p), p.describe() + ": " + peak + " < lin2022 " + LIN.peakBytes(p));
        }
    }

    @Test
    void everyBufferIsFreedExceptTheResidentTrainedState() {
        for (SparseUpdatePolicy p : randomPolicies(11, 200)) {
            int resident = p.weights().size() + p.biasLayers() + (p.trainClassifier() ? 1 : 0);
            assertEquals(resident, ARENA.allocationsAndLive(p)[1], p.describe());
        }
        ArenaEstimator withMomentum = new ArenaEstimator(T, ArenaConfig.DEFAULT.withMomentum(true));
        SparseUpdatePolicy p = PublishedSchemes.mbv2W035At99kB();
        assertEquals(2 * (8 + 25 + 1), withMomentum.allocationsAndLive(p)[1]);
    }

    @Test
    void peakGrowsWithEveryRatio() {
        for (int layer : new int[] {27, 36, 42, 48, 49, 50}) {
            long prevArena = -1;
            long prevLin = -1;
            for (double r : RATIOS) {
                SparseUpdatePolicy p = SparseUpdatePolicy.of(25, List.of(WeightUpdate.full(33), WeightUpdate.ratio(layer, r)));
                long arena = ARENA.peakBytes(p);
                long lin = LIN.peakBytes(p);
                assertTrue(arena >= prevArena, "arena, layer " + layer + " ratio " + r);
                assertTrue(lin > prevLin, "lin2022, layer " + layer + " ratio " + r);
                prevArena = arena;
                prevLin = lin;
            }
        }
    }

    @Test
    void peakGrowsWithDepth() {
        List<WeightUpdate> ws = List.of(WeightUpdate.ratio(48, 0.5), WeightUpdate.full(50));
        long prevArena = -1;
        long prevLin = -1;
        for (int k = 3; k <= T.convCount(); k++) {
            SparseUpdatePolicy p = SparseUpdatePolicy.of(k, ws);
            long arena = ARENA.peakBytes(p);
            long lin = LIN.peakBytes(p);
            assertTrue(arena >= prevArena, "arena, depth " + k + ": " + arena + " < " + prevArena);
            assertTrue(lin > prevLin, "lin2022, depth " + k);
            prevArena = arena;
            prevLin = lin;
        }
    }

    @Test
    void biasOnlyIsBelowAnyWeightUpdate() {
        for (int k = 1; k <= T.convCount(); k += 5) {
            long biasOnly = ARENA.peakBytes(SparseUpdatePolicy.biasOnly(k));
            for (int layer = T.convCount() - k; layer < T.convCount(); layer++) {
                long withWeights = ARENA.peakBytes(SparseUpdatePolicy.of(k, List.of(WeightUpdate.channels(layer, 1))));
                assertTrue(withWeights > biasOnly, "depth " + k + ", one channel of layer " + layer);
            }
        }
    }

    @Test
    void layerwiseForwardPeakIsTheFirstExpandConv() {
        ArenaEstimator layerwise = new ArenaEstimator(T, ArenaConfig.DEFAULT.withKernels(true, false));
        MemoryReport r = layerwise.report(SparseUpdatePolicy.biasOnly(0));
        // conv 3 reads 8x64x64 and writes 48x64x64 int8; the trained fp32 classifier is resident.
        assertEquals(8 * 64 * 64 + 48 * 64 * 64 + (112 * 10 + 10) * 4, r.totalBytes());
        assertEquals("forward", r.peak().phase());
        assertEquals(3, r.peak().layer());
    }

    @Test
    void fusedFrozenBlocksMoveTheForwardPeakToTheStem() {
        MemoryReport r = ARENA.report(SparseUpdatePolicy.biasOnly(0));
        // The stem reads the 3x128x128 image and writes 16x64x64.
        assertEquals(3 * 128 * 128 + 16 * 64 * 64 + (112 * 10 + 10) * 4, r.totalBytes());
        assertEquals(0, r.peak().layer());
        assertEquals(List.of(new MemoryReport.Entry(-1, BufferKind.ACTIVATION, 3 * 128 * 128),
                new MemoryReport.Entry(0, BufferKind.ACTIVATION, 16 * 64 * 64),
                new MemoryReport.Entry(51, BufferKind.CLASSIFIER, 4520)), r.breakdown());
    }

    @Test
    void the99kbSchemePeaksAtTheLastWeightGradient() {
        MemoryReport r = ARENA.report(PublishedSchemes.mbv2W035At99kB());
        assertEquals(ARENA.peakBytes(PublishedSchemes.mbv2W035At99kB()), r.totalBytes());
        assertEquals("backward", r.peak().phase());
        assertEquals(48, r.peak().layer());
        // fp32 gradient of conv 48's 336 biases and 56 x 336 weights.
        assertEquals((336 + 56 * 336) * 4L, r.byKind().get(BufferKind.PARAM_GRADIENT));
        assertEquals(202_744, r.totalBytes());
    }

    @Test
    void dynamicSelectionKeepsWholeLayersResident() {
        SparseUpdatePolicy fixed = SparseUpdatePolicy.of(5, List.of(WeightUpdate.ratio(48, 0.25)));
        SparseUpdatePolicy dynamic = fixed.withSelection(ChannelSelection.dynamic(SelectionStrategy.DYNAMIC_RANDOM, 10));
        assertEquals(14L * 336, ARENA.report(fixed).byKind().get(BufferKind.TRAINABLE_WEIGHTS));
        assertEquals(56L * 336, ARENA.report(dynamic).byKind().get(BufferKind.TRAINABLE_WEIGHTS));
        assertTrue(ARENA.peakBytes(dynamic) > ARENA.peakBytes(fixed));
    }

    @Test
    void momentumAndWiderGradientsCostMoreNarrowerLess() {
        SparseUpdatePolicy p = PublishedSchemes.mbv2W035At99kB();
        long base = ARENA.peakBytes(p);
        assertTrue(new ArenaEstimator(T, ArenaConfig.DEFAULT.withMomentum(true)).peakBytes(p) > base);
        ArenaConfig int8Grads = ArenaConfig.DEFAULT.withPrecision(
                BufferPrecision.parse("activation-gradient=8,param-gradient=8"));
        assertTrue(new ArenaEstimator(T, int8Grads).peakBytes(p) < base);
    }

    @Test
    void reportBreakdownSumsToThePeakAndMatchesPeakBytes() {
        for (SparseUpdatePolicy p : randomPolicies(3, 50)) {
            MemoryReport r = ARENA.report(p);
            assertEquals(ARENA.peakBytes(p), r.totalBytes());
            assertEquals(r.totalBytes(), r.breakdown().stream().mapToLong(MemoryReport.Entry::bytes).sum());
            assertEquals(r.totalBytes(), r.byKind().values().stream().mapToLong(Long::longValue).sum());
        }
    }

    @Test
    void peakBytesAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SparseUpdatePolicy p = PublishedSchemes.mbv2W035At99kB();
        long sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += ARENA.peakBytes(p) + LIN.peakBytes(p);
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 20_000; i++) {
            sink += ARENA.peakBytes(p) + LIN.peakBytes(p);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(sink > 0);
        // 40,000 evaluations: even 1 object each would be > 500 KB.
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes in 40,000 evaluations");
    }

    @Test
    void otherFamilyMembersSimulateWithoutLeaks() {
        for (ModelSpec spec : List.of(ModelSpec.preset("mbv2-w1.0"), new ModelSpec(0.5, 96, 2, false, 6),
                new ModelSpec(1.4, 64, 100, true, 1))) {
            LayerTable t = spec.layers();
            ArenaEstimator arena = new ArenaEstimator(t, ArenaConfig.DEFAULT);
            int n = t.convCount();
            for (int k = 0; k <= n; k += 7) {
                List<WeightUpdate> ws = k > 0 ? List.of(WeightUpdate.ratio(n - k, 0.5)) : List.of();
                SparseUpdatePolicy p = SparseUpdatePolicy.of(k, ws);
                assertEquals(ws.size() + k + 1, arena.allocationsAndLive(p)[1], spec.label() + " depth " + k);
                assertTrue(arena.peakBytes(p) >= new Lin2022Estimator(t).peakBytes(p));
            }
        }
    }
}
