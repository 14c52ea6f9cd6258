package io.tinysparse.dl4j.verify;

import io.tinysparse.simulator.engine.GradientSink;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link GradientSink} that keeps a copy of every gradient it receives and changes no
 * parameter, for comparing an engine backward pass with a reference.
 *
 * <p>Tensor names: {@code conv<i>.W} (the selected slices, in the sink's slice layout, with
 * the channels under {@link #channels(int)}), {@code conv<i>.b}, {@code bn<i>.gamma},
 * {@code bn<i>.beta}, {@code fc.W} ({@code [classes][features]}), {@code fc.b}.
 */
public final class GradientRecorder implements GradientSink {
    private final Map<String, float[]> tensors = new LinkedHashMap<>();
    private final Map<Integer, int[]> channels = new LinkedHashMap<>();

    @Override
    public void convWeights(int layer, int[] layerChannels, int count, float[] gradient) {
        channels.put(layer, Arrays.copyOf(layerChannels, count));
        tensors.put("conv" + layer + ".W", gradient.clone());
    }

    @Override
    public void convBias(int layer, float[] gradient) {
        tensors.put("conv" + layer + ".b", gradient.clone());
    }

    @Override
    public void batchNorm(int layer, float[] gammaGradient, float[] betaGradient) {
        tensors.put("bn" + layer + ".gamma", gammaGradient.clone());
        tensors.put("bn" + layer + ".beta", betaGradient.clone());
    }

    @Override
    public void classifier(float[] weightGradient, float[] biasGradient) {
        tensors.put("fc.W", weightGradient.clone());
        tensors.put("fc.b", biasGradient.clone());
    }

    /** Every recorded gradient by name, in the order received (arrays may be longer than the tensor). */
    public Map<String, float[]> tensors() {
        return tensors;
    }

    /** The channels whose weight slices were recorded for {@code layer}, or null. */
    public int[] channels(int layer) {
        return channels.get(layer);
    }
}
