package io.tinysparse.simulator.model;

/**
 * One MBConv (inverted-residual) block of a {@link LayerTable}:
 * {@code [expand 1x1] -> depthwise kxk -> project 1x1 [+ input]}.
 *
 * @param index       0-based block number (blocks without convolutions, such as ProxylessNAS's
 *                    skipped ones, are not counted)
 * @param firstLayer  index of its first convolution (expand, or depthwise when it does not expand)
 * @param lastLayer   index of its project convolution
 * @param midChannels channels of the depthwise convolution (the expanded width, or the input
 *                    width when the block does not expand)
 * @param inChannels  channels of the block input
 * @param outChannels channels of the block output
 * @param kernel      depthwise kernel size
 * @param stride      stride of the depthwise convolution
 * @param residual    whether the block input is added to its output (an identity shortcut:
 *                    stride 1 and the same width)
 */
public record Block(
        int index, int firstLayer, int lastLayer, int midChannels, int inChannels, int outChannels, int kernel,
        int stride, boolean residual) {

    /**
     * Index of the layer whose output is this block's input (and so its shortcut): the layer
     * just before {@link #firstLayer()}.
     */
    public int inputLayer() {
        return firstLayer - 1;
    }

    /** Whether the block starts with an expand convolution (expand ratio other than 1). */
    public boolean expands() {
        return lastLayer - firstLayer == 2;
    }
}
