package io.tinysparse.simulator.engine.train;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.TrainingExecutor;
import io.tinysparse.simulator.engine.quant.QuantizedExecutor;
import io.tinysparse.simulator.engine.quant.QuantizedNetwork;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;

/**
 * The frozen prefix of a sparse update: the convolutions before the earliest one that needs a
 * gradient never change during fine-tuning, so their output on a dataset (the "cut"
 * activations) can be computed once and reused by every run that freezes the same prefix.
 *
 * <p>A cut must be a point where one tensor carries everything the rest of the network needs:
 * no residual connection may span it. {@link #cutBefore} therefore moves the cut back to the
 * start of the inverted-residual block when the earliest trained layer lies inside a block with
 * a shortcut; the block's first layers then run (frozen) in every step.
 */
public final class FrozenPrefix {
    private FrozenPrefix() {}

    /**
     * The latest layer {@code c <= layer} such that the tensor entering {@code c} is all the
     * layers from {@code c} on need ({@code layer} may be {@code convCount}: the classifier's
     * input).
     */
    public static int cutBefore(LayerTable layers, int layer) {
        if (layer < 0 || layer > layers.convCount()) {
            throw new IllegalArgumentException("layer " + layer + " outside [0, " + layers.convCount() + "]");
        }
        int cut = layer;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (ConvLayer c : layers.convs()) {
                // The shortcut reads the output of residualFrom, i.e. the tensor entering residualFrom + 1.
                int source = c.residualFrom() + 1;
                if (c.residualAdd() && source < cut && c.index() >= cut) {
                    cut = source;
                    moved = true;
                }
            }
        }
        return cut;
    }

    /**
     * Runs convolutions {@code [input.layer(), cut)} of {@code network} (inference mode: running
     * batch-norm statistics when unfolded) over every sample and returns the activations
     * entering {@code cut}, with the same labels. Results do not depend on {@code batchSize}.
     *
     * @throws InvalidInputException if {@code input} does not enter the network at or before
     *     {@code cut} with the right shape
     */
    public static Samples features(Network network, Samples input, int cut, int batchSize) {
        checkEntry(network.layers(), input, cut);
        if (input.layer() == cut) {
            return input;
        }
        return features(new NetworkExecutor(network, Math.max(1, Math.min(batchSize, input.count()))),
                network.layers(), input, cut);
    }

    /**
     * {@link #features(Network, Samples, int, int)} through the int8 forward pass of
     * {@code network}: the activations entering {@code cut}, dequantized (exactly: quantizing them
     * again gives the same codes).
     */
    public static Samples features(QuantizedNetwork network, Samples input, int cut, int batchSize) {
        checkEntry(network.layers(), input, cut);
        if (input.layer() == cut) {
            return input;
        }
        return features(new QuantizedExecutor(network, Math.max(1, Math.min(batchSize, input.count()))),
                network.layers(), input, cut);
    }

    private static Samples features(TrainingExecutor executor, LayerTable layers, Samples input, int cut) {
        int n = input.count();
        int inSize = input.sampleSize();
        int outSize = executor.inputSize(cut);
        float[] out = new float[Math.multiplyExact(n, outSize)];
        for (int from = 0; from < n; from += executor.maxBatch()) {
            int b = Math.min(executor.maxBatch(), n - from);
            System.arraycopy(input.values(), from * inSize, executor.input(input.layer()), 0, b * inSize);
            executor.runLayers(input.layer(), cut, b, false);
            System.arraycopy(executor.input(cut), 0, out, from * outSize, b * outSize);
        }
        int[] shape = entryShape(layers, cut);
        return new Samples(out, input.labels(), shape[0], shape[1], shape[2], cut);
    }

    /** {@code {C, H, W}} of the tensor entering {@code layer} ({@code convCount}: the last output). */
    public static int[] entryShape(LayerTable layers, int layer) {
        if (layer < layers.convCount()) {
            ConvLayer c = layers.conv(layer);
            return new int[] {c.inChannels(), c.inHeight(), c.inWidth()};
        }
        ConvLayer last = layers.conv(layers.convCount() - 1);
        return new int[] {last.outChannels(), last.outHeight(), last.outWidth()};
    }

    /** Checks that {@code samples} enter {@code layers} at a layer {@code <= limit}, with that layer's input shape. */
    static void checkEntry(LayerTable layers, Samples samples, int limit) {
        if (samples.layer() > limit) {
            throw new InvalidInputException("samples enter at layer " + samples.layer() + " but layer " + limit
                    + " needs them earlier");
        }
        int[] s = entryShape(layers, samples.layer());
        if (samples.channels() != s[0] || samples.height() != s[1] || samples.width() != s[2]) {
            throw new InvalidInputException("samples of shape " + samples.channels() + "x" + samples.height() + "x"
                    + samples.width() + " do not fit layer " + samples.layer() + " of " + layers.spec().label()
                    + ", which takes " + s[0] + "x" + s[1] + "x" + s[2]);
        }
    }
}
