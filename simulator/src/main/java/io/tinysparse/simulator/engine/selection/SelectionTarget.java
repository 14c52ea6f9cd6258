package io.tinysparse.simulator.engine.selection;

import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.simulator.model.ConvLayer;
import java.util.Objects;

/**
 * One weight-updated convolution as a selector factory sees it: the layer, its weights at the
 * start of training, how many of its input channels are selected per iteration, and the seed of
 * the layer's random draws.
 *
 * <p>Invariant: {@code count} is in {@code [1, layer.inChannels()]}. {@code weights} is the
 * layer's live weight array in the engine's layout (not copied; equality is by reference): a
 * factory may read it when building the selector, never later.
 *
 * @param layer   the convolution whose input channels are selected
 * @param weights its weights, {@code layer.weightCount()} values
 * @param count   channels selected per iteration
 * @param seed    seed of every random choice the layer's selector makes
 */
public record SelectionTarget(ConvLayer layer, float[] weights, int count, long seed) {

    /** @throws IllegalArgumentException if {@code count} is outside {@code [1, C_in]} */
    public SelectionTarget {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(weights, "weights");
        if (count < 1 || count > layer.inChannels()) {
            throw new IllegalArgumentException("channel count " + count + " of layer " + layer.index() + " outside [1, "
                    + layer.inChannels() + "]");
        }
    }

    /** Channels of the layer that can be selected ({@code C_in}). */
    public int channels() {
        return layer.inChannels();
    }

    /** Whether every channel is selected, so that all strategies select the same. */
    public boolean selectsAll() {
        return count == layer.inChannels();
    }

    /**
     * A fresh generator seeded with {@link #seed()}: the layer's random draws are a function of the
     * seed alone (integers drawn as {@code java.util.SplittableRandom} drew them, so stored runs keep
     * their channel sequences).
     */
    public SplitMix64 random() {
        return new SplitMix64(seed, SplitMix64.IntDraw.SPLITTABLE_RANDOM);
    }
}
