package io.tinysparse.simulator.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;

/**
 * One mobile inverted bottleneck (MBConv) block as ProxylessNAS, OFA and MCUNet describe it:
 * {@code [expand 1x1 to mid] -> depthwise k x k (stride) -> project 1x1 [+ identity shortcut]}.
 * Its input width is the previous block's output (or the first convolution's).
 *
 * @param outChannels channels of the block output, in [1, 100000]
 * @param kernel      depthwise kernel size: 3, 5 or 7
 * @param stride      depthwise stride: 1 or 2
 * @param midChannels channels of the expanded (depthwise) tensor; 0 when the block has no
 *                    expand convolution (expand ratio 1: the depthwise conv reads the input)
 * @param shortcut    whether the block input is added to its output (an identity shortcut;
 *                    needs stride 1 and equal input and output widths)
 */
public record MbConvBlock(
        @JsonProperty("out_channels") int outChannels,
        @JsonProperty("kernel_size") int kernel,
        @JsonProperty("stride") int stride,
        @JsonProperty("mid_channels") int midChannels,
        @JsonProperty("shortcut") boolean shortcut) {

    /** Widest tensor a block may declare, channels. */
    public static final int MAX_CHANNELS = 100_000;

    public MbConvBlock {
        if (outChannels < 1 || outChannels > MAX_CHANNELS) {
            throw new InvalidInputException("out_channels must be in [1, " + MAX_CHANNELS + "], got " + outChannels);
        }
        if (kernel != 3 && kernel != 5 && kernel != 7) {
            throw new InvalidInputException("kernel_size must be 3, 5 or 7, got " + kernel);
        }
        if (stride != 1 && stride != 2) {
            throw new InvalidInputException("stride must be 1 or 2, got " + stride);
        }
        if (midChannels < 0 || midChannels > MAX_CHANNELS) {
            throw new InvalidInputException("mid_channels must be 0 (no expand conv) or in [1, " + MAX_CHANNELS
                    + "], got " + midChannels);
        }
        if (shortcut && stride != 1) {
            throw new InvalidInputException("an identity shortcut needs stride 1, got stride " + stride);
        }
    }

    /** Whether the block starts with an expand (1 x 1, widening) convolution. */
    public boolean expands() {
        return midChannels > 0;
    }

    /** Channels of the depthwise convolution, given the block's input width. */
    public int depthwiseChannels(int inChannels) {
        return expands() ? midChannels : inChannels;
    }
}
