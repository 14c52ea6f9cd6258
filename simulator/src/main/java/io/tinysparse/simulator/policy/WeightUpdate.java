package io.tinysparse.simulator.policy;

import io.tinysparse.datasets.InvalidInputException;

/**
 * One weight-updated convolution of a policy and how many of its input channels are updated
 * per iteration: either a fraction of {@code C_in} or an exact channel count (exactly one of
 * {@code ratio} and {@code channels} is non-null).
 *
 * <p>For a depthwise convolution a channel is one filter ({@code k x k} weights); for a dense
 * one it is the slice {@code W[:, c, :, :]} ({@code C_out x k x k} weights).
 *
 * @param layer    convolution index, 0-based from the input over every convolution
 * @param ratio    fraction of input channels in (0, 1]; the count is {@code floor(ratio * C_in)}
 * @param channels exact number of input channels, &gt;= 1 (checked against C_in by
 *                 {@link SparseUpdatePolicy#validate})
 */
public record WeightUpdate(int layer, Double ratio, Integer channels) {
    public WeightUpdate {
        if (layer < 0) {
            throw new InvalidInputException("weight layer index must be >= 0, got " + layer);
        }
        if ((ratio == null) == (channels == null)) {
            throw new InvalidInputException("weight layer " + layer + " needs exactly one of ratio and channels, got ratio="
                    + ratio + ", channels=" + channels);
        }
        if (ratio != null && !(ratio > 0 && ratio <= 1)) {
            throw new InvalidInputException("ratio of weight layer " + layer + " must be in (0, 1], got " + ratio);
        }
        if (channels != null && channels < 1) {
            throw new InvalidInputException("channels of weight layer " + layer + " must be >= 1, got " + channels);
        }
    }

    /** All input channels of {@code layer}. */
    public static WeightUpdate full(int layer) {
        return new WeightUpdate(layer, 1.0, null);
    }

    /** A fraction of the input channels of {@code layer}. */
    public static WeightUpdate ratio(int layer, double ratio) {
        return new WeightUpdate(layer, ratio, null);
    }

    /** An exact number of input channels of {@code layer}. */
    public static WeightUpdate channels(int layer, int channels) {
        return new WeightUpdate(layer, null, channels);
    }

    /**
     * The number of channels updated per iteration in a layer with {@code inChannels} input
     * channels: {@code floor(ratio * C_in)} (tiny-training's {@code int(C_in * ratio)}) or the
     * count. Not clamped; {@link SparseUpdatePolicy#validate} rejects counts outside [1, C_in].
     */
    public int channelsOf(int inChannels) {
        if (channels != null) {
            return channels;
        }
        // Plain IEEE product and floor, exactly as Python's int(C_in * ratio) in tiny-training.
        return (int) Math.floor(ratio * inChannels);
    }

    /** The amount as text: the ratio, or the count followed by {@code "ch"}. */
    public String amountText() {
        return channels != null ? channels + "ch" : java.math.BigDecimal.valueOf(ratio).stripTrailingZeros().toPlainString();
    }
}
