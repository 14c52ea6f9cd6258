package io.tinysparse.simulator.engine.selection;

/**
 * Chooses, for one weight-updated convolution, which input channels' weight slices get a
 * gradient in each training iteration (a depthwise convolution's channels are its filters).
 *
 * <p>Contract: {@link #select} is called once per iteration with increasing iteration numbers
 * starting at 0, and writes exactly {@link #count()} distinct channels in {@code [0,
 * channels())}, in increasing order (the order the gradient is computed in). Selections are
 * deterministic functions of the constructor arguments (seed included) and of the feedback
 * received. A selector that wants feedback ({@link #wantsFeedback()}) is shown the weight
 * gradient of the channels it selected, right after the backward pass computed it: that is
 * the only gradient information it may use (no dense gradient exists).
 */
public interface ChannelSelector {
    /** Channels of the layer that can be selected. */
    int channels();

    /** Channels selected per iteration. */
    int count();

    /** Whether the selection can change between iterations. */
    boolean dynamic();

    /** Writes the channels of {@code iteration} into {@code out[0 .. count())}, ascending. */
    void select(long iteration, int[] out);

    /** Whether {@link #observe} should be called after each backward pass. */
    default boolean wantsFeedback() {
        return false;
    }

    /**
     * The weight gradient just computed for {@code channels[0 .. count)}: {@code sliceSize}
     * consecutive values per channel ({@code gradient[j * sliceSize ..]}). The array is only
     * valid during the call.
     */
    default void observe(int[] channels, int count, float[] gradient, int sliceSize) {}
}
