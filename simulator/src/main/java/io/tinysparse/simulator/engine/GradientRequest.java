package io.tinysparse.simulator.engine;

import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import java.util.Arrays;

/**
 * Which parameter gradients one backward pass computes: per convolution, whether its bias (or,
 * unfolded, its batch-norm scale and shift) gets a gradient and which input channels' weight
 * slices do; and whether the classifier does.
 *
 * <p>Mutable and reused across iterations (a trainer rewrites the channel lists when its
 * selectors change them), so that a training step allocates nothing. Channel lists are kept
 * as given; the executor reads {@code channels(layer)[0 .. channelCount(layer))}.
 */
public final class GradientRequest {
    private final LayerTable layers;
    private final boolean[] bias;
    private final int[][] channels;
    private final int[] counts;
    private boolean classifier;

    /** A request for nothing, on the layers of {@code layers}. */
    public GradientRequest(LayerTable layers) {
        this.layers = layers;
        int n = layers.convCount();
        bias = new boolean[n];
        channels = new int[n][];
        counts = new int[n];
    }

    /** Every parameter: all biases, all channels of all weights, the classifier (dense training). */
    public static GradientRequest dense(LayerTable layers) {
        GradientRequest r = new GradientRequest(layers);
        for (int i = 0; i < layers.convCount(); i++) {
            r.setBias(i, true);
            int c = selectableChannels(layers.conv(i));
            int[] all = new int[c];
            for (int j = 0; j < c; j++) {
                all[j] = j;
            }
            r.setChannels(i, all, c);
        }
        r.setClassifier(true);
        return r;
    }

    /** The number of channels whose weight slices can be selected: {@code C_in} (depthwise: the channels). */
    public static int selectableChannels(ConvLayer layer) {
        return layer.inChannels();
    }

    /** The layer table this request is for. */
    public LayerTable layers() {
        return layers;
    }

    /** Requests (or not) the bias gradient of {@code layer}. */
    public GradientRequest setBias(int layer, boolean wanted) {
        bias[layer] = wanted;
        return this;
    }

    /**
     * Requests the weight gradient of {@code layer} for {@code channels[0 .. count)} ({@code count
     * == 0}: none). The array is referenced, not copied: the caller may rewrite it between steps.
     */
    public GradientRequest setChannels(int layer, int[] layerChannels, int count) {
        int max = selectableChannels(layers.conv(layer));
        if (count < 0 || count > max || (count > 0 && layerChannels.length < count)) {
            throw new IllegalArgumentException("channel count " + count + " for layer " + layer + " outside [0, " + max
                    + "]");
        }
        channels[layer] = layerChannels;
        counts[layer] = count;
        return this;
    }

    /** Requests (or not) the classifier's gradients. */
    public GradientRequest setClassifier(boolean wanted) {
        classifier = wanted;
        return this;
    }

    /** Whether the bias gradient of {@code layer} is requested. */
    public boolean bias(int layer) {
        return bias[layer];
    }

    /** The channel list of {@code layer} (read the first {@link #channelCount} entries). */
    public int[] channels(int layer) {
        return channels[layer];
    }

    /** How many channels' weight slices of {@code layer} are requested. */
    public int channelCount(int layer) {
        return counts[layer];
    }

    /** Whether the classifier's gradients are requested. */
    public boolean classifier() {
        return classifier;
    }

    /**
     * The earliest convolution that needs any gradient; the backward pass stops there (it
     * computes no input gradient for it). {@code convCount} when no convolution needs one.
     */
    public int earliestLayer() {
        for (int i = 0; i < bias.length; i++) {
            if (bias[i] || counts[i] > 0) {
                return i;
            }
        }
        return bias.length;
    }

    /** Convolution weights whose gradient is requested, {@code sum count * weights per slice}. */
    public long requestedWeights() {
        long s = 0;
        for (int i = 0; i < counts.length; i++) {
            ConvLayer c = layers.conv(i);
            s += (long) counts[i] * c.weightCount() / selectableChannels(c);
        }
        return s;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("GradientRequest[earliest=").append(earliestLayer());
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                sb.append(' ').append(i).append(':').append(Arrays.toString(Arrays.copyOf(channels[i], counts[i])));
            }
        }
        return sb.append(" classifier=").append(classifier).append(']').toString();
    }
}
