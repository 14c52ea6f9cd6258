package io.tinysparse.datasets.sampling;

/**
 * Steele, Lea and Flood's SplitMix64 generator, written out here rather than taken from
 * {@link java.util.SplittableRandom} so that a seed selects the same samples on every JVM
 * version, forever: subsets are part of what makes a stored run reproducible.
 *
 * <p>Not thread-safe; cheap to create.
 */
final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** A generator for one independent stream, e.g. one class, derived from a seed and a stream id. */
    static SplitMix64 stream(long seed, long salt, long stream) {
        return new SplitMix64(mix(mix(seed ^ salt) + stream * GOLDEN_GAMMA));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in {@code [0, bound)}, without modulo bias (rejection sampling). */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = Long.remainderUnsigned(-1L, bound); // values above 2^64 - 1 - limit would bias the result
        while (true) {
            long r = nextLong();
            if (Long.compareUnsigned(r, -1L - limit) <= 0) {
                return (int) Long.remainderUnsigned(r, bound);
            }
        }
    }

    /** Shuffles {@code a} in place (Fisher-Yates, from the end). */
    void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
