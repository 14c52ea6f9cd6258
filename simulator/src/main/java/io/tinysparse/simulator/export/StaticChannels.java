package io.tinysparse.simulator.export;

import io.tinysparse.simulator.engine.GradientRequest;
import io.tinysparse.simulator.engine.selection.ChannelSelector;
import io.tinysparse.simulator.engine.selection.SelectionTarget;
import io.tinysparse.simulator.engine.train.RunStreams;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The input channels a static selection trains in each weight-updated layer, chosen exactly as
 * the engine chooses them at the start of a run ({@code SparseTrainer}): the policy's selector
 * built on the layer's weights at the start of training (the folded backbone's) with the seed
 * the run gives that layer ({@link RunStreams#selection}), asked for iteration 0. A static
 * selection never changes, so this is the mask of the whole run.
 */
public final class StaticChannels {
    private StaticChannels() {}

    /**
     * Whether choosing the channels reads the weights: a magnitude criterion with some layer
     * that updates fewer than all of its channels ({@code random} needs only the seed, a full
     * layer nothing).
     */
    public static boolean needsWeights(LayerTable table, SparseUpdatePolicy policy) {
        SelectionStrategy s = policy.selection().strategy();
        return !s.dynamic() && s != SelectionStrategy.RANDOM && policy.weights().stream().anyMatch(w -> partial(table, w));
    }

    /**
     * Per weight-updated layer (ascending), the channels trained, ascending; empty for a dynamic
     * selection (its channels change every refresh period).
     *
     * @param weights the weights of a layer at the start of training, in the engine's layout; read only
     *                when {@link #needsWeights} (otherwise may return null)
     */
    public static Map<Integer, int[]> of(LayerTable table, SparseUpdatePolicy policy, long runSeed,
            IntFunction<float[]> weights) {
        Map<Integer, int[]> out = new TreeMap<>();
        if (policy.selection().strategy().dynamic()) {
            return out;
        }
        boolean readWeights = needsWeights(table, policy);
        for (WeightUpdate w : policy.weights()) {
            ConvLayer conv = table.conv(w.layer());
            int count = w.channelsOf(GradientRequest.selectableChannels(conv));
            float[] layerWeights = readWeights ? weights.apply(w.layer()) : new float[Math.toIntExact(conv.weightCount())];
            ChannelSelector selector = policy.selection().newSelector(new SelectionTarget(conv, layerWeights, count,
                    RunStreams.selection(runSeed, w.layer())));
            int[] chosen = new int[count];
            selector.select(0, chosen);
            out.put(w.layer(), chosen);
        }
        return out;
    }

    private static boolean partial(LayerTable table, WeightUpdate w) {
        ConvLayer conv = table.conv(w.layer());
        return w.channelsOf(GradientRequest.selectableChannels(conv)) < GradientRequest.selectableChannels(conv);
    }
}
