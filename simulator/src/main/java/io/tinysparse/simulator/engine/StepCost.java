package io.tinysparse.simulator.engine;

import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;

/**
 * Multiply-accumulates of one training step for one sample, as a device runs it: the whole
 * forward pass (a device has no feature cache), then the sparse backward pass of a
 * {@link GradientRequest}.
 *
 * @param forwardMacs        every convolution and the classifier
 * @param inputGradientMacs  the classifier's and the convolutions' input gradients, for the
 *                           layers after the request's earliest one
 * @param weightGradientMacs weight gradients of the requested channel slices, plus the
 *                           classifier's weight gradient when it is trained
 */
public record StepCost(long forwardMacs, long inputGradientMacs, long weightGradientMacs) {

    /** The cost of {@code request} on {@code layers}. */
    public static StepCost of(LayerTable layers, GradientRequest request) {
        long forward = layers.macs();
        long input = 0;
        long weight = 0;
        int stop = request.earliestLayer();
        int n = layers.convCount();
        long fc = layers.classifier().macs();
        if (stop < n) {
            input += fc;
        }
        if (request.classifier()) {
            weight += fc;
        }
        for (int i = stop; i < n; i++) {
            ConvLayer c = layers.conv(i);
            if (i > stop) {
                input += c.macs();
            }
            int count = request.channelCount(i);
            if (count > 0) {
                weight += c.macs() / c.inChannels() * count;
            }
        }
        return new StepCost(forward, input, weight);
    }

    /** Backward multiply-accumulates: input plus weight gradients. */
    public long backwardMacs() {
        return inputGradientMacs + weightGradientMacs;
    }

    /** Forward plus backward. */
    public long totalMacs() {
        return forwardMacs + backwardMacs();
    }
}
