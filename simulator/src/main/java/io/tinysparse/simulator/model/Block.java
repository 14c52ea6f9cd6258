package io.tinysparse.simulator.model;

/**
 * One inverted-residual block: {@code [expand 1x1] -> depthwise kxk -> project 1x1 [+ input]}.
 *
 * @param index      0-based block number
 * @param firstLayer index of its first convolution (expand, or depthwise when expansion is 1)
 * @param lastLayer  index of its project convolution
 * @param expansion  expansion ratio t (1 means no expand convolution)
 * @param inChannels channels of the block input
 * @param outChannels channels of the block output
 * @param stride     stride of the depthwise convolution
 * @param residual   whether the block input is added to its output (stride 1, same width,
 *                   and expansion &gt; 1, as in tiny-training's MobileNetV2)
 */
public record Block(
        int index, int firstLayer, int lastLayer, int expansion, int inChannels, int outChannels,
        int stride, boolean residual) {

    /**
     * Index of the layer whose output is this block's input (and so its shortcut): the layer
     * just before {@link #firstLayer()}.
     */
    public int inputLayer() {
        return firstLayer - 1;
    }
}
