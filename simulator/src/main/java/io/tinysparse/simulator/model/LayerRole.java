package io.tinysparse.simulator.model;

/** The place of a convolution in the MobileNetV2 structure. */
public enum LayerRole {
    /** The first 3 x 3, stride-2 convolution on the image. */
    STEM,
    /** The first 1 x 1 of an inverted-residual block, widening C_in by the expansion ratio. */
    EXPAND,
    /** The 3 x 3 depthwise convolution in the middle of a block. */
    DEPTHWISE,
    /** The last 1 x 1 of a block, narrowing to the block's output width; no activation. */
    PROJECT,
    /** The optional 1 x 1 convolution to 1280 (or more) channels before global pooling. */
    FEATURE_MIX
}
