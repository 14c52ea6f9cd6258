package io.tinysparse.simulator.engine.quant;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;

/**
 * A folded {@link Network} quantized after training for int8 inference and training, as a
 * microcontroller holds it:
 * <ul>
 *   <li>convolution weights int8, symmetric, one scale per output channel:
 *       {@code s_w[o] = max|w[o]| / 127}, {@code q = round(w / s_w[o])} in {@code [-127, 127]};
 *   <li>biases int32 in units of {@code s_in * s_w[o]} (saturated to int32);
 *   <li>every activation tensor (the image, each convolution's output) int8 per tensor,
 *       asymmetric ({@link TensorQuantization}), its range the minimum and maximum the fp32
 *       network produces on the calibration images (TFLite's post-training rule: no value of
 *       the calibration set is clipped, ReLU6's range stays whole); a ReLU6 output's range is
 *       {@code [0, min(6, max)]};
 *   <li>one {@link Requantization} per convolution (the residual add fused into the
 *       projection's);
 *   <li>the classifier in fp32, on the dequantized pooled features (tiny-training trains its
 *       head as an fp32 {@code ScaledLinear} on the dequantized features too).
 * </ul>
 * Scales, zero points and multipliers are fixed after calibration; training changes the int8
 * weights, the int32 biases and the fp32 classifier only. Alongside, {@link #view()} is an fp32
 * {@link Network} holding the dequantized weights ({@code s_w[o] * q}) and biases
 * ({@code s_in * s_w[o] * q_b}) and the classifier itself: the parameters the fp32 backward pass
 * differentiates through. Whoever changes an int8 weight or bias updates the view with it
 * ({@link #setWeight}, {@link #setBias}). Not thread-safe; {@link #copy()} makes an independent one.
 */
public final class QuantizedNetwork {
    /**
     * Largest number of products one output sums for the accumulation to run exactly in fp32
     * kernels: centred codes are at most 255 in magnitude, weights 127, and
     * {@code 518 * 255 * 127 < 2^24}, below which every partial sum of integers is an exact float.
     */
    public static final int MAX_EXACT_TERMS = 518;

    private final Network view;
    private final byte[][] weights;
    /** The int8 weights as floats, for the fp32 kernels that accumulate them exactly. */
    private final float[][] codes;
    private final float[][] weightScales;
    private final int[][] biases;
    private final TensorQuantization[] tensors;
    private final Requantization[] requantizations;

    private QuantizedNetwork(Network view, byte[][] weights, float[][] weightScales, int[][] biases,
            TensorQuantization[] tensors, Requantization[] requantizations) {
        this.view = view;
        this.weights = weights;
        this.codes = new float[weights.length][];
        for (int i = 0; i < weights.length; i++) {
            codes[i] = new float[weights[i].length];
            for (int e = 0; e < codes[i].length; e++) {
                codes[i][e] = weights[i][e];
            }
        }
        this.weightScales = weightScales;
        this.biases = biases;
        this.tensors = tensors;
        this.requantizations = requantizations;
    }

    /**
     * Quantizes {@code network} (folded) with activation ranges from {@code count} calibration
     * images ({@code images}, {@code count * C * H * W} values entering layer 0, normalised as
     * the network was trained). Deterministic: the same network and images give the same codes.
     *
     * @throws InvalidInputException if the network is unfolded, there is no image, or a layer
     *     sums more than {@link #MAX_EXACT_TERMS} products per output
     */
    public static QuantizedNetwork calibrate(Network network, float[] images, int count, int batchSize) {
        if (!network.isFolded()) {
            throw new InvalidInputException("int8 quantization needs a folded network (batch norm merged)");
        }
        LayerTable table = network.layers();
        int n = table.convCount();
        for (ConvLayer c : table.convs()) {
            long terms = (long) c.inChannels() / c.groups() * c.kernel() * c.kernel();
            if (terms > MAX_EXACT_TERMS) {
                throw new InvalidInputException("int8 engine: layer " + c.index() + " of " + network.spec().label()
                        + " sums " + terms + " products per output, more than " + MAX_EXACT_TERMS);
            }
        }
        if (count < 1) {
            throw new InvalidInputException("int8 calibration needs at least one image, got " + count);
        }
        double[][] ranges = ranges(network, images, count, batchSize);
        TensorQuantization[] tensors = new TensorQuantization[n + 1];
        tensors[0] = TensorQuantization.ofRange(ranges[0][0], ranges[0][1]);
        for (int i = 0; i < n; i++) {
            ConvLayer c = table.conv(i);
            double hi = c.relu6() ? Math.min(6, ranges[i + 1][1]) : ranges[i + 1][1];
            double lo = c.relu6() ? 0 : ranges[i + 1][0];
            tensors[i + 1] = TensorQuantization.ofRange(lo, hi);
        }
        byte[][] q = new byte[n][];
        float[][] scales = new float[n][];
        int[][] qb = new int[n][];
        float[][] w = new float[n][];
        float[][] b = new float[n][];
        Requantization[] requant = new Requantization[n];
        for (int i = 0; i < n; i++) {
            ConvLayer c = table.conv(i);
            scales[i] = channelScales(network.weights(i), c.outChannels());
            q[i] = new byte[network.weights(i).length];
            w[i] = new float[q[i].length];
            qb[i] = new int[c.outChannels()];
            b[i] = new float[c.outChannels()];
            int per = q[i].length / c.outChannels();
            float sIn = tensors[i].scale();
            double[] acc = new double[c.outChannels()];
            for (int o = 0; o < c.outChannels(); o++) {
                float s = scales[i][o];
                for (int e = o * per; e < (o + 1) * per; e++) {
                    int v = Math.round(network.weights(i)[e] / s);
                    q[i][e] = (byte) Math.max(-127, Math.min(127, v));
                    w[i][e] = s * q[i][e];
                }
                long bias = Math.round(network.bias(i)[o] / ((double) sIn * s));
                qb[i][o] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, bias));
                b[i][o] = (float) ((double) sIn * s * qb[i][o]);
                acc[o] = (double) sIn * s / tensors[i + 1].scale();
            }
            TensorQuantization out = tensors[i + 1];
            double skip = c.residualAdd() ? (double) tensors[c.residualFrom() + 1].scale() / out.scale() : 0;
            int low = TensorQuantization.MIN;
            int high = TensorQuantization.MAX;
            if (c.relu6()) {
                low = Math.max(low, out.zeroPoint());
                high = (int) Math.min(high, out.zeroPoint() + (long) Math.round(6.0 / out.scale()));
            }
            requant[i] = Requantization.of(acc, skip, out.zeroPoint(), low, high);
        }
        Network view = Network.of(network.spec(), network.batchNormEpsilon(), network.paddingConvention(), w, b, null,
                network.classifierWeights(), network.classifierBias());
        return new QuantizedNetwork(view, q, scales, qb, tensors, requant);
    }

    /** Per output channel {@code max|w| / 127}; an all-zero channel takes the mean of the others (1/127 if none). */
    private static float[] channelScales(float[] w, int outChannels) {
        int per = w.length / outChannels;
        float[] s = new float[outChannels];
        double sum = 0;
        int nonZero = 0;
        for (int o = 0; o < outChannels; o++) {
            float max = 0;
            for (int e = o * per; e < (o + 1) * per; e++) {
                max = Math.max(max, Math.abs(w[e]));
            }
            s[o] = max / 127f;
            if (max > 0) {
                sum += s[o];
                nonZero++;
            }
        }
        float fallback = nonZero > 0 ? (float) (sum / nonZero) : 1f / 127;
        for (int o = 0; o < outChannels; o++) {
            if (!(s[o] > 0)) {
                s[o] = fallback;
            }
        }
        return s;
    }

    /** {@code [tensor][min, max]} of the image and of every convolution's output in fp32. */
    private static double[][] ranges(Network network, float[] images, int count, int batchSize) {
        int n = network.convCount();
        double[][] r = new double[n + 1][];
        for (int t = 0; t <= n; t++) {
            r[t] = new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        }
        NetworkExecutor executor = new NetworkExecutor(network, Math.max(1, Math.min(batchSize, count)));
        int size = executor.inputSize(0);
        if ((long) count * size != images.length) {
            throw new InvalidInputException(images.length + " calibration values are not " + count + " images of "
                    + size + " values");
        }
        for (int from = 0; from < count; from += executor.maxBatch()) {
            int b = Math.min(executor.maxBatch(), count - from);
            System.arraycopy(images, from * size, executor.input(0), 0, b * size);
            widen(r[0], executor.input(0), b * size);
            for (int i = 0; i < n; i++) {
                executor.runLayers(i, i + 1, b, false);
                widen(r[i + 1], executor.input(i + 1), b * executor.inputSize(i + 1));
            }
        }
        return r;
    }

    private static void widen(double[] range, float[] values, int length) {
        for (int e = 0; e < length; e++) {
            range[0] = Math.min(range[0], values[e]);
            range[1] = Math.max(range[1], values[e]);
        }
    }

    /** An independent copy (codes, biases, view); scales and multipliers are shared, being immutable. */
    public QuantizedNetwork copy() {
        byte[][] q = new byte[weights.length][];
        int[][] b = new int[biases.length][];
        for (int i = 0; i < q.length; i++) {
            q[i] = weights[i].clone();
            b[i] = biases[i].clone();
        }
        return new QuantizedNetwork(view.copy(), q, weightScales, b, tensors, requantizations);
    }

    /** The fp32 view: dequantized weights and biases, the fp32 classifier (live). */
    public Network view() {
        return view;
    }

    /** Layer table. */
    public LayerTable layers() {
        return view.layers();
    }

    /** The int8 weights of convolution {@code layer}, {@code [C_out][C_in / groups][k][k]} (live; change with {@link #setWeight}). */
    public byte[] weights(int layer) {
        return weights[layer];
    }

    /** The int8 weights of convolution {@code layer} as floats (exact), for the kernels; read-only. */
    public float[] weightCodes(int layer) {
        return codes[layer];
    }

    /** Scale of each output channel's weights of convolution {@code layer}. */
    public float weightScale(int layer, int outChannel) {
        return weightScales[layer][outChannel];
    }

    /** The int32 biases of convolution {@code layer} (live; change with {@link #setBias}). */
    public int[] biases(int layer) {
        return biases[layer];
    }

    /** The code of the tensor entering convolution {@code layer} ({@code convCount}: the last output). */
    public TensorQuantization tensor(int layer) {
        return tensors[layer];
    }

    /** The requantization of convolution {@code layer}. */
    public Requantization requantization(int layer) {
        return requantizations[layer];
    }

    /** Sets weight {@code index} of {@code layer} (output channel {@code outChannel}) to {@code code}, and its view. */
    public void setWeight(int layer, int index, int outChannel, int code) {
        if (code < -127 || code > 127) {
            throw new IllegalArgumentException("weight code " + code + " outside [-127, 127]");
        }
        weights[layer][index] = (byte) code;
        codes[layer][index] = code;
        view.weights(layer)[index] = weightScales[layer][outChannel] * code;
    }

    /** Sets the bias of output channel {@code o} of {@code layer} to {@code code}, and its view. */
    public void setBias(int layer, int o, int code) {
        biases[layer][o] = code;
        view.bias(layer)[o] = (float) ((double) tensors[layer].scale() * weightScales[layer][o] * code);
    }

    /** Real value of one bias step of channel {@code o} of {@code layer}: {@code s_in * s_w[o]}. */
    public double biasScale(int layer, int o) {
        return (double) tensors[layer].scale() * weightScales[layer][o];
    }
}
