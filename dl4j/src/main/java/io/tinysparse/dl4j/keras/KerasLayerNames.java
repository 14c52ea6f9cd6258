package io.tinysparse.dl4j.keras;

import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerRole;

/**
 * The layer names {@code tf.keras.applications.MobileNetV2} gives the parts of convolution
 * {@code i} of our layer table: the stem is {@code Conv1}/{@code bn_Conv1}/{@code Conv1_relu};
 * block 0 (no expansion) is {@code expanded_conv_depthwise}, {@code expanded_conv_project} and
 * their {@code _BN}; block {@code b >= 1} is {@code block_b_expand}, {@code block_b_depthwise},
 * {@code block_b_project} with {@code _BN} and {@code _relu} suffixes, {@code block_b_pad}
 * before a stride-2 depthwise convolution and {@code block_b_add} for the residual; the feature
 * mix is {@code Conv_1}/{@code Conv_1_bn}/{@code out_relu}; the classifier is
 * {@code predictions}.
 */
final class KerasLayerNames {
    /** The classifier (Dense, softmax) of an {@code include_top=True} model. */
    static final String PREDICTIONS = "predictions";
    /** The ReLU6 after the feature mix: the backbone's output. */
    static final String OUT_RELU = "out_relu";

    private KerasLayerNames() {}

    /** The convolution's own layer (Conv2D or DepthwiseConv2D). */
    static String conv(ConvLayer c) {
        return switch (c.role()) {
            case STEM -> "Conv1";
            case FEATURE_MIX -> "Conv_1";
            default -> prefix(c) + suffix(c.role());
        };
    }

    /** Its BatchNormalization layer. */
    static String batchNorm(ConvLayer c) {
        return switch (c.role()) {
            case STEM -> "bn_Conv1";
            case FEATURE_MIX -> "Conv_1_bn";
            default -> conv(c) + "_BN";
        };
    }

    /** Its ReLU(6) layer (only for convolutions followed by ReLU6). */
    static String relu(ConvLayer c) {
        return switch (c.role()) {
            case STEM -> "Conv1_relu";
            case FEATURE_MIX -> OUT_RELU;
            default -> conv(c) + "_relu";
        };
    }

    /** Its residual Add layer (only for convolutions with a residual add). */
    static String add(ConvLayer c) {
        return prefix(c) + "add";
    }

    /** The layer whose output is convolution {@code c}'s output (after batch norm, add and ReLU6). */
    static String output(ConvLayer c) {
        if (c.relu6()) {
            return relu(c);
        }
        return c.residualAdd() ? add(c) : batchNorm(c);
    }

    private static String prefix(ConvLayer c) {
        return c.block() == 0 ? "expanded_conv_" : "block_" + c.block() + "_";
    }

    private static String suffix(LayerRole role) {
        return switch (role) {
            case EXPAND -> "expand";
            case DEPTHWISE -> "depthwise";
            case PROJECT -> "project";
            default -> throw new IllegalArgumentException("no block layer: " + role);
        };
    }
}
