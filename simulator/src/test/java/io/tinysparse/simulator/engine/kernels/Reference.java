package io.tinysparse.simulator.engine.kernels;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/** Naive float64 reference operations, finite differences and comparison helpers for the kernel tests. */
final class Reference {
    private Reference() {}

    /**
     * Grouped convolution in double, NCHW, weights [C_out][C_in/groups][k][k], with {@code padTop}
     * rows and {@code padLeft} columns of zeros before the input and {@code ho x wo} outputs (the
     * padding after the input is implied by the output size).
     */
    static double[] conv(double[] in, double[] w, double[] b, int batch, int cin, int cout, int k, int stride,
            int padTop, int padLeft, int ho, int wo, int groups, int h, int wd) {
        int cinG = cin / groups;
        int coutG = cout / groups;
        double[] out = new double[batch * cout * ho * wo];
        for (int n = 0; n < batch; n++) {
            for (int co = 0; co < cout; co++) {
                int g = co / coutG;
                for (int y = 0; y < ho; y++) {
                    for (int x = 0; x < wo; x++) {
                        double s = b == null ? 0 : b[co];
                        for (int ci = 0; ci < cinG; ci++) {
                            int c = g * cinG + ci;
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = y * stride + ky - padTop;
                                    int ix = x * stride + kx - padLeft;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        s += w[((co * cinG + ci) * k + ky) * k + kx] * in[((n * cin + c) * h + iy) * wd + ix];
                                    }
                                }
                            }
                        }
                        out[((n * cout + co) * ho + y) * wo + x] = s;
                    }
                }
            }
        }
        return out;
    }

    /** Central-difference gradient of {@code f} at {@code x[index]}. */
    static double partial(ToDoubleFunction<double[]> f, double[] x, int index, double h) {
        double keep = x[index];
        x[index] = keep + h;
        double plus = f.applyAsDouble(x);
        x[index] = keep - h;
        double minus = f.applyAsDouble(x);
        x[index] = keep;
        return (plus - minus) / (2 * h);
    }

    /** Central-difference gradient of {@code f} at every element of {@code x}. */
    static double[] gradient(ToDoubleFunction<double[]> f, double[] x, double h) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            g[i] = partial(f, x, i, h);
        }
        return g;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static float[] randomFloats(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (scale * (2 * r.nextDouble() - 1));
        }
        return a;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static double[] toDouble(float[] a, int len) {
        double[] d = new double[len];
        for (int i = 0; i < len; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** {@code max |actual - expected| / max |expected|} (0 when both are all zero). */
    static double relativeError(float[] actual, double[] expected) {
        double err = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return scale == 0 ? err : err / scale;
    }
}
