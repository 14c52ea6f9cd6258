package io.tinysparse.simulator.engine.selection;

import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.policy.ChannelSelection;
import java.util.Arrays;

/**
 * Builds the {@link ChannelSelector} of a policy's {@link ChannelSelection} for one layer.
 *
 * <ul>
 *   <li>{@code magnitude} ({@code magnitude+}): the {@code count} channels with the largest L2
 *       norm of their weight slice {@code W[:, c, :, :]} at the start of training, fixed
 *       (tiny-training's default); {@code magnitude-}: the smallest. Ties: lower index first.
 *   <li>{@code random}: a uniform random subset drawn once, fixed.
 *   <li>{@code dynamic-random}, {@code cyclic}, {@code importance}: see their classes; re-chosen
 *       every {@code refreshPeriod} iterations.
 * </ul>
 * When {@code count} equals the number of channels every strategy selects all of them.
 */
public final class ChannelSelectors {
    private ChannelSelectors() {}

    /**
     * The selector for {@code layer} with weights {@code weights} (read once, for magnitude),
     * choosing {@code count} channels per iteration; random strategies draw from {@code seed}.
     *
     * @throws IllegalArgumentException if {@code count} is outside {@code [1, C_in]}
     */
    public static ChannelSelector create(ChannelSelection selection, ConvLayer layer, float[] weights, int count,
            long seed) {
        int channels = layer.inChannels();
        if (count < 1 || count > channels) {
            throw new IllegalArgumentException("channel count " + count + " of layer " + layer.index() + " outside [1, "
                    + channels + "]");
        }
        if (count == channels) {
            int[] all = new int[channels];
            Arrays.setAll(all, c -> c);
            return new FixedSelector(channels, all);
        }
        SplitMix64 random = new SplitMix64(seed, SplitMix64.IntDraw.SPLITTABLE_RANDOM);
        return switch (selection.strategy()) {
            case MAGNITUDE -> new FixedSelector(channels, byMagnitude(layer, weights, count, true));
            case MAGNITUDE_SMALLEST -> new FixedSelector(channels, byMagnitude(layer, weights, count, false));
            case RANDOM -> {
                int[] pool = new int[channels];
                Arrays.setAll(pool, c -> c);
                int[] chosen = new int[count];
                DynamicRandomSelector.drawSubset(random, pool, count, chosen);
                yield new FixedSelector(channels, chosen);
            }
            case DYNAMIC_RANDOM -> new DynamicRandomSelector(channels, count, selection.refreshPeriod(), random);
            case CYCLIC -> new CyclicSelector(channels, count, selection.refreshPeriod());
            case IMPORTANCE -> new ImportanceSelector(channels, count, selection.refreshPeriod(),
                    selection.temperature(), random);
        };
    }

    /** Squared L2 norm of each input channel's weight slice {@code W[:, c, :, :]}. */
    public static double[] sliceNormsSquared(ConvLayer layer, float[] weights) {
        int taps = layer.kernel() * layer.kernel();
        int rows = layer.outChannels() / layer.groups();
        int inPerGroup = layer.inChannels() / layer.groups();
        double[] norms = new double[layer.inChannels()];
        for (int c = 0; c < norms.length; c++) {
            double s = 0;
            for (int r = 0; r < rows; r++) {
                int o = ConvKernel.sliceOffset(inPerGroup, taps, c, r);
                for (int t = 0; t < taps; t++) {
                    s += (double) weights[o + t] * weights[o + t];
                }
            }
            norms[c] = s;
        }
        return norms;
    }

    private static int[] byMagnitude(ConvLayer layer, float[] weights, int count, boolean largest) {
        double[] norms = sliceNormsSquared(layer, weights);
        Integer[] order = new Integer[norms.length];
        Arrays.setAll(order, c -> c);
        Arrays.sort(order, (a, b) -> {
            int byNorm = largest ? Double.compare(norms[b], norms[a]) : Double.compare(norms[a], norms[b]);
            return byNorm != 0 ? byNorm : Integer.compare(a, b);
        });
        int[] chosen = new int[count];
        for (int i = 0; i < count; i++) {
            chosen[i] = order[i];
        }
        return chosen;
    }
}
