package io.tinysparse.simulator.engine.selection;

import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.model.ConvLayer;
import java.util.Arrays;

/**
 * The same channels every iteration: a static mask chosen before training (or all channels).
 *
 * <p>The static strategies are the ways of choosing the mask: the {@code count} channels with
 * the largest L2 norm of their weight slice {@code W[:, c, :, :]} at the start of training
 * (tiny-training's {@code magnitude+}), the smallest ({@code magnitude-}), or a uniform random
 * subset drawn once ({@code random}). Norm ties go to the lower channel index.
 */
public final class FixedSelector implements ChannelSelector {
    private final int channels;
    private final int[] chosen;

    /** Selects {@code chosen} (copied and sorted) out of {@code channels}. */
    FixedSelector(int channels, int[] chosen) {
        this.channels = channels;
        this.chosen = chosen.clone();
        Arrays.sort(this.chosen);
    }

    /** Every one of {@code channels} channels. */
    public static FixedSelector all(int channels) {
        int[] all = new int[channels];
        Arrays.setAll(all, c -> c);
        return new FixedSelector(channels, all);
    }

    /** The {@code count} channels whose weight slices have the largest L2 norm ({@code magnitude+}). */
    public static FixedSelector largestNorms(SelectionTarget target) {
        return new FixedSelector(target.channels(), byNorm(target, true));
    }

    /** The {@code count} channels whose weight slices have the smallest L2 norm ({@code magnitude-}). */
    public static FixedSelector smallestNorms(SelectionTarget target) {
        return new FixedSelector(target.channels(), byNorm(target, false));
    }

    /** A uniform random {@code count}-subset, drawn once from the target's seed. */
    public static FixedSelector uniformSubset(SelectionTarget target) {
        int[] pool = new int[target.channels()];
        Arrays.setAll(pool, c -> c);
        int[] chosen = new int[target.count()];
        DynamicRandomSelector.drawSubset(target.random(), pool, target.count(), chosen);
        return new FixedSelector(target.channels(), chosen);
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

    private static int[] byNorm(SelectionTarget target, boolean largest) {
        double[] norms = sliceNormsSquared(target.layer(), target.weights());
        Integer[] order = new Integer[norms.length];
        Arrays.setAll(order, c -> c);
        Arrays.sort(order, (a, b) -> {
            int byNorm = largest ? Double.compare(norms[b], norms[a]) : Double.compare(norms[a], norms[b]);
            return byNorm != 0 ? byNorm : Integer.compare(a, b);
        });
        int[] chosen = new int[target.count()];
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = order[i];
        }
        return chosen;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int count() {
        return chosen.length;
    }

    @Override
    public boolean dynamic() {
        return false;
    }

    @Override
    public void select(long iteration, int[] out) {
        System.arraycopy(chosen, 0, out, 0, chosen.length);
    }
}
