package io.tinysparse.simulator.engine.kernels;

/**
 * Batch normalisation over {@code [N][C][H][W]} per channel:
 * {@code u = gamma * (z - mean) / sqrt(var + eps) + beta}.
 *
 * <p>Training mode uses the batch's mean and biased variance, and moves the running statistics
 * towards them by {@code momentum} (PyTorch's convention:
 * {@code running = (1 - momentum) * running + momentum * batch}, the running variance
 * unbiased). Inference uses the running statistics; fine-tuning folds them into the
 * convolution instead (see {@link #fold}), as a microcontroller does. Statistics are summed in
 * double.
 */
public final class BatchNorm {
    private BatchNorm() {}

    /**
     * Training-mode forward. Writes the batch {@code mean} and {@code invStd = 1/sqrt(var+eps)}
     * (needed by {@link #backward}) and updates the running statistics.
     */
    public static void forwardTraining(float[] z, float[] u, int batch, int channels, int plane,
            float[] gamma, float[] beta, float eps, float momentum,
            float[] runningMean, float[] runningVar, float[] mean, float[] invStd) {
        long count = (long) batch * plane;
        for (int c = 0; c < channels; c++) {
            double m = channelSum(z, batch, channels, plane, c) / count;
            double sq = channelSquaredDeviations(z, batch, channels, plane, c, m);
            double inv = inverseStd(sq, count, eps);
            mean[c] = (float) m;
            invStd[c] = (float) inv;
            normaliseChannel(z, u, batch, channels, plane, c, gamma[c], beta[c], m, inv);
            updateRunningChannel(runningMean, runningVar, c, momentum, m, sq, count);
        }
    }

    /*
     * The pieces of forwardTraining and backward for a batch split into shards, each shard's
     * tensor on its own executor (synchronised batch norm): each shard's per-channel moments or
     * sums are combined over the shards in shard order, after which each shard finishes its own
     * part. With one shard they compute exactly what forwardTraining and backward compute.
     */

    /**
     * Per channel of {@code z}, over the batch and the plane ({@code batch * plane} values):
     * {@code sums[c]}, the sum, and {@code squaredDeviations[c]}, the sum of squared deviations
     * from this tensor's own mean, both in double (two passes, as {@link #forwardTraining}).
     */
    public static void channelMoments(float[] z, int batch, int channels, int plane, double[] sums,
            double[] squaredDeviations) {
        long count = (long) batch * plane;
        for (int c = 0; c < channels; c++) {
            sums[c] = channelSum(z, batch, channels, plane, c);
            squaredDeviations[c] = channelSquaredDeviations(z, batch, channels, plane, c, sums[c] / count);
        }
    }

    /**
     * The whole batch's per-channel {@code mean} and sum of squared deviations from it
     * ({@code squaredDeviations}), from the {@link #channelMoments} of its parts, combined in
     * part order: {@code mean = (sum of sums) / n} and {@code M2 = sum over parts of
     * (M2_part + n_part * (mean_part - mean)^2)} (exact in real arithmetic, and free of the
     * cancellation of {@code E[x^2] - mean^2}). For one part, that part's moments unchanged.
     *
     * @param counts values per channel of each part ({@code batch * plane})
     */
    public static void combineMoments(double[][] sums, double[][] squaredDeviationParts, long[] counts,
            int channels, double[] mean, double[] squaredDeviations) {
        long n = 0;
        for (long k : counts) {
            n += k;
        }
        for (int c = 0; c < channels; c++) {
            double sum = sums[0][c];
            for (int s = 1; s < sums.length; s++) {
                sum += sums[s][c];
            }
            double m = sum / n;
            double m2 = 0;
            for (int s = 0; s < sums.length; s++) {
                double d = sums[s][c] / counts[s] - m;
                m2 += squaredDeviationParts[s][c] + counts[s] * (d * d);
            }
            mean[c] = m;
            squaredDeviations[c] = m2;
        }
    }

    /** {@code 1 / sqrt(squaredDeviations / count + eps)}: the inverse standard deviation of batch statistics. */
    public static double inverseStd(double squaredDeviations, long count, float eps) {
        return 1.0 / Math.sqrt(squaredDeviations / count + eps);
    }

    /**
     * Normalises {@code z} into {@code u} with given statistics (the whole batch's, of which
     * {@code z} may be a shard), and writes them as floats into {@code savedMean} and
     * {@code savedInvStd} for {@link #gradientSums} and {@link #inputGradient}.
     */
    public static void normalise(float[] z, float[] u, int batch, int channels, int plane, float[] gamma,
            float[] beta, double[] mean, double[] invStd, float[] savedMean, float[] savedInvStd) {
        for (int c = 0; c < channels; c++) {
            savedMean[c] = (float) mean[c];
            savedInvStd[c] = (float) invStd[c];
            normaliseChannel(z, u, batch, channels, plane, c, gamma[c], beta[c], mean[c], invStd[c]);
        }
    }

    /**
     * Moves the running statistics towards the batch's, given as per-channel {@code mean} and
     * sums of squared deviations {@code squaredDeviations} over {@code count} values.
     */
    public static void updateRunning(float[] runningMean, float[] runningVar, int channels, float momentum,
            double[] mean, double[] squaredDeviations, long count) {
        for (int c = 0; c < channels; c++) {
            updateRunningChannel(runningMean, runningVar, c, momentum, mean[c], squaredDeviations[c], count);
        }
    }

    /**
     * Per channel, {@code sumG[c] = sum dU} and {@code sumGx[c] = sum dU * (z - mean) * invStd}
     * over the batch and the plane, in double: the training-mode backward's two reductions
     * (and the shift and scale gradients).
     */
    public static void gradientSums(float[] dU, float[] z, int batch, int channels, int plane, float[] mean,
            float[] invStd, double[] sumG, double[] sumGx) {
        for (int c = 0; c < channels; c++) {
            sumG[c] = channelSum(dU, batch, channels, plane, c);
            sumGx[c] = channelGradientXhatSum(dU, z, batch, channels, plane, c, mean[c], invStd[c]);
        }
    }

    /**
     * The training-mode input gradient {@code dZ} (overwritten) from {@code dU}, the saved input
     * {@code z}, its statistics and the whole batch's {@link #gradientSums} over {@code count}
     * values per channel.
     */
    public static void inputGradient(float[] dU, float[] z, int batch, int channels, int plane, float[] gamma,
            float[] mean, float[] invStd, double[] sumG, double[] sumGx, long count, float[] dZ) {
        for (int c = 0; c < channels; c++) {
            inputGradientChannel(dU, z, batch, channels, plane, c, gamma[c], mean[c], invStd[c], sumG[c], sumGx[c],
                    count, dZ);
        }
    }

    private static double channelSum(float[] x, int batch, int channels, int plane, int c) {
        double sum = 0;
        for (int n = 0; n < batch; n++) {
            for (int p = 0, i = (n * channels + c) * plane; p < plane; p++, i++) {
                sum += x[i];
            }
        }
        return sum;
    }

    private static double channelSquaredDeviations(float[] z, int batch, int channels, int plane, int c, double m) {
        double sq = 0;
        for (int n = 0; n < batch; n++) {
            for (int p = 0, i = (n * channels + c) * plane; p < plane; p++, i++) {
                double d = z[i] - m;
                sq += d * d;
            }
        }
        return sq;
    }

    private static void normaliseChannel(float[] z, float[] u, int batch, int channels, int plane, int c,
            float gamma, float beta, double m, double inv) {
        float scale = (float) (gamma * inv);
        float shift = (float) (beta - m * gamma * inv);
        for (int n = 0; n < batch; n++) {
            for (int p = 0, i = (n * channels + c) * plane; p < plane; p++, i++) {
                u[i] = Math.fma(z[i], scale, shift);
            }
        }
    }

    private static void updateRunningChannel(float[] runningMean, float[] runningVar, int c, float momentum,
            double m, double sq, long count) {
        double unbiased = count > 1 ? sq / (count - 1) : sq / count;
        runningMean[c] = (float) ((1 - momentum) * runningMean[c] + momentum * m);
        runningVar[c] = (float) ((1 - momentum) * runningVar[c] + momentum * unbiased);
    }

    private static double channelGradientXhatSum(float[] dU, float[] z, int batch, int channels, int plane, int c,
            double m, double inv) {
        double sumGx = 0;
        for (int n = 0; n < batch; n++) {
            for (int p = 0, i = (n * channels + c) * plane; p < plane; p++, i++) {
                sumGx += dU[i] * ((z[i] - m) * inv);
            }
        }
        return sumGx;
    }

    private static void inputGradientChannel(float[] dU, float[] z, int batch, int channels, int plane, int c,
            float gamma, double m, double inv, double sumG, double sumGx, long count, float[] dZ) {
        double k = gamma * inv;
        double meanG = sumG / count;
        double meanGx = sumGx / count;
        for (int n = 0; n < batch; n++) {
            for (int p = 0, i = (n * channels + c) * plane; p < plane; p++, i++) {
                double xhat = (z[i] - m) * inv;
                dZ[i] = (float) (k * (dU[i] - meanG - xhat * meanGx));
            }
        }
    }

    /** Inference-mode forward with the running statistics. */
    public static void forwardInference(float[] z, float[] u, int batch, int channels, int plane,
            float[] gamma, float[] beta, float eps, float[] runningMean, float[] runningVar) {
        for (int c = 0; c < channels; c++) {
            double inv = 1.0 / Math.sqrt(runningVar[c] + (double) eps);
            float scale = (float) (gamma[c] * inv);
            float shift = (float) (beta[c] - runningMean[c] * gamma[c] * inv);
            for (int n = 0; n < batch; n++) {
                for (int p = 0, i = (n * channels + c) * plane; p < plane; p++, i++) {
                    u[i] = Math.fma(z[i], scale, shift);
                }
            }
        }
    }

    /**
     * Training-mode backward: from {@code dU} and the saved input {@code z} with its batch
     * statistics, writes {@code dZ}, {@code dGamma} and {@code dBeta} (all overwritten).
     */
    public static void backward(float[] dU, float[] z, int batch, int channels, int plane,
            float[] gamma, float[] mean, float[] invStd, float[] dZ, float[] dGamma, float[] dBeta) {
        long count = (long) batch * plane;
        for (int c = 0; c < channels; c++) {
            double m = mean[c];
            double inv = invStd[c];
            double sumG = channelSum(dU, batch, channels, plane, c);
            double sumGx = channelGradientXhatSum(dU, z, batch, channels, plane, c, m, inv);
            dBeta[c] = (float) sumG;
            dGamma[c] = (float) sumGx;
            inputGradientChannel(dU, z, batch, channels, plane, c, gamma[c], m, inv, sumG, sumGx, count, dZ);
        }
    }

    /**
     * Backward of inference-mode batch norm (running statistics held fixed, only the scale and
     * shift trained, as when fine-tuning with frozen statistics): {@code dZ = dU * gamma * invStd},
     * {@code dGamma = sum dU * (z - mean) * invStd}, {@code dBeta = sum dU}, per channel, with the
     * running {@code mean} and {@code invStd = 1/sqrt(var+eps)} (all outputs overwritten).
     */
    public static void backwardRunning(float[] dU, float[] z, int batch, int channels, int plane,
            float[] gamma, float[] mean, float[] invStd, float[] dZ, float[] dGamma, float[] dBeta) {
        for (int c = 0; c < channels; c++) {
            double m = mean[c];
            double inv = invStd[c];
            double sumG = 0;
            double sumGx = 0;
            float k = (float) (gamma[c] * inv);
            for (int n = 0; n < batch; n++) {
                for (int p = 0, i = (n * channels + c) * plane; p < plane; p++, i++) {
                    sumG += dU[i];
                    sumGx += dU[i] * ((z[i] - m) * inv);
                    dZ[i] = dU[i] * k;
                }
            }
            dBeta[c] = (float) sumG;
            dGamma[c] = (float) sumGx;
        }
    }

    /**
     * Folds inference-mode batch norm into the convolution before it:
     * {@code W'[co] = W[co] * s[co]}, {@code b'[co] = beta[co] + (b[co] - mean[co]) * s[co]},
     * with {@code s = gamma / sqrt(var + eps)}. Writes {@code foldedWeight} and {@code foldedBias}.
     *
     * @param bias the convolution's own bias, or null for none
     */
    public static void fold(float[] weight, float[] bias, int outChannels, float[] gamma, float[] beta, float eps,
            float[] runningMean, float[] runningVar, float[] foldedWeight, float[] foldedBias) {
        int perChannel = weight.length / outChannels;
        for (int co = 0; co < outChannels; co++) {
            double s = gamma[co] / Math.sqrt(runningVar[co] + (double) eps);
            for (int i = co * perChannel; i < (co + 1) * perChannel; i++) {
                foldedWeight[i] = (float) (weight[i] * s);
            }
            double b = bias == null ? 0 : bias[co];
            foldedBias[co] = (float) (beta[co] + (b - runningMean[co]) * s);
        }
    }
}
