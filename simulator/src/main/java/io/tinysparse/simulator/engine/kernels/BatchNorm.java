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
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                for (int p = 0, i = (n * channels + c) * plane; p < plane; p++, i++) {
                    sum += z[i];
                }
            }
            double m = sum / count;
            double sq = 0;
            for (int n = 0; n < batch; n++) {
                for (int p = 0, i = (n * channels + c) * plane; p < plane; p++, i++) {
                    double d = z[i] - m;
                    sq += d * d;
                }
            }
            double var = sq / count;
            double inv = 1.0 / Math.sqrt(var + eps);
            mean[c] = (float) m;
            invStd[c] = (float) inv;
            float scale = (float) (gamma[c] * inv);
            float shift = (float) (beta[c] - m * gamma[c] * inv);
            for (int n = 0; n < batch; n++) {
                for (int p = 0, i = (n * channels + c) * plane; p < plane; p++, i++) {
                    u[i] = Math.fma(z[i], scale, shift);
                }
            }
            double unbiased = count > 1 ? sq / (count - 1) : var;
            runningMean[c] = (float) ((1 - momentum) * runningMean[c] + momentum * m);
            runningVar[c] = (float) ((1 - momentum) * runningVar[c] + momentum * unbiased);
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
            double sumG = 0;
            double sumGx = 0;
            for (int n = 0; n < batch; n++) {
                for (int p = 0, i = (n * channels + c) * plane; p < plane; p++, i++) {
                    sumG += dU[i];
                    sumGx += dU[i] * ((z[i] - m) * inv);
                }
            }
            dBeta[c] = (float) sumG;
            dGamma[c] = (float) sumGx;
            double k = gamma[c] * inv;
            double meanG = sumG / count;
            double meanGx = sumGx / count;
            for (int n = 0; n < batch; n++) {
                for (int p = 0, i = (n * channels + c) * plane; p < plane; p++, i++) {
                    double xhat = (z[i] - m) * inv;
                    dZ[i] = (float) (k * (dU[i] - meanG - xhat * meanGx));
                }
            }
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
