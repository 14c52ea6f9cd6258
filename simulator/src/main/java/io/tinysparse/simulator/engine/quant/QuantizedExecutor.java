package io.tinysparse.simulator.engine.quant;

import io.tinysparse.simulator.engine.GradientRequest;
import io.tinysparse.simulator.engine.GradientSink;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.TrainingExecutor;
import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;

/**
 * Runs a {@link QuantizedNetwork} with int8 inference semantics forward, and its fp32 backward
 * pass from that forward.
 *
 * <p>Forward: the float batch in {@code input(from)} is quantized with that tensor's code; each
 * convolution sums int8 weights times centred int8 inputs ({@code q - zeroPoint}; zero padding
 * is real 0) into int32 accumulators, adds the int32 bias, and requantizes
 * ({@link Requantization}: per-channel fixed-point multipliers, the residual add fused, ReLU6 as
 * the clamp). The sums run in the fp32 kernels on integer-valued floats, which is exact while
 * every partial sum stays below 2^24 ({@link QuantizedNetwork#MAX_EXACT_TERMS}), so the
 * accumulators are the integers an int32 MAC loop gives, bit for bit. After the last
 * convolution the classifier runs in fp32 on the mean of the dequantized last tensor.
 *
 * <p>Backward: the fp32 {@link NetworkExecutor} of the network's {@link QuantizedNetwork#view()}
 * back-propagates through the dequantized tensors of the forward pass and the dequantized
 * weights, treating rounding as the identity (straight-through) and each clamp as what it is:
 * the gradient at a convolution's output passes where the value before the clamp lay inside the
 * clamp's range (bounds included, as tiny-training's {@code _TruncateActivationRange}) and is 0
 * elsewhere. Gradients are with respect to real values (weights {@code s_w * q}); the optimizer
 * turns them into steps of the int8 codes. Not thread-safe.
 */
public final class QuantizedExecutor implements TrainingExecutor {
    private final QuantizedNetwork network;
    private final LayerTable table;
    private final int convCount;
    private final NetworkExecutor fp32;
    private final float[][] centred;
    private final byte[][] passes;
    private final float[] accumulators;

    /** Buffers for {@code network} and batches of up to {@code maxBatch} samples. */
    public QuantizedExecutor(QuantizedNetwork network, int maxBatch) {
        this.network = network;
        this.table = network.layers();
        this.convCount = table.convCount();
        this.fp32 = new NetworkExecutor(network.view(), maxBatch);
        this.centred = new float[convCount + 1][];
        this.passes = new byte[convCount][];
        int largest = 0;
        for (int i = 0; i < convCount; i++) {
            largest = Math.max(largest, fp32.kernel(i).outputSize());
        }
        this.accumulators = new float[maxBatch * largest];
        fp32.setOutputMask(this::mask);
    }

    @Override
    public float[] input(int layer) {
        return fp32.input(layer);
    }

    @Override
    public int inputSize(int layer) {
        return fp32.inputSize(layer);
    }

    @Override
    public int maxBatch() {
        return fp32.maxBatch();
    }

    /** The logits of the last forward pass. */
    public float[] logits() {
        return fp32.logits();
    }

    /**
     * The centred int8 codes ({@code q - zeroPoint}, as exact floats) of the tensor entering
     * {@code layer} in the last pass, {@code [batch][C][H][W]}; null if no pass produced it.
     */
    public float[] codes(int layer) {
        return centred[layer];
    }

    /** Quantizes, runs the int8 convolutions {@code [fromLayer, toLayer)}, and leaves {@code input(toLayer)} dequantized. */
    @Override
    public void runLayers(int fromLayer, int toLayer, int batch, boolean training) {
        check(fromLayer, toLayer, batch);
        quantizeEntry(fromLayer, batch);
        convolve(fromLayer, toLayer, batch);
        dequantize(toLayer, batch);
    }

    /**
     * The int8 forward pass from {@code fromLayer}, then the fp32 head; every tensor from
     * {@code fromLayer} on is also left dequantized in {@code input(i)} for the backward pass.
     */
    @Override
    public void forward(int fromLayer, int batch, boolean training) {
        check(fromLayer, convCount, batch);
        quantizeEntry(fromLayer, batch);
        convolve(fromLayer, convCount, batch);
        for (int t = fromLayer; t <= convCount; t++) {
            dequantize(t, batch);
        }
        fp32.classify(batch);
    }

    @Override
    public double loss(int[] labels, int labelsOff) {
        return fp32.loss(labels, labelsOff);
    }

    @Override
    public int correct(int[] labels, int labelsOff) {
        return fp32.correct(labels, labelsOff);
    }

    @Override
    public void backward(GradientRequest request, GradientSink sink) {
        fp32.backward(request, sink);
    }

    private void check(int fromLayer, int toLayer, int batch) {
        if (batch < 1 || batch > maxBatch()) {
            throw new IllegalArgumentException("batch " + batch + " outside [1, " + maxBatch() + "]");
        }
        if (fromLayer < 0 || toLayer > convCount || fromLayer > toLayer) {
            throw new IllegalArgumentException("layers [" + fromLayer + ", " + toLayer + ") outside [0, " + convCount
                    + "]");
        }
    }

    private float[] codesBuffer(int tensor) {
        int length = maxBatch() * inputSize(tensor);
        if (centred[tensor] == null || centred[tensor].length < length) {
            centred[tensor] = new float[length];
        }
        return centred[tensor];
    }

    private void quantizeEntry(int layer, int batch) {
        TensorQuantization code = network.tensor(layer);
        float[] in = fp32.input(layer);
        float[] out = codesBuffer(layer);
        for (int e = 0, len = batch * inputSize(layer); e < len; e++) {
            out[e] = code.centred(in[e]);
        }
    }

    private void dequantize(int tensor, int batch) {
        float scale = network.tensor(tensor).scale();
        float[] codes = centred[tensor];
        float[] out = fp32.input(tensor);
        for (int e = 0, len = batch * inputSize(tensor); e < len; e++) {
            out[e] = scale * codes[e];
        }
    }

    private void convolve(int fromLayer, int toLayer, int batch) {
        for (int i = fromLayer; i < toLayer; i++) {
            ConvLayer c = table.conv(i);
            ConvKernel k = fp32.kernel(i);
            k.forward(centred[i], network.weightCodes(i), null, null, accumulators, batch, false);
            Requantization r = network.requantization(i);
            int outZero = network.tensor(i + 1).zeroPoint();
            float[] skip = c.residualAdd() ? centred[c.residualFrom() + 1] : null;
            float[] out = codesBuffer(i + 1);
            int len = batch * k.outputSize();
            if (passes[i] == null || passes[i].length < out.length) {
                passes[i] = new byte[out.length];
            }
            byte[] pass = passes[i];
            int[] bias = network.biases(i);
            int plane = k.outHeight() * k.outWidth();
            int channels = c.outChannels();
            long low = r.low();
            long high = r.high();
            for (int start = 0; start < len; start += plane) {
                int o = (start / plane) % channels;
                long b = bias[o];
                for (int e = start, end = start + plane; e < end; e++) {
                    long v = r.unclamped(o, (long) accumulators[e] + b, skip == null ? 0 : (int) skip[e]);
                    out[e] = Math.max(low, Math.min(high, v)) - outZero;
                    pass[e] = (byte) (v >= low && v <= high ? 1 : 0);
                }
            }
        }
    }

    private void mask(int layer, float[] gradient, int length) {
        byte[] pass = passes[layer];
        for (int e = 0; e < length; e++) {
            if (pass[e] == 0) {
                gradient[e] = 0f;
            }
        }
    }
}
