package io.tinysparse.core.random;

import java.util.random.RandomGenerator;

/**
 * The pseudo-random generator of tinysparse: Steele, Lea and Flood's SplitMix64 ("Fast splittable
 * pseudorandom number generators", OOPSLA 2014), the golden-ratio increment and the variant-13
 * finaliser, as in {@link java.util.SplittableRandom}. Its whole state is one {@code long}, so a
 * search writes it to JSON and resumes with exactly the same stream, which
 * {@code SplittableRandom} (whose state cannot be read back) does not allow.
 *
 * <h2>Three ways to draw a bounded integer</h2>
 * The 64-bit stream is the same for every instance with the same state. How {@link #nextInt(int)}
 * turns it into an integer below a bound is fixed per instance by its {@link IntDraw}, because
 * before this class existed three copies of the generator drew bounded integers three ways, and
 * each way chose results that are stored and compared bit for bit:
 * <ul>
 *   <li>{@link IntDraw#MULTIPLY_SHIFT}: the searchers' draws (their candidates, and the states
 *       in stored search checkpoints);</li>
 *   <li>{@link IntDraw#REMAINDER}: the dataset subsets and splits;</li>
 *   <li>{@link IntDraw#SPLITTABLE_RANDOM}: the training runs' data order and channel selection,
 *       drawn with {@code java.util.SplittableRandom} until it was replaced by this class.</li>
 * </ul>
 * Unifying them would change every stored run id's result; keeping them costs one switch.
 * {@link #nextDouble()} and {@link #nextGaussian()} were the same everywhere and are the same
 * for every {@code IntDraw}: with {@link IntDraw#SPLITTABLE_RANDOM} an instance gives exactly
 * the numbers of {@code new SplittableRandom(state)}, on the JDK it runs on (the Gaussian is the
 * JDK's {@link RandomGenerator#nextGaussian()} algorithm fed by this stream, which is why run
 * provenance records the Java version).
 *
 * <p>Invariant: two instances with the same {@link #state()} and {@link #intDraw()} produce the
 * same sequence. Not thread-safe: each owner draws from its instance in a fixed order.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    /** How {@link #nextInt(int)} draws an integer in {@code [0, bound)}; each is unbiased. */
    public enum IntDraw {
        /** Lemire's multiply-and-reject on the high 32 bits of a draw; almost never draws twice. */
        MULTIPLY_SHIFT,
        /** The unsigned 64-bit remainder of a draw, rejecting the top partial range. */
        REMAINDER,
        /**
         * {@code java.util.SplittableRandom}'s: a 32-bit mix of the state, then the remainder of
         * its top 31 bits with rejection (a mask for powers of two).
         */
        SPLITTABLE_RANDOM
    }

    private final IntDraw intDraw;
    private long state;
    /** The JDK's algorithms (bounded int, Gaussian) read this generator's stream through it. */
    private final RandomGenerator jdkView = new RandomGenerator() {
        @Override
        public long nextLong() {
            return SplitMix64.this.nextLong();
        }

        @Override
        public int nextInt() {
            return mix32(advance());
        }
    };

    /** A generator with {@link IntDraw#MULTIPLY_SHIFT} whose stream is determined by {@code state} (any value). */
    public SplitMix64(long state) {
        this(state, IntDraw.MULTIPLY_SHIFT);
    }

    /** A generator whose stream is determined by {@code state} (any value), drawing integers by {@code intDraw}. */
    public SplitMix64(long state, IntDraw intDraw) {
        if (intDraw == null) {
            throw new IllegalArgumentException("intDraw must not be null");
        }
        this.state = state;
        this.intDraw = intDraw;
    }

    /** The current state; {@code new SplitMix64(state(), intDraw())} continues this stream exactly. */
    public long state() {
        return state;
    }

    /** How this generator draws bounded integers. */
    public IntDraw intDraw() {
        return intDraw;
    }

    /** The next 64 uniformly distributed bits. */
    public long nextLong() {
        return mix64(advance());
    }

    /** A uniform integer in {@code [0, bound)} drawn by {@link #intDraw()}; {@code bound} must be positive. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return switch (intDraw) {
            case MULTIPLY_SHIFT -> multiplyShift(bound);
            case REMAINDER -> remainder(bound);
            case SPLITTABLE_RANDOM -> jdkView.nextInt(bound);
        };
    }

    /** A uniform double in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** True with probability {@code p} (p outside [0,1] is clamped by the comparison). */
    public boolean nextBoolean(double p) {
        return nextDouble() < p;
    }

    /** A standard normal value, by the JDK's algorithm over this stream (as {@code SplittableRandom}'s). */
    public double nextGaussian() {
        return jdkView.nextGaussian();
    }

    /**
     * Shuffles {@code a} in place, every permutation equally likely (Fisher-Yates from the end,
     * one {@link #nextInt(int)} per position).
     */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * A new generator, with the same {@link IntDraw}, whose stream is statistically independent
     * of this one; advances this generator by one draw.
     */
    public SplitMix64 split() {
        return new SplitMix64(mix64(nextLong() ^ 0xD1B54A32D192ED03L), intDraw);
    }

    /** The SplitMix64 finaliser (a bijection on 64-bit values with good avalanche). */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The state after {@code n} draws from {@code state}: draws can be addressed without drawing. */
    static long jump(long state, long n) {
        return state + n * GOLDEN_GAMMA;
    }

    private long advance() {
        state += GOLDEN_GAMMA;
        return state;
    }

    /** SplitMix's 32-bit output function (Stafford's variant 4), the one {@code SplittableRandom.nextInt()} uses. */
    private static int mix32(long z) {
        z = (z ^ (z >>> 33)) * 0x62A9D9ED799705F5L;
        return (int) (((z ^ (z >>> 28)) * 0xCB24D0A5C88C35B3L) >>> 32);
    }

    private int multiplyShift(int bound) {
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

    private int remainder(int bound) {
        long limit = Long.remainderUnsigned(-1L, bound); // draws above 2^64 - 1 - limit would bias the result
        while (true) {
            long r = nextLong();
            if (Long.compareUnsigned(r, -1L - limit) <= 0) {
                return (int) Long.remainderUnsigned(r, bound);
            }
        }
    }
}
