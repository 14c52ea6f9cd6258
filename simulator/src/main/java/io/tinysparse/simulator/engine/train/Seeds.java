package io.tinysparse.simulator.engine.train;

/**
 * Independent, reproducible random streams from one run seed: {@code derive(seed, stream)}
 * mixes both with the SplitMix64 finaliser, so streams of nearby seeds are unrelated.
 */
public final class Seeds {
    /** Stream of the training data order. */
    public static final long DATA_STREAM = 1;
    /** First stream of the channel selectors ({@code + layer index}). */
    public static final long SELECTION_STREAM = 1_000;

    private Seeds() {}

    /** A seed for stream {@code stream} of run seed {@code seed}. */
    public static long derive(long seed, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
