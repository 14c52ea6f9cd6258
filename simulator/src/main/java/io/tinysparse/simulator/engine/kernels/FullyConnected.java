package io.tinysparse.simulator.engine.kernels;

import java.util.Arrays;

/**
 * A fully connected layer, {@code out[n] = W x[n] + b} with {@code W} of
 * {@code outFeatures x inFeatures} (row-major), and its gradients. Small (the classifier), so
 * plain loops.
 */
public final class FullyConnected {
    private FullyConnected() {}

    /** {@code out[n][o] = b[o] + sum_i w[o][i] * x[n][i]}. */
    public static void forward(float[] x, float[] w, float[] b, float[] out, int batch, int in, int outFeatures) {
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outFeatures; o++) {
                float s = b[o];
                for (int i = 0, wi = o * in, xi = n * in; i < in; i++, wi++, xi++) {
                    s = Math.fma(w[wi], x[xi], s);
                }
                out[n * outFeatures + o] = s;
            }
        }
    }

    /** {@code dX[n][i] = sum_o w[o][i] * dOut[n][o]}, overwriting {@code dX}. */
    public static void backwardInput(float[] dOut, float[] w, float[] dX, int batch, int in, int outFeatures) {
        Arrays.fill(dX, 0, batch * in, 0f);
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outFeatures; o++) {
                float g = dOut[n * outFeatures + o];
                for (int i = 0, wi = o * in, xi = n * in; i < in; i++, wi++, xi++) {
                    dX[xi] = Math.fma(w[wi], g, dX[xi]);
                }
            }
        }
    }

    /** {@code dW[o][i] = sum_n dOut[n][o] x[n][i]} and {@code db[o] = sum_n dOut[n][o]}, overwriting both. */
    public static void parameterGradient(float[] dOut, float[] x, float[] dW, float[] db, int batch, int in,
            int outFeatures) {
        Arrays.fill(dW, 0, outFeatures * in, 0f);
        Arrays.fill(db, 0, outFeatures, 0f);
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outFeatures; o++) {
                float g = dOut[n * outFeatures + o];
                db[o] += g;
                for (int i = 0, wi = o * in, xi = n * in; i < in; i++, wi++, xi++) {
                    dW[wi] = Math.fma(g, x[xi], dW[wi]);
                }
            }
        }
    }
}
