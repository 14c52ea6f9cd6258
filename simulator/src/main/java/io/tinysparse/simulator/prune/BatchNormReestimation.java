package io.tinysparse.simulator.prune;

import io.tinysparse.simulator.engine.BatchNormParameters;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.kernels.BatchNorm;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;

/**
 * Batch-norm statistics re-estimation ("BN recalibration", as network slimming and AMC do it after
 * surgery): the running mean and variance of every batch norm of an unfolded network are replaced
 * by estimates from forward passes over data, leaving weights, scales and shifts alone. Removing
 * channels changes what every later batch norm receives (its producers lost inputs), so the
 * statistics the parent was trained with no longer describe it and inference with them is at
 * chance.
 *
 * <p>The passes run as PyTorch's {@code reset_running_stats()} followed by forward passes in train
 * mode with {@code momentum=None}: each batch is normalised with its own statistics on its way
 * through the network (so a layer's estimate sees inputs normalised like in training), and the
 * estimator is the <em>cumulative average over the batches</em> of each batch's mean and unbiased
 * variance ({@code N} batches weigh equally; no momentum, so nothing of the parent's statistics
 * remains). It is not the variance of all the batches' values pooled, which also counts the spread
 * between batch means. Per-batch moments are summed in double with the engine's two-pass
 * {@link BatchNorm#channelMoments}; one executor runs every batch on the calling thread, so the
 * result does not depend on a thread count.
 */
public final class BatchNormReestimation {
    private BatchNormReestimation() {}

    /** Writes one batch of images ({@code batch} samples, {@code [N][C][H][W]}) into {@code input} from 0. */
    @FunctionalInterface
    public interface Images {
        /** Loads batch {@code index} (0-based) into {@code input}. */
        void load(int index, float[] input);
    }

    /**
     * Replaces the running statistics of every batch norm of the unfolded {@code network} by their
     * cumulative averages over {@code batches} batches of {@code batch} images from {@code images}.
     * With 0 batches the network is not touched (not a single bit).
     *
     * @throws IllegalArgumentException if the network is folded (it has no batch norm), or
     *     {@code batches < 0}, or {@code batch < 2} (one value per channel has no variance at 1 x 1)
     */
    public static void reestimate(Network network, int batches, int batch, Images images) {
        if (network.isFolded()) {
            throw new IllegalArgumentException("batch-norm re-estimation needs an unfolded network");
        }
        if (batches < 0) {
            throw new IllegalArgumentException("batches must be >= 0, got " + batches);
        }
        if (batch < 2) {
            throw new IllegalArgumentException("batch must be >= 2, got " + batch);
        }
        if (batches == 0) {
            return;
        }
        LayerTable layers = network.layers();
        int n = layers.convCount();
        double[][] meanSums = new double[n][];
        double[][] varianceSums = new double[n][];
        int maxChannels = 0;
        for (int i = 0; i < n; i++) {
            meanSums[i] = new double[layers.conv(i).outChannels()];
            varianceSums[i] = new double[layers.conv(i).outChannels()];
            maxChannels = Math.max(maxChannels, layers.conv(i).outChannels());
        }
        double[] sums = new double[maxChannels];
        double[] squaredDeviations = new double[maxChannels];
        double[] mean = new double[maxChannels];
        double[] invStd = new double[maxChannels];
        NetworkExecutor executor = new NetworkExecutor(network, batch);
        float eps = network.batchNormEpsilon();
        for (int b = 0; b < batches; b++) {
            images.load(b, executor.input(0));
            for (int i = 0; i < n; i++) {
                ConvLayer c = layers.conv(i);
                long count = (long) batch * c.outHeight() * c.outWidth();
                executor.convolveAndMoments(i, batch, sums, squaredDeviations);
                for (int ch = 0; ch < c.outChannels(); ch++) {
                    mean[ch] = sums[ch] / count;
                    invStd[ch] = BatchNorm.inverseStd(squaredDeviations[ch], count, eps);
                    meanSums[i][ch] += mean[ch];
                    varianceSums[i][ch] += squaredDeviations[ch] / (count - 1);
                }
                executor.normalise(i, batch, mean, invStd);
            }
        }
        for (int i = 0; i < n; i++) {
            BatchNormParameters bn = network.batchNorm(i);
            for (int ch = 0; ch < bn.channels(); ch++) {
                bn.runningMean()[ch] = (float) (meanSums[i][ch] / batches);
                bn.runningVar()[ch] = (float) (varianceSums[i][ch] / batches);
            }
        }
    }
}
