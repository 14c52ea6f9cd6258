package io.tinysparse.simulator.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.text.PlainDecimal;

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
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WeightUpdate(
        @JsonProperty("layer") int layer,
        @JsonProperty("ratio") Double ratio,
        @JsonProperty("channels") Integer channels) {
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
        return channels != null ? channels + "ch" : PlainDecimal.of(ratio);
    }

    /**
     * Parses {@code layer:amount[,layer:amount...]}, e.g. {@code 27:1,30:0.5,42:7}: an amount
     * &lt;= 1 is a ratio, a larger integer a channel count (tiny-training's rule).
     *
     * @throws InvalidInputException naming the malformed entry
     */
    public static java.util.List<WeightUpdate> parseList(String text) {
        java.util.List<WeightUpdate> out = new java.util.ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String[] kv = part.trim().split(":", -1);
            if (kv.length != 2) {
                throw new InvalidInputException("weight entry '" + part.trim() + "' must be layer:ratio or layer:channels");
            }
            int layer;
            double amount;
            try {
                layer = Integer.parseInt(kv[0].trim());
                amount = Double.parseDouble(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("weight entry '" + part.trim() + "' must be layer:ratio or layer:channels");
            }
            if (amount > 1 && amount == Math.rint(amount) && amount <= Integer.MAX_VALUE) {
                out.add(channels(layer, (int) amount));
            } else if (amount > 1) {
                throw new InvalidInputException("weight entry '" + part.trim()
                        + "': amount must be a ratio <= 1 or an integer channel count");
            } else {
                out.add(ratio(layer, amount));
            }
        }
        return out;
    }
}
