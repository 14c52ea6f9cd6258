package io.tinysparse.simulator.model;

import io.tinysparse.core.InvalidInputException;

/**
 * One convolution of a {@link LayerTable}: its shape, position and cost, for batch 1.
 *
 * <p>Batch normalisation is folded into the convolution (as on a microcontroller and in
 * tiny-training's int8 graphs), so every convolution has {@code C_out} biases and no BN
 * parameters. Padding is {@code kernel / 2} on each side, so {@code H_out = ceil(H_in / stride)};
 * a network trained with TensorFlow's "same" padding (the odd pixel after the input) has the
 * same shapes and puts its zeros as its {@code engine.PaddingConvention} says.
 *
 * @param index         0-based position counted from the input over every convolution,
 *                      depthwise ones included (tiny-training's {@code manual_weight_idx})
 * @param kind          arithmetic shape
 * @param role          place in the MBConv structure
 * @param block         0-based inverted-residual block, or -1 for the stem and the feature mix
 * @param inChannels    C_in
 * @param outChannels   C_out
 * @param kernel        k (square kernel)
 * @param stride        stride (both axes)
 * @param padding       zero padding on each side (symmetric convention)
 * @param inHeight      H_in
 * @param inWidth       W_in
 * @param outHeight     H_out
 * @param outWidth      W_out
 * @param groups        1 for dense, C_in for depthwise
 * @param relu6         whether a ReLU6 follows (false for the linear project convolution)
 * @param residualFrom  when a residual add follows this layer: the index of the layer whose
 *                      output is added (the block input); -1 when none (the stem, when the
 *                      block input is the image, would be -1 too, but no such block exists)
 */
public record ConvLayer(
        int index,
        LayerKind kind,
        LayerRole role,
        int block,
        int inChannels,
        int outChannels,
        int kernel,
        int stride,
        int padding,
        int inHeight,
        int inWidth,
        int outHeight,
        int outWidth,
        int groups,
        boolean relu6,
        int residualFrom) {

    public ConvLayer {
        positive("inChannels", inChannels);
        positive("outChannels", outChannels);
        positive("kernel", kernel);
        positive("stride", stride);
        positive("groups", groups);
        positive("inHeight", inHeight);
        positive("inWidth", inWidth);
        positive("outHeight", outHeight);
        positive("outWidth", outWidth);
        if (index < 0) {
            throw new InvalidInputException("index must be >= 0, got " + index);
        }
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new InvalidInputException("groups " + groups + " must divide C_in " + inChannels
                    + " and C_out " + outChannels + " of layer " + index);
        }
        if (kind == LayerKind.DEPTHWISE && !(groups == inChannels && groups == outChannels)) {
            throw new InvalidInputException("depthwise layer " + index + " needs groups == C_in == C_out, got "
                    + groups + ", " + inChannels + ", " + outChannels);
        }
        if (residualFrom >= index) {
            throw new InvalidInputException("residualFrom " + residualFrom + " of layer " + index
                    + " must come before it");
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new InvalidInputException(field + " must be > 0, got " + value);
        }
    }

    /** Number of weights: {@code C_out * (C_in / groups) * k * k}. */
    public long weightCount() {
        return (long) outChannels * (inChannels / groups) * kernel * kernel;
    }

    /** Number of biases (BN folded in): {@code C_out}. */
    public long biasCount() {
        return outChannels;
    }

    /** Parameters: weights plus biases. */
    public long params() {
        return weightCount() + biasCount();
    }

    /** Multiply-accumulates of the forward pass: {@code H_out * W_out * weightCount()}. */
    public long macs() {
        return (long) outHeight * outWidth * weightCount();
    }

    /** Elements of the input activation: {@code C_in * H_in * W_in}. */
    public long inputElements() {
        return (long) inChannels * inHeight * inWidth;
    }

    /** Elements of the output activation: {@code C_out * H_out * W_out}. */
    public long outputElements() {
        return (long) outChannels * outHeight * outWidth;
    }

    /** Elements of one input channel's plane: {@code H_in * W_in}. */
    public long inputPlane() {
        return (long) inHeight * inWidth;
    }

    /** Elements of one output channel's plane: {@code H_out * W_out}. */
    public long outputPlane() {
        return (long) outHeight * outWidth;
    }

    /**
     * Weights that belong to one selectable input channel: {@code C_out * k * k} for dense
     * convolutions ({@code W[:, c, :, :]}), {@code k * k} for depthwise ones (channel c's filter).
     */
    public long weightsPerInputChannel() {
        return kind == LayerKind.DEPTHWISE ? (long) kernel * kernel : (long) outChannels * kernel * kernel;
    }

    /** Whether this is a depthwise convolution. */
    public boolean depthwise() {
        return kind == LayerKind.DEPTHWISE;
    }

    /** Whether a residual add (of layer {@link #residualFrom()}'s output) follows this layer. */
    public boolean residualAdd() {
        return residualFrom >= 0;
    }
}
