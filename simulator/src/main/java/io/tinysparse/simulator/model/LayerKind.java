package io.tinysparse.simulator.model;

/**
 * The arithmetic shape of a convolution, which decides its cost per multiply-accumulate on a
 * microcontroller and how its weights split into per-input-channel slices.
 */
public enum LayerKind {
    /** A dense k x k convolution with {@code groups == 1} and {@code k > 1} (the stem). */
    CONV,
    /** A k x k convolution with {@code groups == C_in == C_out}: one filter per channel. */
    DEPTHWISE,
    /** A dense 1 x 1 convolution ({@code groups == 1}). */
    POINTWISE
}
