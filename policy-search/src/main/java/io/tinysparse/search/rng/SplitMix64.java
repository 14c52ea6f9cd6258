package io.tinysparse.search.rng;

/**
 * A small, fast pseudo-random generator whose whole state is one {@code long}, so a search can
 * write it to JSON and resume with exactly the same stream (Steele, Lea and Flood, "Fast
 * splittable pseudorandom number generators", OOPSLA 2014: the SplitMix64 output function with
 * the golden-ratio increment, as in {@link java.util.SplittableRandom}).
 *
 * <p>{@link java.util.SplittableRandom} is not used because its state cannot be read back. This
 * class is not thread-safe: each searcher owns one instance and draws from it in a fixed order.
 *
 * <p>Invariant: two instances with the same {@link #state()} produce the same sequence.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long state;

    /** A generator whose stream is determined by {@code state} (any value, including 0). */
    public SplitMix64(long state) {
        this.state = state;
    }

    /** The current state; {@code new SplitMix64(state())} continues this stream exactly. */
    public long state() {
        return state;
    }

    /** The next 64 uniformly distributed bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** A uniform integer in {@code [0, bound)}; {@code bound} must be positive. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        // Lemire's multiply-and-reject: unbiased, and almost never loops.
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** A uniform double in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** True with probability {@code p} (p outside [0,1] is clamped by the comparison). */
    public boolean nextBoolean(double p) {
        return nextDouble() < p;
    }

    /**
     * A new generator whose stream is statistically independent of this one; advances this
     * generator by one draw.
     */
    public SplitMix64 split() {
        return new SplitMix64(mix64(nextLong() ^ 0xD1B54A32D192ED03L));
    }

    /**
     * A seed derived from a parent seed and keys (for example search seed and run id), so that
     * every random choice of a run depends only on those and not on evaluation order.
     */
    public static long derive(long seed, long... keys) {
        long h = mix64(seed + GOLDEN_GAMMA);
        for (long k : keys) {
            h = mix64(h ^ mix64(k + GOLDEN_GAMMA));
        }
        return h;
    }

    /** The SplitMix64 finaliser (a bijection on 64-bit values with good avalanche). */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
