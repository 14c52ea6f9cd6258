package io.tinysparse.simulator.engine.quant;

import io.tinysparse.simulator.engine.kernels.Padding;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;

/**
 * An int8 forward pass written plainly in integers (int codes, long accumulators, explicit
 * loops over padding, floor division for the rounding shift) from the definitions in
 * {@link TensorQuantization} and {@link Requantization}: the oracle of the engine's int8 path.
 */
final class IntegerReference {
    private IntegerReference() {}

    /** Codes ({@code q}, not centred) of every tensor {@code [0, convCount]} for {@code batch} images. */
    static int[][] codes(QuantizedNetwork net, Padding[] padding, float[] images, int batch) {
        return codes(net, padding, images, batch, new boolean[net.layers().convCount()][]);
    }

    /**
     * {@link #codes(QuantizedNetwork, Padding[], float[], int)}, also filling {@code passes[i]}:
     * where the value before convolution {@code i}'s clamp lay inside the clamp's range.
     */
    static int[][] codes(QuantizedNetwork net, Padding[] padding, float[] images, int batch, boolean[][] passes) {
        LayerTable t = net.layers();
        int n = t.convCount();
        int[][] q = new int[n + 1][];
        TensorQuantization in0 = net.tensor(0);
        q[0] = new int[images.length];
        for (int e = 0; e < images.length; e++) {
            long v = (long) Math.floor(images[e] / in0.scale() + 0.5f) + in0.zeroPoint();
            q[0][e] = (int) Math.max(-128, Math.min(127, v));
        }
        for (int i = 0; i < n; i++) {
            q[i + 1] = layer(net, t.conv(i), padding[i], q[i], t.conv(i).residualAdd()
                    ? q[t.conv(i).residualFrom() + 1] : null, batch, passes);
        }
        return q;
    }

    private static int[] layer(QuantizedNetwork net, ConvLayer c, Padding pad, int[] in, int[] skip, int batch,
            boolean[][] passes) {
        int i = c.index();
        int zIn = net.tensor(i).zeroPoint();
        int zOut = net.tensor(i + 1).zeroPoint();
        int zSkip = skip == null ? 0 : net.tensor(c.residualFrom() + 1).zeroPoint();
        Requantization r = net.requantization(i);
        byte[] w = net.weights(i);
        int[] bias = net.biases(i);
        int cin = c.inChannels();
        int cout = c.outChannels();
        int g = c.groups();
        int inPer = cin / g;
        int outPer = cout / g;
        int k = c.kernel();
        int h = c.inHeight();
        int wd = c.inWidth();
        int oh = c.outHeight();
        int ow = c.outWidth();
        int[] out = new int[batch * cout * oh * ow];
        passes[i] = new boolean[out.length];
        long half = 1L << (r.shift() - 1);
        long divisor = 1L << r.shift();
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < cout; o++) {
                int group = o / outPer;
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        long acc = bias[o];
                        for (int ci = 0; ci < inPer; ci++) {
                            int channel = group * inPer + ci;
                            for (int ky = 0; ky < k; ky++) {
                                int iy = y * c.stride() - pad.top() + ky;
                                for (int kx = 0; kx < k; kx++) {
                                    int ix = x * c.stride() - pad.left() + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) {
                                        continue; // zero padding: real 0
                                    }
                                    int a = in[((b * cin + channel) * h + iy) * wd + ix] - zIn;
                                    acc += (long) a * w[((o * inPer + ci) * k + ky) * k + kx];
                                }
                            }
                        }
                        int e = ((b * cout + o) * oh + y) * ow + x;
                        long sum = Math.addExact(Math.multiplyExact(acc, r.accMultiplier()[o]), half);
                        if (skip != null) {
                            sum = Math.addExact(sum, Math.multiplyExact((long) (skip[e] - zSkip), r.skipMultiplier()));
                        }
                        long v = zOut + Math.floorDiv(sum, divisor);
                        out[e] = (int) Math.max(r.low(), Math.min(r.high(), v));
                        passes[i][e] = v >= r.low() && v <= r.high();
                    }
                }
            }
        }
        return out;
    }
}
