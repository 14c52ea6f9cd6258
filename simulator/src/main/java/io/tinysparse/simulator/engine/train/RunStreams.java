package io.tinysparse.simulator.engine.train;

import io.tinysparse.core.random.Seeds;
import io.tinysparse.core.random.SplitMix64;

/**
 * The random streams of one training run, each drawn from its own seed ({@link Seeds#stream} of
 * the run seed and the stream's number), so that a change to the draws of one stream never
 * shifts another. The generators draw integers as {@code java.util.SplittableRandom} did, which
 * drew the runs already stored.
 */
public final class RunStreams {
    /** Stream of the training data order. */
    static final long DATA = 1;
    /** First stream of the channel selectors ({@code + layer index}). */
    static final long SELECTION = 1_000;

    private RunStreams() {}

    /** The generator of the order training samples are visited in. */
    public static SplitMix64 dataOrder(long runSeed) {
        return new SplitMix64(Seeds.stream(runSeed, DATA), SplitMix64.IntDraw.SPLITTABLE_RANDOM);
    }

    /** The seed of the channel selector of convolution {@code layer}. */
    public static long selection(long runSeed, int layer) {
        return Seeds.stream(runSeed, SELECTION + layer);
    }
}
