package io.tinysparse.simulator.engine.kernels;

/** Global average pooling, {@code [N][C][H][W] -> [N][C]}, and its backward pass. */
public final class GlobalAveragePool {
    private GlobalAveragePool() {}

    /** {@code out[n][c] = mean over the plane of in[n][c]}. */
    public static void forward(float[] in, int batch, int channels, int plane, float[] out) {
        float scale = 1f / plane;
        for (int nc = 0; nc < batch * channels; nc++) {
            float s = 0f;
            for (int p = 0, i = nc * plane; p < plane; p++, i++) {
                s += in[i];
            }
            out[nc] = s * scale;
        }
    }

    /** {@code dIn[n][c][p] = dOut[n][c] / plane}, overwriting {@code dIn}. */
    public static void backward(float[] dOut, int batch, int channels, int plane, float[] dIn) {
        float scale = 1f / plane;
        for (int nc = 0; nc < batch * channels; nc++) {
            float g = dOut[nc] * scale;
            java.util.Arrays.fill(dIn, nc * plane, (nc + 1) * plane, g);
        }
    }
}
