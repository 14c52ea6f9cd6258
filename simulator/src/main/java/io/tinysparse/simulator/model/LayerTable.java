package io.tinysparse.simulator.model;

import io.tinysparse.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The layers of a {@link ModelSpec}, in forward order: every convolution (indexed from the
 * input, depthwise ones included, as tiny-training's {@code manual_weight_idx} counts them), the
 * MBConv blocks that group them, and the
 * classifier that reads the globally average-pooled output of the last convolution.
 *
 * <p>Data flow (batch 1): the image feeds layer 0; layer {@code i + 1} reads layer {@code i}'s
 * output, where a layer with {@link ConvLayer#residualAdd()} has its output summed with layer
 * {@link ConvLayer#residualFrom()}'s output first; global average pooling turns the last
 * layer's {@code C x H x W} output into the classifier's {@code C} features. Immutable.
 */
public final class LayerTable {
    private final ModelSpec spec;
    private final List<ConvLayer> convs;
    private final List<Block> blocks;
    private final LinearLayer classifier;
    private final long convParams;
    private final long convMacs;

    private LayerTable(ModelSpec spec, List<ConvLayer> convs, List<Block> blocks, LinearLayer classifier) {
        this.spec = spec;
        this.convs = List.copyOf(convs);
        this.blocks = List.copyOf(blocks);
        this.classifier = classifier;
        long p = 0;
        long m = 0;
        for (ConvLayer c : convs) {
            p += c.params();
            m += c.macs();
        }
        this.convParams = p;
        this.convMacs = m;
    }

    /** The spec this table was built from. */
    public ModelSpec spec() {
        return spec;
    }

    /** Every convolution, index {@code i} at position {@code i}. */
    public List<ConvLayer> convs() {
        return convs;
    }

    /** Number of convolutions. */
    public int convCount() {
        return convs.size();
    }

    /** Convolution {@code index}. */
    public ConvLayer conv(int index) {
        if (index < 0 || index >= convs.size()) {
            throw new InvalidInputException("layer index " + index + " out of range [0, " + convs.size() + ")");
        }
        return convs.get(index);
    }

    /** The MBConv blocks, in order. */
    public List<Block> blocks() {
        return blocks;
    }

    /** The classifier. */
    public LinearLayer classifier() {
        return classifier;
    }

    /** Parameters of all convolutions plus the classifier. */
    public long params() {
        return convParams + classifier.params();
    }

    /**
     * Parameters as a framework counts the network before batch norm is folded (model zoos'
     * published counts): convolution weights, a scale and a shift per convolution output
     * channel, and the classifier; that is {@link #params()} plus one per output channel.
     */
    public long paramsWithBatchNorm() {
        long channels = 0;
        for (ConvLayer c : convs) {
            channels += c.outChannels();
        }
        return params() + channels;
    }

    /** Parameters of all convolutions (weights and folded biases). */
    public long convParams() {
        return convParams;
    }

    /** Forward multiply-accumulates of the whole network, classifier included, batch 1. */
    public long macs() {
        return convMacs + classifier.macs();
    }

    /** Forward multiply-accumulates of the convolutions, batch 1. */
    public long convMacs() {
        return convMacs;
    }

    @Override
    public String toString() {
        return "LayerTable[" + spec.label() + ", " + convs.size() + " convs, " + params() + " params, " + macs() + " MACs]";
    }

    /**
     * The table of {@code network} at {@code spec}'s resolution and class count: the first
     * convolution, each block's convolutions ({@code [expand], depthwise, project}), the
     * feature mix if any, and the classifier.
     */
    static LayerTable of(ModelSpec spec, MbConvNetwork network) {
        Builder b = new Builder(spec);
        int channels = network.firstConvChannels();
        b.conv(LayerKind.CONV, LayerRole.STEM, -1, ModelSpec.IMAGE_CHANNELS, channels, network.firstConvKernel(),
                network.firstConvStride(), true, -1);
        int index = 0;
        for (MbConvBlock block : network.blocks()) {
            b.block(index++, channels, block);
            channels = block.outChannels();
        }
        if (network.featureMix()) {
            b.conv(LayerKind.POINTWISE, LayerRole.FEATURE_MIX, -1, channels, network.featureMixChannels(), 1, 1, true,
                    -1);
            channels = network.featureMixChannels();
        }
        return b.build(new LinearLayer(channels, spec.numClasses()));
    }

    /** Assembles a table layer by layer, tracking the running spatial size. */
    private static final class Builder {
        private final ModelSpec spec;
        private final List<ConvLayer> convs = new ArrayList<>();
        private final List<Block> blocks = new ArrayList<>();
        private int height;
        private int width;

        Builder(ModelSpec spec) {
            this.spec = spec;
            this.height = spec.resolution();
            this.width = spec.resolution();
        }

        void conv(LayerKind kind, LayerRole role, int block, int in, int out, int k, int stride, boolean relu6,
                int residualFrom) {
            int outH = ceilDiv(height, stride);
            int outW = ceilDiv(width, stride);
            int groups = kind == LayerKind.DEPTHWISE ? in : 1;
            convs.add(new ConvLayer(convs.size(), kind, role, block, in, out, k, stride, k / 2,
                    height, width, outH, outW, groups, relu6, residualFrom));
            height = outH;
            width = outW;
        }

        void block(int index, int in, MbConvBlock block) {
            int first = convs.size();
            int mid = block.depthwiseChannels(in);
            if (block.expands()) {
                conv(LayerKind.POINTWISE, LayerRole.EXPAND, index, in, mid, 1, 1, true, -1);
            }
            conv(LayerKind.DEPTHWISE, LayerRole.DEPTHWISE, index, mid, mid, block.kernel(), block.stride(), true, -1);
            conv(LayerKind.POINTWISE, LayerRole.PROJECT, index, mid, block.outChannels(), 1, 1, false,
                    block.shortcut() ? first - 1 : -1);
            blocks.add(new Block(index, first, convs.size() - 1, mid, in, block.outChannels(), block.kernel(),
                    block.stride(), block.shortcut()));
        }

        LayerTable build(LinearLayer classifier) {
            return new LayerTable(spec, convs, blocks, classifier);
        }

        private static int ceilDiv(int a, int b) {
            return (a + b - 1) / b;
        }
    }
}
