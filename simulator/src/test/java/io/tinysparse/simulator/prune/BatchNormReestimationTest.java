package io.tinysparse.simulator.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.engine.BatchNormParameters;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.TestNetworks;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Batch-norm re-estimation against an oracle: a plain float64 forward pass (naive convolutions,
 * batch norm with each batch's own statistics, residual adds, ReLU6) computes every layer's
 * pre-batch-norm activations over the same images, and the running statistics must be the
 * average over the batches of each batch's mean and unbiased variance.
 */
class BatchNormReestimationTest {
    static final ModelSpec SPEC = new ModelSpec(0.35, 64, 10, false, 1);
    static final int BATCH = 4;
    static final int BATCHES = 3;

    /** {@code BATCHES} batches of {@code BATCH} images, {@code [N][3][H][W]}, shifted per batch so batch means differ. */
    private static float[][] images(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int size = BATCH * 3 * SPEC.resolution() * SPEC.resolution();
        float[][] images = new float[BATCHES][size];
        for (int b = 0; b < BATCHES; b++) {
            for (int e = 0; e < size; e++) {
                images[b][e] = (float) (r.nextGaussian() + 0.5 * b);
            }
        }
        return images;
    }

    /** Per layer and channel: {@code [0]} the mean, {@code [1]} the unbiased variance, of batch norm's input over one batch. */
    private static double[][][] oracleMoments(Network net, float[] image) {
        LayerTable layers = net.layers();
        int n = layers.convCount();
        double[][] activations = new double[n + 1][];
        activations[0] = new double[image.length];
        for (int e = 0; e < image.length; e++) {
            activations[0][e] = image[e];
        }
        double[][][] moments = new double[n][2][];
        for (int i = 0; i < n; i++) {
            ConvLayer c = layers.conv(i);
            double[] z = conv(activations[i], net.weights(i), c);
            int plane = c.outHeight() * c.outWidth();
            long count = (long) BATCH * plane;
            double[] mean = new double[c.outChannels()];
            double[] variance = new double[c.outChannels()];
            double[] u = new double[z.length];
            BatchNormParameters bn = net.batchNorm(i);
            for (int ch = 0; ch < c.outChannels(); ch++) {
                double sum = 0;
                for (int s = 0; s < BATCH; s++) {
                    for (int p = 0; p < plane; p++) {
                        sum += z[(s * c.outChannels() + ch) * plane + p];
                    }
                }
                mean[ch] = sum / count;
                double squares = 0;
                for (int s = 0; s < BATCH; s++) {
                    for (int p = 0; p < plane; p++) {
                        double d = z[(s * c.outChannels() + ch) * plane + p] - mean[ch];
                        squares += d * d;
                    }
                }
                variance[ch] = squares / (count - 1);
                // training mode normalises with the biased variance
                double scale = bn.gamma()[ch] / Math.sqrt(squares / count + net.batchNormEpsilon());
                for (int s = 0; s < BATCH; s++) {
                    for (int p = 0; p < plane; p++) {
                        int e = (s * c.outChannels() + ch) * plane + p;
                        u[e] = (z[e] - mean[ch]) * scale + bn.beta()[ch];
                    }
                }
            }
            if (c.residualAdd()) {
                double[] skip = activations[c.residualFrom() + 1];
                for (int e = 0; e < u.length; e++) {
                    u[e] += skip[e];
                }
            }
            if (c.relu6()) {
                for (int e = 0; e < u.length; e++) {
                    u[e] = Math.min(6, Math.max(0, u[e]));
                }
            }
            activations[i + 1] = u;
            moments[i][0] = mean;
            moments[i][1] = variance;
        }
        return moments;
    }

    /** Grouped convolution in double with {@code c.padding()} zeros on every side, no bias. */
    private static double[] conv(double[] in, float[] w, ConvLayer c) {
        int cinG = c.inChannels() / c.groups();
        int coutG = c.outChannels() / c.groups();
        int k = c.kernel();
        int h = c.inHeight();
        int wd = c.inWidth();
        double[] out = new double[BATCH * c.outChannels() * c.outHeight() * c.outWidth()];
        for (int s = 0; s < BATCH; s++) {
            for (int co = 0; co < c.outChannels(); co++) {
                int g = co / coutG;
                for (int y = 0; y < c.outHeight(); y++) {
                    for (int x = 0; x < c.outWidth(); x++) {
                        double sum = 0;
                        for (int ci = 0; ci < cinG; ci++) {
                            int ch = g * cinG + ci;
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = y * c.stride() + ky - c.padding();
                                    int ix = x * c.stride() + kx - c.padding();
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        sum += w[((co * cinG + ci) * k + ky) * k + kx]
                                                * in[((s * c.inChannels() + ch) * h + iy) * wd + ix];
                                    }
                                }
                            }
                        }
                        out[((s * c.outChannels() + co) * c.outHeight() + y) * c.outWidth() + x] = sum;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void reestimatedStatisticsAreTheBatchAverageOfTheOraclesPerBatchMeanAndUnbiasedVariance() {
        Network parent = TestNetworks.unfolded(SPEC, 5);
        float[][] images = images(9);
        Network net = parent.copy();
        int[] loads = {0};
        BatchNormReestimation.reestimate(net, BATCHES, BATCH, (b, input) -> {
            assertEquals(loads[0]++, b, "batches are asked for in order");
            System.arraycopy(images[b], 0, input, 0, images[b].length);
        });
        assertEquals(BATCHES, loads[0]);
        int n = net.convCount();
        double[][] expectedMean = new double[n][];
        double[][] expectedVar = new double[n][];
        for (int b = 0; b < BATCHES; b++) {
            // the oracle normalises with batch statistics: the parent's running statistics play no part
            double[][][] m = oracleMoments(parent, images[b]);
            for (int i = 0; i < n; i++) {
                if (b == 0) {
                    expectedMean[i] = new double[m[i][0].length];
                    expectedVar[i] = new double[m[i][1].length];
                }
                for (int ch = 0; ch < m[i][0].length; ch++) {
                    expectedMean[i][ch] += m[i][0][ch] / BATCHES;
                    expectedVar[i][ch] += m[i][1][ch] / BATCHES;
                }
            }
        }
        double worst = 0;
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            BatchNormParameters bn = net.batchNorm(i);
            BatchNormParameters before = parent.batchNorm(i);
            for (int ch = 0; ch < bn.channels(); ch++) {
                double spread = Math.sqrt(expectedVar[i][ch]);
                // the mean to within 1e-5 of the channel's standard deviation, the variance to 1e-5 of itself
                worst = Math.max(worst, Math.abs(bn.runningMean()[ch] - expectedMean[i][ch]) / spread);
                worst = Math.max(worst, Math.abs(bn.runningVar()[ch] - expectedVar[i][ch]) / expectedVar[i][ch]);
                changed |= bn.runningMean()[ch] != before.runningMean()[ch];
            }
            // only the statistics are estimated: scale, shift and weights are the parent's, bit for bit
            assertArrayEquals(before.gamma(), bn.gamma());
            assertArrayEquals(before.beta(), bn.beta());
            assertArrayEquals(parent.weights(i), net.weights(i));
        }
        // the engine runs in float: its rounding, against the oracle's doubles, grows with depth from about
        // 1e-6 at the stem to 2e-5 at the last layers (a slip in the estimator, e.g. the biased variance,
        // is 1/15 here at the last layers' 16 values per channel and batch)
        assertTrue(worst < 5e-5, "largest relative difference from the oracle " + worst);
        assertTrue(changed, "the parent's statistics were replaced");
        assertArrayEquals(parent.classifierWeights(), net.classifierWeights());
    }

    @Test
    void theEstimatorIsTheAverageOverBatchesNotThePooledVarianceNorAMomentumAverage() {
        // the images' batches differ in mean, so the three estimators differ: the oracle test above pins one
        Network parent = TestNetworks.unfolded(SPEC, 5);
        float[][] images = images(9);
        Network net = parent.copy();
        BatchNormReestimation.reestimate(net, BATCHES, BATCH,
                (b, input) -> System.arraycopy(images[b], 0, input, 0, images[b].length));
        // the stem sees the images directly: its batch means move with the images' shift
        double[][][] first = oracleMoments(parent, images[0]);
        double[][][] last = oracleMoments(parent, images[BATCHES - 1]);
        double gap = 0;
        for (int ch = 0; ch < first[0][0].length; ch++) {
            gap = Math.max(gap, Math.abs(first[0][0][ch] - last[0][0][ch]) / Math.sqrt(first[0][1][ch]));
        }
        assertTrue(gap > 1e-2, "the batches' means differ by " + gap + " standard deviations");
        // one more batch, the first again, moves the estimate to the average of four batches (each weighing a
        // quarter), not by momentum towards the last one
        Network again = parent.copy();
        BatchNormReestimation.reestimate(again, BATCHES + 1, BATCH, (b, input) -> System.arraycopy(
                images[b % BATCHES], 0, input, 0, images[0].length));
        BatchNormParameters three = net.batchNorm(0);
        BatchNormParameters four = again.batchNorm(0);
        for (int ch = 0; ch < three.channels(); ch++) {
            double expected = (3 * (double) three.runningMean()[ch] + first[0][0][ch]) / 4;
            assertEquals(expected, four.runningMean()[ch], 1e-5 * Math.sqrt(first[0][1][ch]), "channel " + ch);
        }
    }

    @Test
    void zeroBatchesLeaveTheNetworkBitIdenticalAndReadNoImages() {
        Network net = TestNetworks.unfolded(SPEC, 6);
        String before = net.parameterHash();
        BatchNormReestimation.reestimate(net, 0, BATCH, (b, input) -> {
            throw new AssertionError("no batch may be read");
        });
        assertEquals(before, net.parameterHash());
    }

    @Test
    void aFoldedNetworkANegativeBatchCountOrABatchOfOneIsRefused() {
        BatchNormReestimation.Images none = (b, input) -> { };
        assertThrows(IllegalArgumentException.class,
                () -> BatchNormReestimation.reestimate(TestNetworks.folded(SPEC, 1), 1, BATCH, none));
        Network net = TestNetworks.unfolded(SPEC, 1);
        assertThrows(IllegalArgumentException.class, () -> BatchNormReestimation.reestimate(net, -1, BATCH, none));
        assertThrows(IllegalArgumentException.class, () -> BatchNormReestimation.reestimate(net, 1, 1, none));
    }
}
