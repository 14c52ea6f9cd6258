package io.tinysparse.simulator.prune;

import io.tinysparse.simulator.engine.BatchNormParameters;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;

/**
 * Removes channels from a network, group by group ({@link ChannelGroups}): every parameter tied
 * to a removed channel goes (the producing convs' output rows with their batch norm or bias, the
 * depthwise filter, the consuming convs' input columns, the classifier's column), so the pruned
 * network computes what the original computes with those channels' contributions removed.
 * Folded and unfolded networks alike; the padding convention and batch-norm epsilon are kept.
 */
public final class ChannelPruner {
    private ChannelPruner() {}

    /**
     * {@code network} keeping, of each group {@code g} of {@code groups}, the channels
     * {@code kept[g]} (parent indices, ascending), as a network of {@code prunedSpec}.
     *
     * @throws IllegalArgumentException if {@code groups} is not {@code network}'s, or the kept
     *     counts do not give {@code prunedSpec}'s shapes
     */
    public static Network prune(Network network, ChannelGroups groups, int[][] kept, ModelSpec prunedSpec) {
        LayerTable layers = network.layers();
        if (groups.groups().size() != kept.length || !groups.network().equals(network.spec().architecture())) {
            throw new IllegalArgumentException("channel groups of another network");
        }
        int n = layers.convCount();
        float[][] weights = new float[n][];
        float[][] biases = network.isFolded() ? new float[n][] : null;
        BatchNormParameters[] norms = network.isFolded() ? null : new BatchNormParameters[n];
        for (int i = 0; i < n; i++) {
            ConvLayer c = layers.conv(i);
            int[] out = kept[groups.outputOf(i).index()];
            int taps = c.kernel() * c.kernel();
            float[] w = network.weights(i);
            if (c.depthwise()) {
                weights[i] = new float[out.length * taps];
                for (int j = 0; j < out.length; j++) {
                    System.arraycopy(w, out[j] * taps, weights[i], j * taps, taps);
                }
            } else {
                ChannelGroups.Group inGroup = groups.inputOf(i);
                int[] in = inGroup == null ? all(c.inChannels()) : kept[inGroup.index()];
                weights[i] = new float[out.length * in.length * taps];
                for (int jo = 0; jo < out.length; jo++) {
                    for (int ji = 0; ji < in.length; ji++) {
                        System.arraycopy(w, (out[jo] * c.inChannels() + in[ji]) * taps, weights[i],
                                (jo * in.length + ji) * taps, taps);
                    }
                }
            }
            if (network.isFolded()) {
                biases[i] = select(network.bias(i), out);
            } else {
                BatchNormParameters bn = network.batchNorm(i);
                norms[i] = new BatchNormParameters(select(bn.gamma(), out), select(bn.beta(), out),
                        select(bn.runningMean(), out), select(bn.runningVar(), out));
            }
        }
        int[] features = kept[groups.classifierInput().index()];
        int classes = network.classifierBias().length;
        int oldFeatures = network.classifierWeights().length / classes;
        float[] fc = new float[classes * features.length];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < features.length; j++) {
                fc[k * features.length + j] = network.classifierWeights()[k * oldFeatures + features[j]];
            }
        }
        return Network.of(prunedSpec, network.batchNormEpsilon(), network.paddingConvention(), weights, biases, norms,
                fc, network.classifierBias());
    }

    private static float[] select(float[] values, int[] indices) {
        float[] s = new float[indices.length];
        for (int j = 0; j < indices.length; j++) {
            s[j] = values[indices[j]];
        }
        return s;
    }

    private static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
