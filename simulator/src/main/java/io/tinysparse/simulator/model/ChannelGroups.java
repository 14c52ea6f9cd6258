package io.tinysparse.simulator.model;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.text.PlainDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The channel dependency groups of an {@link MbConvNetwork}, as DepGraph (Fang et al., CVPR
 * 2023) groups them for structured pruning: channels that must be removed together because
 * removing one of them alone would leave a tensor whose producers and consumers disagree on its
 * width.
 *
 * <ul>
 *   <li>A depthwise convolution ties its input and output channel by channel, so a block's
 *       <b>expansion</b> (expand conv output = depthwise = project conv input) is one group; in
 *       a block without an expand conv, the depthwise conv joins the group of the block's input
 *       tensor.</li>
 *   <li>A residual add ties the channels it adds, so the output of a block that starts a stage
 *       and the outputs of the blocks that add their shortcut to it form one <b>stream</b> group
 *       with every convolution that reads that stream (the next expand convs, the feature mix or
 *       the classifier).</li>
 *   <li>The stem's output is a stream group; so is the feature mix's output, read by the
 *       classifier. The image's three channels and the classifier's outputs are not prunable.</li>
 * </ul>
 *
 * <p>Layer indices count every convolution from the input, as {@link LayerTable} does. Every
 * channel of every convolution belongs to exactly one group as an output channel (producers,
 * depthwise) and, except the image's, to exactly one as an input channel (consumers, depthwise).
 */
public final class ChannelGroups {
    /**
     * One dependency group.
     *
     * @param index      0-based, in the order the network produces the groups' tensors
     * @param name       what the group is, for messages ({@code "expansion of block 3"})
     * @param channels   its width (the same for every member)
     * @param producers  convolutions whose output channels are the group's (not depthwise)
     * @param depthwise  depthwise convolutions whose input and output channels are the group's
     * @param consumers  convolutions whose input channels are the group's (not depthwise)
     * @param classifier whether the classifier reads the group (its input features)
     */
    public record Group(int index, String name, int channels, List<Integer> producers, List<Integer> depthwise,
            List<Integer> consumers, boolean classifier) {
        public Group {
            producers = List.copyOf(producers);
            depthwise = List.copyOf(depthwise);
            consumers = List.copyOf(consumers);
        }

        /**
         * Channels kept when {@code ratio} of them are pruned: {@code floor(channels * (1 - ratio))}
         * (torch-pruning's rule; a tiny tolerance keeps {@code 10 * (1 - 0.9)} at 1).
         */
        public int kept(double ratio) {
            return (int) Math.floor(channels * (1 - ratio) + 1e-9);
        }
    }

    private final List<Group> groups;
    private final int[] outputGroup;
    private final int[] inputGroup;
    private final int[] midGroupOfBlock;
    private final int[] outGroupOfBlock;
    private final int stemGroup;
    private final int featureMixGroup;
    private final int classifierGroup;
    private final MbConvNetwork network;

    private ChannelGroups(MbConvNetwork network) {
        this.network = network;
        int convs = network.convCount();
        outputGroup = new int[convs];
        inputGroup = new int[convs];
        midGroupOfBlock = new int[network.blocks().size()];
        outGroupOfBlock = new int[network.blocks().size()];
        List<Builder> builders = new ArrayList<>();
        int layer = 0;
        Builder stream = new Builder(builders.size(), "stem output", network.firstConvChannels());
        builders.add(stream);
        stream.producer(layer, outputGroup);
        inputGroup[layer] = -1;
        layer++;
        stemGroup = 0;
        int streamFirstBlock = -1;
        for (int b = 0; b < network.blocks().size(); b++) {
            MbConvBlock block = network.blocks().get(b);
            Builder mid;
            if (block.expands()) {
                stream.consumer(layer, inputGroup);
                mid = new Builder(builders.size(), "expansion of block " + b, block.midChannels());
                builders.add(mid);
                mid.producer(layer, outputGroup);
                layer++;
                midGroupOfBlock[b] = mid.index;
            } else {
                mid = stream;
                midGroupOfBlock[b] = -1;
            }
            mid.depthwise(layer, outputGroup, inputGroup);
            layer++;
            mid.consumer(layer, inputGroup);
            if (!block.shortcut()) {
                stream = new Builder(builders.size(), "output of block " + b, block.outChannels());
                builders.add(stream);
                streamFirstBlock = b;
            } else {
                stream.name = "output of blocks " + streamFirstBlock + "-" + b;
            }
            stream.producer(layer, outputGroup);
            outGroupOfBlock[b] = stream.index;
            layer++;
        }
        if (network.featureMix()) {
            stream.consumer(layer, inputGroup);
            stream = new Builder(builders.size(), "feature mix output", network.featureMixChannels());
            builders.add(stream);
            stream.producer(layer, outputGroup);
            featureMixGroup = stream.index;
        } else {
            featureMixGroup = -1;
        }
        stream.classifier = true;
        classifierGroup = stream.index;
        List<Group> list = new ArrayList<>();
        for (Builder builder : builders) {
            list.add(builder.build());
        }
        groups = Collections.unmodifiableList(list);
    }

    /** The groups of {@code network}. */
    public static ChannelGroups of(MbConvNetwork network) {
        return new ChannelGroups(java.util.Objects.requireNonNull(network, "network"));
    }

    /** The groups, in the order the network produces their tensors. */
    public List<Group> groups() {
        return groups;
    }

    /** The network the groups belong to. */
    public MbConvNetwork network() {
        return network;
    }

    /** The group of convolution {@code layer}'s output channels. */
    public Group outputOf(int layer) {
        return groups.get(outputGroup[layer]);
    }

    /** The group of convolution {@code layer}'s input channels, or null for the stem (it reads the image). */
    public Group inputOf(int layer) {
        return inputGroup[layer] < 0 ? null : groups.get(inputGroup[layer]);
    }

    /** The group the classifier reads. */
    public Group classifierInput() {
        return groups.get(classifierGroup);
    }

    /**
     * The network with {@code ratio} of every group's channels removed ({@link Group#kept}),
     * named {@code <name>-p<ratio>}: the same blocks, kernels, strides and shortcuts, narrower.
     *
     * @throws InvalidInputException naming the ratio if it is not in {@code (0, 1)}, or naming the
     *     first group it would leave without a channel
     */
    public MbConvNetwork pruned(double ratio) {
        requireRatio(ratio);
        for (Group g : groups) {
            if (g.kept(ratio) < 1) {
                throw new InvalidInputException("prune ratio " + ratio + " leaves group " + g.index() + " ("
                        + g.name() + ", " + g.channels() + " channels) empty; the largest ratio this network takes is "
                        + largestRatio());
            }
        }
        List<MbConvBlock> blocks = new ArrayList<>();
        for (int b = 0; b < network.blocks().size(); b++) {
            MbConvBlock block = network.blocks().get(b);
            int mid = block.expands() ? groups.get(midGroupOfBlock[b]).kept(ratio) : 0;
            blocks.add(new MbConvBlock(groups.get(outGroupOfBlock[b]).kept(ratio), block.kernel(), block.stride(), mid,
                    block.shortcut()));
        }
        int mix = featureMixGroup < 0 ? 0 : groups.get(featureMixGroup).kept(ratio);
        String suffix = "-p" + PlainDecimal.of(ratio);
        String name = network.name();
        if (name.length() + suffix.length() > 64) {
            name = name.substring(0, 64 - suffix.length());
        }
        return new MbConvNetwork(name + suffix, groups.get(stemGroup).kept(ratio), network.firstConvKernel(),
                network.firstConvStride(), blocks, mix);
    }

    /**
     * The largest ratio that leaves every group at least one channel, exactly: {@code 1 - 1/n} for
     * the narrowest group's {@code n} channels (0.875 for 8), which {@link #pruned} accepts.
     */
    public double largestRatio() {
        int narrowest = Integer.MAX_VALUE;
        for (Group g : groups) {
            narrowest = Math.min(narrowest, g.channels());
        }
        return 1 - 1.0 / narrowest;
    }

    /**
     * Throws unless {@code ratio} is a pruning ratio: in {@code (0, 1)} (0 prunes nothing, 1
     * everything).
     */
    public static void requireRatio(double ratio) {
        if (!(ratio > 0 && ratio < 1)) {
            throw new InvalidInputException("prune ratio must be in (0, 1), got " + ratio);
        }
    }

    private static final class Builder {
        final int index;
        String name;
        final int channels;
        final List<Integer> producers = new ArrayList<>();
        final List<Integer> depthwise = new ArrayList<>();
        final List<Integer> consumers = new ArrayList<>();
        boolean classifier;

        Builder(int index, String name, int channels) {
            this.index = index;
            this.name = name;
            this.channels = channels;
        }

        void producer(int layer, int[] outputGroup) {
            producers.add(layer);
            outputGroup[layer] = index;
        }

        void depthwise(int layer, int[] outputGroup, int[] inputGroup) {
            depthwise.add(layer);
            outputGroup[layer] = index;
            inputGroup[layer] = index;
        }

        void consumer(int layer, int[] inputGroup) {
            consumers.add(layer);
            inputGroup[layer] = index;
        }

        Group build() {
            return new Group(index, name, channels, producers, depthwise, consumers, classifier);
        }
    }
}
