package io.tinysparse.simulator.engine.train;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.List;
import java.util.SplittableRandom;

/** Small networks, policies and synthetic data for the training tests. */
public final class Fixtures {
    static final ModelSpec SPEC = new ModelSpec(0.35, 32, 4, false, 1);

    private Fixtures() {}

    /** A folded network with non-trivial folded batch norms. */
    static Network folded(long seed) {
        return io.tinysparse.simulator.engine.TestNetworks.folded(SPEC, seed);
    }

    /** tiny-training's "99kb" layers and ratios, with the given channel selection. */
    static SparseUpdatePolicy scheme99kb(ChannelSelection selection) {
        int[] layers = {27, 30, 33, 36, 39, 42, 45, 48};
        double[] ratios = {1, 1, 1, 1, 1, 0.125, 0.5, 1};
        List<WeightUpdate> w = new java.util.ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            w.add(WeightUpdate.ratio(layers[i], ratios[i]));
        }
        return new SparseUpdatePolicy(25, w, selection, true);
    }

    /**
     * {@code n} images of {@code classes} classes: a fixed random pattern per class plus
     * Gaussian noise of standard deviation {@code noise}; labels cycle through the classes.
     */
    static Samples images(int n, int classes, double noise, long seed) {
        return images(n, classes, SPEC.resolution(), noise, seed);
    }

    /** As {@link #images(int, int, double, long)}, at {@code res} x {@code res} pixels. */
    public static Samples images(int n, int classes, int res, double noise, long seed) {
        int size = 3 * res * res;
        SplittableRandom patterns = new SplittableRandom(99);
        float[][] mean = new float[classes][size];
        for (float[] m : mean) {
            for (int i = 0; i < size; i++) {
                m[i] = (float) patterns.nextGaussian();
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * size];
        int[] labels = new int[n];
        for (int s = 0; s < n; s++) {
            labels[s] = s % classes;
            for (int i = 0; i < size; i++) {
                x[s * size + i] = (float) (mean[labels[s]][i] + noise * r.nextGaussian());
            }
        }
        return new Samples(x, labels, 3, res, res, 0);
    }
}
