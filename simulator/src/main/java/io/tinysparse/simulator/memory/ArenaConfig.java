package io.tinysparse.simulator.memory;

import io.tinysparse.core.InvalidInputException;
import java.util.Objects;

/**
 * Settings of the {@link ArenaEstimator}'s training-step simulation.
 *
 * @param precision        bits per element of each buffer kind
 * @param momentum         whether SGD keeps a momentum buffer per trained parameter (resident in SRAM)
 * @param inPlaceDepthwise whether depthwise convolutions write their output over their input,
 *                         channel by channel, with one channel plane of scratch (TinyEngine's
 *                         in-place depthwise); applies to the forward pass and, at stride 1, to
 *                         the backward pass
 * @param fuseFrozenBlocks whether an inverted-residual block none of whose layers is trained
 *                         runs fused, one expanded channel at a time: expand one channel plane,
 *                         depthwise it, accumulate its projection into int32 accumulators of the
 *                         block output; so the expanded tensor never exists whole
 * @param alignmentBytes   every buffer is rounded up to a multiple of this (1 = none; 4 = a
 *                         32-bit word, the default, as Cortex-M kernels expect)
 */
public record ArenaConfig(
        BufferPrecision precision, boolean momentum, boolean inPlaceDepthwise, boolean fuseFrozenBlocks,
        int alignmentBytes) {

    /**
     * int8 activations, fp32 gradients, plain SGD, in-place depthwise, fused frozen blocks,
     * 4-byte alignment.
     */
    public static final ArenaConfig DEFAULT = new ArenaConfig(BufferPrecision.DEFAULT, false, true, true, 4);

    public ArenaConfig {
        Objects.requireNonNull(precision, "precision");
        if (alignmentBytes < 1 || alignmentBytes > 64 || Integer.bitCount(alignmentBytes) != 1) {
            throw new InvalidInputException("alignment must be a power of two in [1, 64] bytes, got " + alignmentBytes);
        }
    }

    /** The same settings with momentum on or off. */
    public ArenaConfig withMomentum(boolean on) {
        return new ArenaConfig(precision, on, inPlaceDepthwise, fuseFrozenBlocks, alignmentBytes);
    }

    /** The same settings with other precisions. */
    public ArenaConfig withPrecision(BufferPrecision newPrecision) {
        return new ArenaConfig(newPrecision, momentum, inPlaceDepthwise, fuseFrozenBlocks, alignmentBytes);
    }

    /** The same settings with in-place depthwise and fused frozen blocks on or off. */
    public ArenaConfig withKernels(boolean newInPlaceDepthwise, boolean newFuseFrozenBlocks) {
        return new ArenaConfig(precision, momentum, newInPlaceDepthwise, newFuseFrozenBlocks, alignmentBytes);
    }
}
