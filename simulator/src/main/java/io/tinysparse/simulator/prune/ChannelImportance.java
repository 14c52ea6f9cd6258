package io.tinysparse.simulator.prune;

import io.tinysparse.simulator.engine.GradientSink;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.pretrain.DataParallelTrainer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Importance scores of every channel of every {@link ChannelGroups.Group}, higher = keep (see
 * {@link io.tinysparse.simulator.pretrain.PruneCriterion}), and the choice of the channels to keep.
 * A weight tied to two groups (a 1 x 1 conv's weight links its output channel's group and its
 * input channel's) counts in both, as zeroing either channel zeroes it.
 */
public final class ChannelImportance {
    private ChannelImportance() {}

    /**
     * Squared L2 norm, per group channel, of every weight tied to it in the batch-norm-folded
     * {@code network} (folded first if it is not): producer output rows, depthwise filters,
     * consumer input columns and the classifier's column. Biases are not weights of a channel's
     * connections and are left out.
     */
    public static double[][] l2(Network network, ChannelGroups groups) {
        Network folded = network.isFolded() ? network : network.fold();
        double[][] scores = zeros(groups);
        LayerTable layers = folded.layers();
        for (int i = 0; i < layers.convCount(); i++) {
            ConvLayer c = layers.conv(i);
            float[] w = folded.weights(i);
            double[] out = scores[groups.outputOf(i).index()];
            ChannelGroups.Group inGroup = c.depthwise() ? null : groups.inputOf(i);
            double[] in = inGroup == null ? null : scores[inGroup.index()];
            int taps = c.kernel() * c.kernel();
            int perRow = c.depthwise() ? 1 : c.inChannels();
            for (int o = 0; o < c.outChannels(); o++) {
                for (int k = 0; k < perRow; k++) {
                    double s = 0;
                    for (int t = 0, base = (o * perRow + k) * taps; t < taps; t++) {
                        s += (double) w[base + t] * w[base + t];
                    }
                    out[o] += s;
                    if (in != null) {
                        in[k] += s;
                    }
                }
            }
        }
        classifierColumns(folded.classifierWeights(), null, folded.classifierBias().length,
                scores[groups.classifierInput().index()]);
        return scores;
    }

    /**
     * First-order Taylor scores of the unfolded {@code network} on {@code batches} training
     * batches that {@code loader} fills (each step's {@code batch} samples in {@code shards}
     * shards on {@code threads} threads, batch norm with batch statistics, as in pretraining):
     * per batch, {@code (sum of w * dL/dw over the channel's group parameters, batch-norm scale
     * and shift included)^2}, averaged over the batches. {@code network} is not changed (its copy
     * takes the steps, whose running statistics move).
     *
     * @param loader fills batch {@code b}'s shard; called with {@code b} set by {@code batchIndex}
     *               before each step
     */
    public static double[][] taylor(Network network, ChannelGroups groups, int batches, int batch, int shards,
            int threads, DataParallelTrainer.ShardLoader loader, java.util.function.IntConsumer batchIndex) {
        if (network.isFolded()) {
            throw new IllegalArgumentException("the Taylor score needs the unfolded network (batch norm)");
        }
        Network copy = network.copy();
        double[][] scores = zeros(groups);
        TaylorSums sums = new TaylorSums(copy, groups);
        try (DataParallelTrainer trainer = new DataParallelTrainer(copy, batch, shards, threads)) {
            for (int b = 0; b < batches; b++) {
                batchIndex.accept(b);
                sums.clear();
                trainer.step(loader, sums);
                for (int g = 0; g < scores.length; g++) {
                    for (int c = 0; c < scores[g].length; c++) {
                        scores[g][c] += sums.sums[g][c] * sums.sums[g][c] / batches;
                    }
                }
            }
        }
        return scores;
    }

    /**
     * Per group, the indices of the {@code kept(g)} highest-scoring channels, ascending (ties go
     * to the lower index, so the choice is deterministic).
     */
    public static int[][] keep(double[][] scores, ChannelGroups groups, double ratio) {
        int[][] kept = new int[scores.length][];
        for (ChannelGroups.Group g : groups.groups()) {
            double[] s = scores[g.index()];
            kept[g.index()] = IntStream.range(0, s.length).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(c -> -s[c]).thenComparingInt(c -> c))
                    .limit(g.kept(ratio)).mapToInt(Integer::intValue).sorted().toArray();
        }
        return kept;
    }

    private static double[][] zeros(ChannelGroups groups) {
        double[][] s = new double[groups.groups().size()][];
        for (ChannelGroups.Group g : groups.groups()) {
            s[g.index()] = new double[g.channels()];
        }
        return s;
    }

    /** Adds, per feature, {@code sum over classes of w^2} (or {@code w * g} with a gradient). */
    private static void classifierColumns(float[] w, float[] gradient, int classes, double[] scores) {
        int features = w.length / classes;
        for (int k = 0; k < classes; k++) {
            for (int f = 0; f < features; f++) {
                int e = k * features + f;
                scores[f] += (double) w[e] * (gradient == null ? w[e] : gradient[e]);
            }
        }
    }

    /** One batch's {@code sum of w * dL/dw} per group channel, from the gradients a step delivers. */
    private static final class TaylorSums implements GradientSink {
        final Network network;
        final ChannelGroups groups;
        final double[][] sums;

        TaylorSums(Network network, ChannelGroups groups) {
            this.network = network;
            this.groups = groups;
            this.sums = zeros(groups);
        }

        void clear() {
            for (double[] s : sums) {
                Arrays.fill(s, 0);
            }
        }

        @Override
        public void convWeights(int layer, int[] channels, int count, float[] gradient) {
            ConvLayer c = network.layers().conv(layer);
            float[] w = network.weights(layer);
            int taps = c.kernel() * c.kernel();
            int perGroupIn = c.inChannels() / c.groups();
            int rows = c.outChannels() / c.groups();
            double[] out = sums[groups.outputOf(layer).index()];
            ChannelGroups.Group inGroup = c.depthwise() ? null : groups.inputOf(layer);
            double[] in = inGroup == null ? null : sums[inGroup.index()];
            for (int j = 0; j < count; j++) {
                int ch = channels[j];
                for (int r = 0; r < rows; r++) {
                    int weight = ConvKernel.sliceOffset(perGroupIn, taps, ch, r);
                    int grad = j * rows * taps + r * taps;
                    double s = 0;
                    for (int t = 0; t < taps; t++) {
                        s += (double) w[weight + t] * gradient[grad + t];
                    }
                    // depthwise: channel ch is the output channel; otherwise r is, and ch the input
                    out[c.depthwise() ? ch : r] += s;
                    if (in != null) {
                        in[ch] += s;
                    }
                }
            }
        }

        @Override
        public void convBias(int layer, float[] gradient) {
            throw new IllegalStateException("the Taylor score runs on an unfolded network");
        }

        @Override
        public void batchNorm(int layer, float[] gammaGradient, float[] betaGradient) {
            double[] out = sums[groups.outputOf(layer).index()];
            float[] gamma = network.batchNorm(layer).gamma();
            float[] beta = network.batchNorm(layer).beta();
            for (int c = 0; c < out.length; c++) {
                out[c] += (double) gamma[c] * gammaGradient[c] + (double) beta[c] * betaGradient[c];
            }
        }

        @Override
        public void classifier(float[] weightGradient, float[] biasGradient) {
            classifierColumns(network.classifierWeights(), weightGradient, biasGradient.length,
                    sums[groups.classifierInput().index()]);
        }
    }
}
