package io.tinysparse.simulator.model;

/** The place of a convolution in the MBConv structure. */
public enum LayerRole {
    /** The first convolution, on the image (3 x 3, stride 2 in every preset). */
    STEM,
    /** The first 1 x 1 of an inverted-residual block, widening C_in by the expansion ratio. */
    EXPAND,
    /** The k x k depthwise convolution in the middle of a block (k = 3, 5 or 7). */
    DEPTHWISE,
    /** The last 1 x 1 of a block, narrowing to the block's output width; no activation. */
    PROJECT,
    /** The optional 1 x 1 feature-mix convolution before global pooling. */
    FEATURE_MIX
}
