package io.tinysparse.simulator.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.TestNetworks;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Oracle 4c: a pruned network, before any recovery, computes what the unpruned network computes
 * with the pruned channels zeroed (every parameter tied to them: producer rows and their batch
 * norm, depthwise filters, consumer columns, the classifier's columns).
 */
class PrunedOutputOracleTest {
    static final int BATCH = 2;

    /** An unfolded network with non-trivial batch-norm parameters, statistics and classifier bias. */
    static Network unfolded(ModelSpec spec, long seed) {
        Network net = TestNetworks.unfolded(spec, seed);
        SplittableRandom r = new SplittableRandom(seed + 2);
        for (int e = 0; e < net.classifierBias().length; e++) {
            net.classifierBias()[e] = (float) r.nextGaussian();
        }
        return net;
    }

    /** A random choice of {@code kept(ratio)} channels per group, ascending. */
    static int[][] randomKept(ChannelGroups groups, double ratio, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] kept = new int[groups.groups().size()][];
        for (ChannelGroups.Group g : groups.groups()) {
            double[] keys = r.doubles(g.channels()).toArray();
            kept[g.index()] = IntStream.range(0, g.channels()).boxed()
                    .sorted((a, b) -> Double.compare(keys[a], keys[b])).limit(g.kept(ratio))
                    .mapToInt(Integer::intValue).sorted().toArray();
        }
        return kept;
    }

    /** A copy of {@code net} with every parameter tied to a channel not in {@code kept} set to 0. */
    static Network zeroed(Network net, ChannelGroups groups, int[][] kept) {
        Network z = net.copy();
        for (ChannelGroups.Group g : groups.groups()) {
            boolean[] keep = new boolean[g.channels()];
            for (int c : kept[g.index()]) {
                keep[c] = true;
            }
            for (int c = 0; c < g.channels(); c++) {
                if (keep[c]) {
                    continue;
                }
                for (int layer : g.producers()) {
                    zeroOutput(z, layer, c);
                }
                for (int layer : g.depthwise()) {
                    zeroOutput(z, layer, c);
                }
                for (int layer : g.consumers()) {
                    ConvLayer conv = z.layers().conv(layer);
                    int taps = conv.kernel() * conv.kernel();
                    for (int o = 0; o < conv.outChannels(); o++) {
                        java.util.Arrays.fill(z.weights(layer), (o * conv.inChannels() + c) * taps,
                                (o * conv.inChannels() + c + 1) * taps, 0f);
                    }
                }
                if (g.classifier()) {
                    int classes = z.classifierBias().length;
                    for (int k = 0; k < classes; k++) {
                        z.classifierWeights()[k * g.channels() + c] = 0f;
                    }
                }
            }
        }
        return z;
    }

    private static void zeroOutput(Network z, int layer, int c) {
        ConvLayer conv = z.layers().conv(layer);
        int row = (conv.depthwise() ? 1 : conv.inChannels()) * conv.kernel() * conv.kernel();
        java.util.Arrays.fill(z.weights(layer), c * row, (c + 1) * row, 0f);
        if (z.isFolded()) {
            z.bias(layer)[c] = 0f;
        } else {
            z.batchNorm(layer).gamma()[c] = 0f;
            z.batchNorm(layer).beta()[c] = 0f;
        }
    }

    static float[] logits(Network net, float[] image) {
        NetworkExecutor ex = new NetworkExecutor(net, BATCH);
        System.arraycopy(image, 0, ex.input(0), 0, image.length);
        ex.forward(0, BATCH, false);
        return java.util.Arrays.copyOf(ex.logits(), BATCH * net.spec().numClasses());
    }

    /** Largest |a - b| over {@code max(1, largest |a|)}. */
    static double relativeDifference(float[] a, float[] b) {
        double scale = 1;
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst / scale;
    }

    private static void check(ModelSpec spec, double ratio, long seed) {
        Network parent = unfolded(spec, seed);
        ChannelGroups groups = ChannelGroups.of(spec.architecture());
        int[][] kept = randomKept(groups, ratio, seed + 7);
        ModelSpec prunedSpec = ModelSpec.of(groups.pruned(ratio), spec.resolution(), spec.numClasses());
        Network pruned = ChannelPruner.prune(parent, groups, kept, prunedSpec);
        Network zeroed = zeroed(parent, groups, kept);
        SplittableRandom r = new SplittableRandom(seed + 3);
        float[] image = new float[BATCH * 3 * spec.resolution() * spec.resolution()];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) r.nextDouble(-2, 2);
        }
        float[] full = logits(parent, image);
        float[] viaZeros = logits(zeroed, image);
        float[] viaPruning = logits(pruned, image);
        // the pruning changed the function (else the comparison below would prove nothing)
        assertTrue(relativeDifference(full, viaZeros) > 1e-3, spec.label() + ": zeroing changed nothing");
        // bit for bit: the kernels add a zeroed channel's exact zeros in channel order, which changes no sum
        assertArrayEquals(viaZeros, viaPruning, spec.label() + " unfolded");
        // folded (as a fine-tuning run starts from it): the same
        assertArrayEquals(logits(zeroed.fold(), image), logits(pruned.fold(), image), spec.label() + " folded");
        assertEquals(prunedSpec.layers().params(), countParams(pruned.fold()));
    }

    private static long countParams(Network folded) {
        long n = folded.classifierWeights().length + folded.classifierBias().length;
        for (int i = 0; i < folded.convCount(); i++) {
            n += folded.weights(i).length + folded.bias(i).length;
        }
        return n;
    }

    @Test
    void prunedMobileNetV2ComputesTheZeroedParentsOutputs() {
        check(new ModelSpec(0.35, 32, 10, false, 1), 0.5, 1);
        check(new ModelSpec(0.35, 32, 10, false, 1), 0.25, 2);
    }

    @Test
    void prunedNetworkWithAFeatureMixAndLargeKernelsComputesTheZeroedParentsOutputs() {
        check(new ModelSpec(0.35, 24, 5, true, 1), 0.3, 3);
        check(ModelSpec.preset("mcunet-5fps").withResolution(24).withClasses(4), 0.5, 4);
    }
}
