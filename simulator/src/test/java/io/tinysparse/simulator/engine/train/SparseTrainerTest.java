package io.tinysparse.simulator.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.GradientRequest;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.StepCost;
import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a sparse training step may and may not change, and what it measures. */
class SparseTrainerTest {
    private static final int STEPS = 6;

    /** Runs {@code STEPS} steps of {@code policy} with momentum; returns the trained network. */
    private static SparseTrainer train(Network net, SparseUpdatePolicy policy) {
        TrainingConfig config = TrainingConfig.of(STEPS, 2, 0.05, 7).withMomentum(0.9);
        SparseTrainer trainer = new SparseTrainer(net, policy, config, 2);
        Samples data = Fixtures.images(2, 4, 1, 3);
        for (int t = 0; t < STEPS; t++) {
            System.arraycopy(data.values(), 0, trainer.executor().input(0), 0, data.values().length);
            trainer.step(t, 0, 2, data.labels(), 0, 0.05);
        }
        return trainer;
    }

    private static boolean sameBits(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    @Test
    void weightsAndBiasesOutsideThePolicyStayBitIdenticalAndInsideItChange() {
        Network before = Fixtures.folded(1);
        Network net = before.copy();
        SparseUpdatePolicy policy = Fixtures.scheme99kb(ChannelSelection.dynamic(SelectionStrategy.DYNAMIC_RANDOM, 2));
        SparseTrainer trainer = train(net, policy);
        boolean[][] selectedEver = new boolean[net.convCount()][];
        for (int i = 0; i < net.convCount(); i++) {
            ConvLayer c = net.layers().conv(i);
            boolean weightLayer = policy.weightUpdate(i) != null;
            if (!weightLayer) {
                assertArrayEquals(before.weights(i), net.weights(i), 0f, "weights of frozen layer " + i);
                assertTrue(sameBits(before.weights(i), net.weights(i)), "bits of frozen layer " + i);
            } else {
                // Slices of channels never selected keep their bits; selected ones moved.
                selectedEver[i] = new boolean[c.inChannels()];
                int taps = c.kernel() * c.kernel();
                int rows = c.outChannels() / c.groups();
                int per = c.inChannels() / c.groups();
                int changedSlices = 0;
                int untouched = 0;
                for (int ch = 0; ch < c.inChannels(); ch++) {
                    boolean changed = false;
                    for (int r = 0; r < rows; r++) {
                        int o = ConvKernel.sliceOffset(per, taps, ch, r);
                        for (int t = 0; t < taps; t++) {
                            changed |= Float.floatToRawIntBits(before.weights(i)[o + t])
                                    != Float.floatToRawIntBits(net.weights(i)[o + t]);
                        }
                    }
                    changedSlices += changed ? 1 : 0;
                    untouched += changed ? 0 : 1;
                }
                assertTrue(changedSlices > 0, "layer " + i + " trained");
                if (policy.weightUpdate(i).ratio() < 1) {
                    assertTrue(untouched > 0, "layer " + i + " has slices never selected in " + STEPS + " steps");
                }
            }
            if (i < policy.firstBiasLayer(net.convCount())) {
                assertTrue(sameBits(before.bias(i), net.bias(i)), "bias of frozen layer " + i);
            } else {
                assertFalse(sameBits(before.bias(i), net.bias(i)), "bias of layer " + i + " trained");
            }
        }
        assertFalse(sameBits(before.classifierWeights(), net.classifierWeights()), "classifier trained");
        assertTrue(trainer.coverage() > 0 && trainer.coverage() < 1);
    }

    @Test
    void unselectedChannelsOfAStaticMaskStayBitIdenticalExactlyOutsideTheMask() {
        Network before = Fixtures.folded(2);
        Network net = before.copy();
        SparseUpdatePolicy policy = new SparseUpdatePolicy(10,
                List.of(io.tinysparse.simulator.policy.WeightUpdate.channels(44, 5)), ChannelSelection.DEFAULT, false);
        SparseTrainer trainer = train(net, policy);
        int[] mask = trainer.request().channels(44);
        ConvLayer c = net.layers().conv(44);
        for (int ch = 0; ch < c.inChannels(); ch++) {
            boolean inMask = false;
            for (int j = 0; j < 5; j++) {
                inMask |= mask[j] == ch;
            }
            for (int r = 0; r < c.outChannels(); r++) {
                int o = ConvKernel.sliceOffset(c.inChannels(), 1, ch, r);
                boolean same = Float.floatToRawIntBits(before.weights(44)[o]) == Float.floatToRawIntBits(net.weights(44)[o]);
                if (!inMask) {
                    assertTrue(same, "channel " + ch + " outside the mask");
                }
            }
        }
        assertTrue(sameBits(before.classifierWeights(), net.classifierWeights()), "classifier frozen by policy");
        assertEquals(5.0 / c.inChannels(), trainer.coverage(), 1e-12, "static mask covers count / C_in");
    }

    @Test
    void cyclicSelectionCoversEveryChannelOfItsLayers() {
        Network net = Fixtures.folded(3);
        SparseUpdatePolicy policy = new SparseUpdatePolicy(8,
                List.of(io.tinysparse.simulator.policy.WeightUpdate.ratio(45, 0.5)),
                ChannelSelection.dynamic(SelectionStrategy.CYCLIC, 3), true);
        SparseTrainer trainer = train(net, policy);
        assertEquals(1.0, trainer.coverage(), 0, "two windows of half the channels within 6 steps");
        long total = net.convWeightCount();
        assertEquals((double) net.layers().conv(45).weightCount() / total, trainer.touchedWeightFraction(), 1e-12);
        assertEquals(0.5 * net.layers().conv(45).weightCount() / total, trainer.updatedWeightFraction(), 1e-12);
    }

    @Test
    void backwardStopsAtTheEarliestTrainedLayerAndCostsOnlyTheSelectedChannels() {
        Network net = Fixtures.folded(4);
        SparseTrainer trainer = new SparseTrainer(net, Fixtures.scheme99kb(ChannelSelection.DEFAULT),
                TrainingConfig.of(1, 1, 0.01, 1), 1);
        GradientRequest request = trainer.request();
        assertEquals(26, request.earliestLayer());
        assertEquals(24, trainer.entryLayer());
        assertEquals(56 / 8, request.channelCount(42));
        StepCost cost = StepCost.of(net.layers(), request);
        assertEquals(net.layers().macs(), cost.forwardMacs());
        ConvLayer l42 = net.layers().conv(42);
        long expectedWeight = net.layers().classifier().macs();
        for (int i : new int[] {27, 30, 33, 36, 39, 42, 45, 48}) {
            ConvLayer c = net.layers().conv(i);
            expectedWeight += c.macs() / c.inChannels() * request.channelCount(i);
        }
        assertEquals(expectedWeight, cost.weightGradientMacs());
        assertTrue(l42.macs() / 8 > 0);
    }

    @Test
    void policyThatTrainsNothingIsRejected() {
        Network net = Fixtures.folded(5);
        SparseUpdatePolicy nothing = new SparseUpdatePolicy(0, List.of(), ChannelSelection.DEFAULT, false);
        assertThrows(InvalidInputException.class,
                () -> new SparseTrainer(net, nothing, TrainingConfig.of(1, 1, 0.01, 1), 1));
    }

    @Test
    void densePolicyTrainsBatchNormOfAnUnfoldedNetwork() {
        Network net = Network.initialize(Fixtures.SPEC, 6);
        float[] gamma = net.batchNorm(0).gamma().clone();
        float[] runningMean = net.batchNorm(0).runningMean().clone();
        SparseTrainer trainer = train(net, SparseTrainer.densePolicy(net.layers()));
        assertEquals(0, trainer.entryLayer());
        assertFalse(sameBits(gamma, net.batchNorm(0).gamma()), "gamma trained");
        assertFalse(sameBits(runningMean, net.batchNorm(0).runningMean()), "running statistics tracked");
        assertEquals(1.0, trainer.coverage());
    }

    @Test
    void withRunningStatisticsAnUnfoldedNetworkKeepsThemAndLearnsScaleAndShiftLikeItsFoldedForm() {
        Network unfolded = Network.initialize(Fixtures.SPEC, 5);
        float[] meanBefore = unfolded.batchNorm(10).runningMean().clone();
        float[] varBefore = unfolded.batchNorm(10).runningVar().clone();
        float[] gammaBefore = unfolded.batchNorm(10).gamma().clone();
        Network folded = unfolded.fold();
        Samples data = Fixtures.images(2, 4, 1, 3);
        SparseUpdatePolicy dense = SparseTrainer.densePolicy(unfolded.layers());
        SparseTrainer running = new SparseTrainer(unfolded, dense, TrainingConfig.of(1, 2, 0.05, 7).withRunningStatistics(true), 2);
        SparseTrainer foldedTrainer = new SparseTrainer(folded, dense, TrainingConfig.of(1, 2, 0.05, 7), 2);
        System.arraycopy(data.values(), 0, running.executor().input(0), 0, data.values().length);
        System.arraycopy(data.values(), 0, foldedTrainer.executor().input(0), 0, data.values().length);
        double lossRunning = running.step(0, 0, 2, data.labels(), 0, 0.05);
        double lossFolded = foldedTrainer.step(0, 0, 2, data.labels(), 0, 0.05);
        // Normalising with the running statistics is the folded network's forward pass.
        assertEquals(lossFolded, lossRunning, 1e-4 * Math.abs(lossFolded));
        assertArrayEquals(meanBefore, unfolded.batchNorm(10).runningMean(), 0f, "running mean held fixed");
        assertArrayEquals(varBefore, unfolded.batchNorm(10).runningVar(), 0f, "running variance held fixed");
        assertFalse(java.util.Arrays.equals(gammaBefore, unfolded.batchNorm(10).gamma()), "the scale learns");

        Network batchStats = Network.initialize(Fixtures.SPEC, 5);
        SparseTrainer trained = new SparseTrainer(batchStats, dense, TrainingConfig.of(1, 2, 0.05, 7), 2);
        System.arraycopy(data.values(), 0, trained.executor().input(0), 0, data.values().length);
        trained.step(0, 0, 2, data.labels(), 0, 0.05);
        assertFalse(java.util.Arrays.equals(meanBefore, batchStats.batchNorm(10).runningMean()),
                "batch statistics move the running mean");
    }
}
