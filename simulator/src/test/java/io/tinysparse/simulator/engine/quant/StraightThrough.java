package io.tinysparse.simulator.engine.quant;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.kernels.Padding;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;

/**
 * The int8 forward pass as the straight-through estimator sees it, in double precision: each
 * convolution's output is its real pre-rounding value {@code u(θ) = conv(x, w) + b + skip} plus
 * the rounding offset it had at the starting parameters (so the value equals the int8 forward's
 * there), where the int8 clamp let the value pass; where it clamped, the clamped value, constant.
 * That function is differentiable at the starting point, and its derivative is what the int8
 * backward pass claims: finite differences of it are the oracle (4b).
 */
final class StraightThrough {
    private final QuantizedNetwork net;
    private final Padding[] padding;
    private final int batch;
    private final int[] labels;
    private final int first;
    private final double[][] fixed;
    private final boolean[][] passes;
    private final double[][] offsets;
    private final double[][] weights;
    private final double[][] biases;
    private final double[] classifierWeights;
    private final double[] classifierBias;

    StraightThrough(QuantizedNetwork net, Padding[] padding, float[] images, int batch, int[] labels, int first) {
        this.net = net;
        this.padding = padding;
        this.batch = batch;
        this.labels = labels;
        this.first = first;
        LayerTable t = net.layers();
        int n = t.convCount();
        passes = new boolean[n][];
        int[][] codes = IntegerReference.codes(net, padding, images, batch, passes);
        fixed = new double[n + 1][];
        for (int k = 0; k <= n; k++) {
            fixed[k] = new double[codes[k].length];
            for (int e = 0; e < codes[k].length; e++) {
                fixed[k][e] = (double) net.tensor(k).scale() * (codes[k][e] - net.tensor(k).zeroPoint());
            }
        }
        Network view = net.view();
        weights = new double[n][];
        biases = new double[n][];
        for (int i = 0; i < n; i++) {
            weights[i] = toDouble(view.weights(i));
            biases[i] = toDouble(view.bias(i));
        }
        classifierWeights = toDouble(view.classifierWeights());
        classifierBias = toDouble(view.classifierBias());
        offsets = new double[n][];
        for (int i = first; i < n; i++) {
            double[] u = preRounding(t.conv(i), fixed);
            offsets[i] = new double[u.length];
            for (int e = 0; e < u.length; e++) {
                offsets[i][e] = fixed[i + 1][e] - u[e];
            }
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int e = 0; e < a.length; e++) {
            d[e] = a[e];
        }
        return d;
    }

    double weightDerivative(int layer, int index) {
        return derivative(weights[layer], index);
    }

    double biasDerivative(int layer, int channel) {
        return derivative(biases[layer], channel);
    }

    double classifierDerivative(int index) {
        return derivative(classifierWeights, index);
    }

    private double derivative(double[] parameter, int index) {
        double h = 1e-4;
        double original = parameter[index];
        parameter[index] = original + h;
        double up = loss();
        parameter[index] = original - h;
        double down = loss();
        parameter[index] = original;
        return (up - down) / (2 * h);
    }

    private double loss() {
        LayerTable t = net.layers();
        int n = t.convCount();
        double[][] x = fixed.clone();
        for (int i = first; i < n; i++) {
            double[] u = preRounding(t.conv(i), x);
            double[] y = new double[u.length];
            for (int e = 0; e < u.length; e++) {
                y[e] = passes[i][e] ? u[e] + offsets[i][e] : fixed[i + 1][e];
            }
            x[i + 1] = y;
        }
        ConvLayer last = t.conv(n - 1);
        int features = last.outChannels();
        int plane = last.outHeight() * last.outWidth();
        int classes = classifierBias.length;
        double total = 0;
        for (int b = 0; b < batch; b++) {
            double[] logits = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                double s = classifierBias[k];
                for (int f = 0; f < features; f++) {
                    double mean = 0;
                    for (int p = 0; p < plane; p++) {
                        mean += x[n][(b * features + f) * plane + p];
                    }
                    s += classifierWeights[k * features + f] * mean / plane;
                }
                logits[k] = s;
                max = Math.max(max, s);
            }
            double z = 0;
            for (double l : logits) {
                z += Math.exp(l - max);
            }
            total += Math.log(z) + max - logits[labels[b]];
        }
        return total / batch;
    }

    /** {@code conv(x[i], w) + b (+ x[skip])} of convolution {@code c}, in double. */
    private double[] preRounding(ConvLayer c, double[][] x) {
        int i = c.index();
        double[] in = x[i];
        double[] skip = c.residualAdd() ? x[c.residualFrom() + 1] : null;
        Padding pad = padding[i];
        int cin = c.inChannels();
        int cout = c.outChannels();
        int inPer = cin / c.groups();
        int outPer = cout / c.groups();
        int k = c.kernel();
        int h = c.inHeight();
        int wd = c.inWidth();
        int oh = c.outHeight();
        int ow = c.outWidth();
        double[] w = weights[i];
        double[] out = new double[batch * cout * oh * ow];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < cout; o++) {
                int group = o / outPer;
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        double acc = biases[i][o];
                        for (int ci = 0; ci < inPer; ci++) {
                            int channel = group * inPer + ci;
                            for (int ky = 0; ky < k; ky++) {
                                int iy = y * c.stride() - pad.top() + ky;
                                for (int kx = 0; kx < k; kx++) {
                                    int ix = xx * c.stride() - pad.left() + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        acc += in[((b * cin + channel) * h + iy) * wd + ix]
                                                * w[((o * inPer + ci) * k + ky) * k + kx];
                                    }
                                }
                            }
                        }
                        int e = ((b * cout + o) * oh + y) * ow + xx;
                        out[e] = skip == null ? acc : acc + skip[e];
                    }
                }
            }
        }
        return out;
    }
}
