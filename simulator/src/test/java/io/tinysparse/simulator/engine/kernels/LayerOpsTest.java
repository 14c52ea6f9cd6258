package io.tinysparse.simulator.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Batch norm, ReLU6, global average pooling, the fully connected layer and softmax
 * cross-entropy: forward against float64 formulas, backward against central finite differences.
 */
class LayerOpsTest {
    private static final int N = 3;
    private static final int C = 4;
    private static final int P = 5;

    /** Float64 training-mode batch norm, the reference for finite differences. */
    private static double[] batchNorm(double[] z, double[] gamma, double[] beta, double eps) {
        double[] u = new double[z.length];
        for (int c = 0; c < C; c++) {
            double s = 0;
            for (int n = 0; n < N; n++) {
                for (int p = 0; p < P; p++) {
                    s += z[(n * C + c) * P + p];
                }
            }
            double m = s / (N * P);
            double v = 0;
            for (int n = 0; n < N; n++) {
                for (int p = 0; p < P; p++) {
                    double d = z[(n * C + c) * P + p] - m;
                    v += d * d;
                }
            }
            v /= N * P;
            for (int n = 0; n < N; n++) {
                for (int p = 0; p < P; p++) {
                    int i = (n * C + c) * P + p;
                    u[i] = gamma[c] * (z[i] - m) / Math.sqrt(v + eps) + beta[c];
                }
            }
        }
        return u;
    }

    @Test
    void batchNormTrainingForwardAndBackwardMatchFloat64AndFiniteDifferences() {
        Random r = new Random(11);
        float[] z = Reference.randomFloats(r, N * C * P, 3);
        float[] gamma = Reference.randomFloats(r, C, 1);
        float[] beta = Reference.randomFloats(r, C, 1);
        float[] dU = Reference.randomFloats(r, N * C * P, 1);
        float eps = 1e-5f;
        float[] u = new float[z.length];
        float[] mean = new float[C];
        float[] invStd = new float[C];
        float[] runningMean = new float[C];
        float[] runningVar = {1, 1, 1, 1};
        BatchNorm.forwardTraining(z, u, N, C, P, gamma, beta, eps, 0.1f, runningMean, runningVar, mean, invStd);
        double[] gd = Reference.toDouble(gamma);
        double[] bd = Reference.toDouble(beta);
        double[] zd = Reference.toDouble(z);
        assertTrue(Reference.relativeError(u, batchNorm(zd, gd, bd, eps)) < 1e-6);

        float[] dZ = new float[z.length];
        float[] dGamma = new float[C];
        float[] dBeta = new float[C];
        BatchNorm.backward(dU, z, N, C, P, gamma, mean, invStd, dZ, dGamma, dBeta);
        double[] rd = Reference.toDouble(dU);
        ToDoubleFunction<double[]> byZ = x -> Reference.dot(rd, batchNorm(x, gd, bd, eps));
        ToDoubleFunction<double[]> byGamma = x -> Reference.dot(rd, batchNorm(zd, x, bd, eps));
        ToDoubleFunction<double[]> byBeta = x -> Reference.dot(rd, batchNorm(zd, gd, x, eps));
        assertTrue(Reference.relativeError(dZ, Reference.gradient(byZ, zd.clone(), 1e-4)) < 1e-4, "dZ");
        assertTrue(Reference.relativeError(dGamma, Reference.gradient(byGamma, gd.clone(), 1e-4)) < 1e-4, "dGamma");
        assertTrue(Reference.relativeError(dBeta, Reference.gradient(byBeta, bd.clone(), 1e-4)) < 1e-4, "dBeta");
    }

    /** Float64 inference-mode batch norm with fixed statistics. */
    private static double[] fixedBatchNorm(double[] z, double[] gamma, double[] beta, double[] mean, double[] var,
            double eps) {
        double[] u = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            int c = (i / P) % C;
            u[i] = gamma[c] * (z[i] - mean[c]) / Math.sqrt(var[c] + eps) + beta[c];
        }
        return u;
    }

    @Test
    void batchNormWithRunningStatisticsBackPropagatesThemAsConstantsMatchingFiniteDifferences() {
        Random r = new Random(12);
        float[] z = Reference.randomFloats(r, N * C * P, 3);
        float[] gamma = Reference.randomFloats(r, C, 1);
        float[] beta = Reference.randomFloats(r, C, 1);
        float[] dU = Reference.randomFloats(r, N * C * P, 1);
        float[] runningMean = Reference.randomFloats(r, C, 1);
        float[] runningVar = {0.5f, 1, 2, 4};
        float eps = 1e-5f;
        float[] invStd = new float[C];
        for (int c = 0; c < C; c++) {
            invStd[c] = (float) (1 / Math.sqrt(runningVar[c] + (double) eps));
        }
        float[] dZ = new float[z.length];
        float[] dGamma = new float[C];
        float[] dBeta = new float[C];
        BatchNorm.backwardRunning(dU, z, N, C, P, gamma, runningMean, invStd, dZ, dGamma, dBeta);
        double[] rd = Reference.toDouble(dU);
        double[] zd = Reference.toDouble(z);
        double[] gd = Reference.toDouble(gamma);
        double[] bd = Reference.toDouble(beta);
        double[] md = Reference.toDouble(runningMean);
        double[] vd = Reference.toDouble(runningVar);
        ToDoubleFunction<double[]> byZ = x -> Reference.dot(rd, fixedBatchNorm(x, gd, bd, md, vd, eps));
        ToDoubleFunction<double[]> byGamma = x -> Reference.dot(rd, fixedBatchNorm(zd, x, bd, md, vd, eps));
        ToDoubleFunction<double[]> byBeta = x -> Reference.dot(rd, fixedBatchNorm(zd, gd, x, md, vd, eps));
        assertTrue(Reference.relativeError(dZ, Reference.gradient(byZ, zd.clone(), 1e-4)) < 1e-4, "dZ");
        assertTrue(Reference.relativeError(dGamma, Reference.gradient(byGamma, gd.clone(), 1e-4)) < 1e-4, "dGamma");
        assertTrue(Reference.relativeError(dBeta, Reference.gradient(byBeta, bd.clone(), 1e-4)) < 1e-4, "dBeta");
    }

    @Test
    void batchNormRunningStatisticsMoveByMomentumWithUnbiasedVariance() {
        float[] z = new float[N * C * P];
        for (int i = 0; i < z.length; i++) {
            z[i] = i % 7;
        }
        float[] runningMean = {1, 1, 1, 1};
        float[] runningVar = {2, 2, 2, 2};
        float[] mean = new float[C];
        float[] invStd = new float[C];
        BatchNorm.forwardTraining(z, new float[z.length], N, C, P, new float[] {1, 1, 1, 1}, new float[C], 1e-5f,
                0.1f, runningMean, runningVar, mean, invStd);
        for (int c = 0; c < C; c++) {
            double s = 0;
            double sq = 0;
            for (int n = 0; n < N; n++) {
                for (int p = 0; p < P; p++) {
                    s += z[(n * C + c) * P + p];
                }
            }
            double m = s / (N * P);
            for (int n = 0; n < N; n++) {
                for (int p = 0; p < P; p++) {
                    sq += Math.pow(z[(n * C + c) * P + p] - m, 2);
                }
            }
            assertEquals(0.9 * 1 + 0.1 * m, runningMean[c], 1e-6);
            assertEquals(0.9 * 2 + 0.1 * sq / (N * P - 1), runningVar[c], 1e-5);
        }
    }

    @Test
    void momentsOfShardsCombineIntoTheWholeBatchsMeanAndSquaredDeviations() {
        Random r = new Random(17);
        int batch = 7;
        float[] z = new float[batch * C * P];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (3 + 2 * r.nextGaussian()); // an offset mean: E[x^2] - m^2 would cancel
        }
        double[] sums = new double[C];
        double[] squares = new double[C];
        BatchNorm.channelMoments(z, batch, C, P, sums, squares);
        double[] mean = new double[C];
        double[] combined = new double[C];
        BatchNorm.combineMoments(new double[][] {sums}, new double[][] {squares}, new long[] {(long) batch * P}, C,
                mean, combined);
        assertArrayEquals(squares, combined, 0.0, "one part is left as it is");
        int[] sizes = {3, 1, 3};
        double[][] partSums = new double[sizes.length][C];
        double[][] partSquares = new double[sizes.length][C];
        long[] counts = new long[sizes.length];
        for (int s = 0, first = 0; s < sizes.length; first += sizes[s], s++) {
            float[] part = java.util.Arrays.copyOfRange(z, first * C * P, (first + sizes[s]) * C * P);
            BatchNorm.channelMoments(part, sizes[s], C, P, partSums[s], partSquares[s]);
            counts[s] = (long) sizes[s] * P;
        }
        double[] shardMean = new double[C];
        double[] shardSquares = new double[C];
        BatchNorm.combineMoments(partSums, partSquares, counts, C, shardMean, shardSquares);
        for (int c = 0; c < C; c++) {
            assertEquals(sums[c] / (batch * P), mean[c], 0.0);
            assertEquals(mean[c], shardMean[c], 1e-12 * Math.abs(mean[c]));
            assertEquals(squares[c], shardSquares[c], 1e-12 * squares[c]);
        }
    }

    @Test
    void foldedBatchNormGivesTheSameOutputAsConvolutionThenInferenceBatchNorm() {
        Random r = new Random(12);
        ConvKernel conv = ConvKernel.create(C, 6, 1, 1, 0, 1, 2, 3, 1);
        float[] in = Reference.randomFloats(r, C * 6, 2);
        float[] w = Reference.randomFloats(r, 6 * C, 1);
        float[] gamma = Reference.randomFloats(r, 6, 1);
        float[] beta = Reference.randomFloats(r, 6, 1);
        float[] rm = Reference.randomFloats(r, 6, 1);
        float[] rv = Reference.randomFloats(r, 6, 1);
        for (int i = 0; i < 6; i++) {
            rv[i] = Math.abs(rv[i]) + 0.1f;
        }
        float[] z = new float[36];
        conv.forward(in, w, null, null, z, 1, false);
        float[] u = new float[36];
        BatchNorm.forwardInference(z, u, 1, 6, 6, gamma, beta, 1e-3f, rm, rv);
        float[] fw = new float[w.length];
        float[] fb = new float[6];
        BatchNorm.fold(w, null, 6, gamma, beta, 1e-3f, rm, rv, fw, fb);
        float[] folded = new float[36];
        conv.forward(in, fw, fb, null, folded, 1, false);
        assertTrue(Reference.relativeError(folded, Reference.toDouble(u)) < 1e-5);
    }

    @Test
    void relu6ClampsAndItsBackwardPassesGradientOnlyStrictlyInsideZeroToSix() {
        float[] x = {-1f, 0f, 0.5f, 5.99f, 6f, 7f, -0f};
        Relu6.forward(x, 0, x.length);
        assertArrayEquals(new float[] {0f, 0f, 0.5f, 5.99f, 6f, 6f, 0f}, x);
        float[] dy = {1, 1, 1, 1, 1, 1, 1};
        Relu6.backward(x, dy, 0, x.length);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0}, dy);
    }

    @Test
    void globalAveragePoolBackwardMatchesFiniteDifferences() {
        Random r = new Random(13);
        float[] in = Reference.randomFloats(r, N * C * P, 1);
        float[] out = new float[N * C];
        GlobalAveragePool.forward(in, N, C, P, out);
        assertEquals((in[0] + in[1] + in[2] + in[3] + in[4]) / 5, out[0], 1e-6);
        float[] dOut = Reference.randomFloats(r, N * C, 1);
        float[] dIn = new float[in.length];
        GlobalAveragePool.backward(dOut, N, C, P, dIn);
        double[] rd = Reference.toDouble(dOut);
        ToDoubleFunction<double[]> loss = x -> {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s += rd[i / P] * x[i] / P;
            }
            return s;
        };
        assertTrue(Reference.relativeError(dIn, Reference.gradient(loss, Reference.toDouble(in), 0.5)) < 1e-6);
    }

    @Test
    void fullyConnectedGradientsMatchFiniteDifferences() {
        Random r = new Random(14);
        int in = 7;
        int out = 3;
        float[] x = Reference.randomFloats(r, N * in, 1);
        float[] w = Reference.randomFloats(r, out * in, 1);
        float[] b = Reference.randomFloats(r, out, 1);
        float[] dOut = Reference.randomFloats(r, N * out, 1);
        double[] rd = Reference.toDouble(dOut);
        double[] xd = Reference.toDouble(x);
        double[] wd = Reference.toDouble(w);
        double[] bd = Reference.toDouble(b);
        float[] y = new float[N * out];
        FullyConnected.forward(x, w, b, y, N, in, out);
        assertTrue(Reference.relativeError(y, linear(xd, wd, bd, in, out)) < 1e-6);
        float[] dX = new float[x.length];
        float[] dW = new float[w.length];
        float[] dB = new float[out];
        FullyConnected.backwardInput(dOut, w, dX, N, in, out);
        FullyConnected.parameterGradient(dOut, x, dW, dB, N, in, out);
        assertTrue(Reference.relativeError(dX, Reference.gradient(v -> Reference.dot(rd, linear(v, wd, bd, in, out)),
                xd.clone(), 0.5)) < 1e-6);
        assertTrue(Reference.relativeError(dW, Reference.gradient(v -> Reference.dot(rd, linear(xd, v, bd, in, out)),
                wd.clone(), 0.5)) < 1e-6);
        assertTrue(Reference.relativeError(dB, Reference.gradient(v -> Reference.dot(rd, linear(xd, wd, v, in, out)),
                bd.clone(), 0.5)) < 1e-6);
    }

    private static double[] linear(double[] x, double[] w, double[] b, int in, int out) {
        double[] y = new double[N * out];
        for (int n = 0; n < N; n++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += w[o * in + i] * x[n * in + i];
                }
                y[n * out + o] = s;
            }
        }
        return y;
    }

    @Test
    void softmaxCrossEntropyLossAndGradientMatchFloat64AndFiniteDifferences() {
        Random r = new Random(15);
        int classes = 5;
        float[] logits = Reference.randomFloats(r, N * classes, 4);
        logits[0] = 80f;
        int[] labels = {9, 9, 0, 4, 2};
        float[] grad = new float[logits.length];
        double loss = SoftmaxCrossEntropy.lossAndGradient(logits, labels, 2, N, classes, grad);
        ToDoubleFunction<double[]> f = z -> {
            double total = 0;
            for (int n = 0; n < N; n++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    max = Math.max(max, z[n * classes + k]);
                }
                double s = 0;
                for (int k = 0; k < classes; k++) {
                    s += Math.exp(z[n * classes + k] - max);
                }
                total += Math.log(s) + max - z[n * classes + labels[2 + n]];
            }
            return total / N;
        };
        double[] zd = Reference.toDouble(logits);
        assertEquals(f.applyAsDouble(zd), loss, 1e-9);
        assertTrue(Reference.relativeError(grad, Reference.gradient(f, zd.clone(), 1e-4)) < 1e-5);
        assertEquals(0, SoftmaxCrossEntropy.argmax(logits, 0, classes));
    }
}
