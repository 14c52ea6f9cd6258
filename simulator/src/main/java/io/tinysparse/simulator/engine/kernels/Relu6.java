package io.tinysparse.simulator.engine.kernels;

/**
 * ReLU6, {@code y = min(max(x, 0), 6)}, and its backward pass from the saved output.
 *
 * <p>The derivative is 1 where {@code 0 < x < 6} and 0 elsewhere (PyTorch's {@code hardtanh}
 * convention at the two kinks). Since {@code 0 < y < 6} exactly when {@code 0 < x < 6}, the
 * output alone is the mask: nothing else needs to be kept for backward (on a device, one bit
 * per element).
 */
public final class Relu6 {
    private Relu6() {}

    /** {@code x[off .. off+len) = relu6(x)} in place. */
    public static void forward(float[] x, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            x[i] = Math.min(Math.max(x[i], 0f), 6f);
        }
    }

    /** {@code dy[i] = 0 < y[i] < 6 ? dy[i] : 0} for {@code i} in {@code [off, off+len)}, in place. */
    public static void backward(float[] y, float[] dy, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            float v = y[i];
            if (!(v > 0f && v < 6f)) {
                dy[i] = 0f;
            }
        }
    }
}
