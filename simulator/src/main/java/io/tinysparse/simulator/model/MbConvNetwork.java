package io.tinysparse.simulator.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A network of the MBConv family (ProxylessNAS, OFA, MCUNet, MobileNetV2) at its final channel
 * widths: a first k x k convolution on the image, MBConv blocks, an optional 1 x 1 feature-mix
 * convolution, then global average pooling and the classifier (whose size, like the input
 * resolution, belongs to the {@link ModelSpec}). Every convolution is followed by batch norm
 * (folded) and ReLU6, except the project convolution of each block, which is linear.
 *
 * @param name               what the network is called (a preset name, or a config file's
 *                           name): lower-case letters, digits, {@code . _ -}; part of the
 *                           spec's identity, shown in labels and the runs' model column
 * @param firstConvChannels  output channels of the first convolution (the stem)
 * @param firstConvKernel    its kernel size: 3, 5 or 7
 * @param firstConvStride    its stride: 1 or 2
 * @param blocks             the MBConv blocks, at least one; each block's shortcut, if any,
 *                           joins equal widths
 * @param featureMixChannels output channels of the feature-mix 1 x 1 convolution before the
 *                           pooling, or 0 for none
 */
public record MbConvNetwork(
        @JsonProperty("name") String name,
        @JsonProperty("first_conv_channels") int firstConvChannels,
        @JsonProperty("first_conv_kernel") int firstConvKernel,
        @JsonProperty("first_conv_stride") int firstConvStride,
        @JsonProperty("blocks") List<MbConvBlock> blocks,
        @JsonProperty("feature_mix_channels") int featureMixChannels) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public MbConvNetwork {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("network name must be 1-64 lower-case letters, digits, '.', '_' or '-',"
                    + " got '" + name + "'");
        }
        if (firstConvChannels < 1 || firstConvChannels > MbConvBlock.MAX_CHANNELS) {
            throw new InvalidInputException("first_conv out_channels must be in [1, " + MbConvBlock.MAX_CHANNELS
                    + "], got " + firstConvChannels);
        }
        if (firstConvKernel != 3 && firstConvKernel != 5 && firstConvKernel != 7) {
            throw new InvalidInputException("first_conv kernel_size must be 3, 5 or 7, got " + firstConvKernel);
        }
        if (firstConvStride != 1 && firstConvStride != 2) {
            throw new InvalidInputException("first_conv stride must be 1 or 2, got " + firstConvStride);
        }
        if (blocks == null || blocks.isEmpty()) {
            throw new InvalidInputException("an MBConv network needs at least one block");
        }
        blocks = List.copyOf(blocks);
        int in = firstConvChannels;
        for (int i = 0; i < blocks.size(); i++) {
            MbConvBlock b = blocks.get(i);
            if (b.shortcut() && in != b.outChannels()) {
                throw new InvalidInputException("block " + i + " has an identity shortcut from " + in + " to "
                        + b.outChannels() + " channels");
            }
            in = b.outChannels();
        }
        if (featureMixChannels < 0 || featureMixChannels > MbConvBlock.MAX_CHANNELS) {
            throw new InvalidInputException("feature mix out_channels must be 0 (none) or in [1, "
                    + MbConvBlock.MAX_CHANNELS + "], got " + featureMixChannels);
        }
    }

    /** The same architecture under another name. */
    public MbConvNetwork withName(String newName) {
        return new MbConvNetwork(newName, firstConvChannels, firstConvKernel, firstConvStride, blocks,
                featureMixChannels);
    }

    /** Whether a feature-mix convolution precedes the pooling. */
    public boolean featureMix() {
        return featureMixChannels > 0;
    }

    /** Channels the classifier reads: the feature mix's, or the last block's. */
    public int lastChannels() {
        return featureMix() ? featureMixChannels : blocks.get(blocks.size() - 1).outChannels();
    }

    /** Convolutions counted from the input: first conv, 2 or 3 per block, the feature mix. */
    public int convCount() {
        int n = 1 + (featureMix() ? 1 : 0);
        for (MbConvBlock b : blocks) {
            n += b.expands() ? 3 : 2;
        }
        return n;
    }
}
