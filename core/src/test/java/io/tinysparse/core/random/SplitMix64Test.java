package io.tinysparse.core.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.random.SplitMix64.IntDraw;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMix64Test {
    private static final int[] BOUNDS = {1, 2, 3, 7, 10, 1000, (1 << 30) + 1, Integer.MAX_VALUE};

    @Test
    void matchesTheReferenceImplementationOutput() {
        // splitmix64.c (Vigna) seeded with 0: the first three outputs.
        SplitMix64 r = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
        assertEquals(0x06C45D188009454FL, r.nextLong());
    }

    @Test
    void aGeneratorRebuiltFromItsStateContinuesTheSameStream() {
        for (IntDraw draw : IntDraw.values()) {
            SplitMix64 a = new SplitMix64(42, draw);
            for (int i = 0; i < 17; i++) {
                a.nextInt(7);
            }
            SplitMix64 b = new SplitMix64(a.state(), a.intDraw());
            for (int i = 0; i < 100; i++) {
                assertEquals(a.nextInt(1000), b.nextInt(1000), draw.name());
            }
        }
    }

    @Test
    void everyIntDrawIsWithinBoundsAndRoughlyUniform() {
        for (IntDraw draw : IntDraw.values()) {
            SplitMix64 r = new SplitMix64(1, draw);
            int[] counts = new int[5];
            for (int i = 0; i < 50_000; i++) {
                counts[r.nextInt(5)]++;
            }
            for (int c : counts) {
                assertTrue(Math.abs(c - 10_000) < 400, draw + " count " + c);
            }
            assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
        }
    }

    /** The draws of the searchers' generator (policy-search's rng.SplitMix64) before it moved here. */
    @Test
    void multiplyShiftDrawsExactlyAsTheSearchersGeneratorDid() {
        assertDraws(new SplitMix64(0), new int[] {0, 0, 0, 6, 1, 327, 186689199, 1656883612}, 0.24568894884013137,
                false, 2119173579041186999L, -4408136866661146890L, 7681369315911520508L);
        assertDraws(new SplitMix64(42), new int[] {0, 0, 0, 2, 0, 868, 859671932, 729996347}, 0.6184820663561348,
                true, -8525646027123321499L, -8976257307478440218L, 635340061525167419L);
        assertDraws(new SplitMix64(-7), new int[] {0, 0, 2, 1, 5, 807, 591230180, 14309481}, 0.02814483429198633,
                true, -2162095953292904980L, 9039047807101538783L, 7681369315911520501L);
    }

    private static void assertDraws(SplitMix64 r, int[] ints, double d, boolean coin, long split, long after,
            long state) {
        for (int i = 0; i < BOUNDS.length; i++) {
            assertEquals(ints[i], r.nextInt(BOUNDS[i]), "bound " + BOUNDS[i]);
        }
        assertEquals(d, r.nextDouble());
        assertEquals(coin, r.nextBoolean(0.5));
        SplitMix64 s = r.split();
        assertEquals(IntDraw.MULTIPLY_SHIFT, s.intDraw());
        assertEquals(split, s.nextLong());
        assertEquals(after, r.nextLong());
        assertEquals(state, r.state());
    }

    /** The draws of the dataset sampler's generator (datasets' sampling.SplitMix64) before it moved here. */
    @Test
    void remainderDrawsAndShufflesExactlyAsTheSamplersGeneratorDid() {
        assertRemainderDraws(Seeds.saltedStream(0, 0, 0), -2152535657050944081L,
                new int[] {0, 1, 1, 2, 0, 913, 856055390, 1066695652}, new int[] {5, 3, 10, 9, 8, 1, 11, 7, 0, 6, 4, 2});
        assertRemainderDraws(Seeds.saltedStream(42, 0x5eedL, 3), -1812120789120507814L,
                new int[] {0, 0, 1, 5, 3, 91, 209678239, 1057970819}, new int[] {8, 6, 4, 7, 11, 10, 1, 9, 5, 2, 3, 0});
        assertRemainderDraws(Seeds.saltedStream(-9, 12345, 7), 4898277684660707309L,
                new int[] {0, 0, 1, 1, 2, 312, 702148980, 1961808378}, new int[] {6, 9, 7, 2, 3, 0, 5, 10, 4, 8, 11, 1});
    }

    private static void assertRemainderDraws(long seed, long first, int[] ints, int[] shuffled) {
        SplitMix64 r = new SplitMix64(seed, IntDraw.REMAINDER);
        assertEquals(first, r.nextLong());
        for (int i = 0; i < BOUNDS.length; i++) {
            assertEquals(ints[i], r.nextInt(BOUNDS[i]), "bound " + BOUNDS[i]);
        }
        int[] a = new int[shuffled.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        r.shuffle(a);
        assertArrayEquals(shuffled, a);
    }

    /**
     * The training runs drew from {@code java.util.SplittableRandom}; this generator must give the
     * same numbers for the same seed, including powers of two, large bounds and the Gaussian's
     * rare tail branches (hence the many draws).
     */
    @Test
    void splittableRandomDrawsAreThoseOfTheJdkSplittableRandom() {
        int[] bounds = {1, 2, 3, 8, 10, 64, 1000, 1 << 20, (1 << 30) + 1, Integer.MAX_VALUE};
        for (long seed : new long[] {0, 1, 7, -3, 42, Long.MIN_VALUE, Long.MAX_VALUE, 0x9E3779B97F4A7C15L}) {
            SplittableRandom jdk = new SplittableRandom(seed);
            SplitMix64 ours = new SplitMix64(seed, IntDraw.SPLITTABLE_RANDOM);
            for (int i = 0; i < 20_000; i++) {
                int bound = bounds[i % bounds.length];
                assertEquals(jdk.nextInt(bound), ours.nextInt(bound), "seed " + seed + " draw " + i);
                assertEquals(jdk.nextDouble(), ours.nextDouble(), "seed " + seed + " draw " + i);
                assertEquals(jdk.nextLong(), ours.nextLong(), "seed " + seed + " draw " + i);
            }
            for (int i = 0; i < 200_000; i++) {
                assertEquals(jdk.nextGaussian(), ours.nextGaussian(), "seed " + seed + " gaussian " + i);
            }
        }
    }

    @Test
    void aShuffleWithSplittableRandomDrawsMatchesFisherYatesOverTheJdkGenerator() {
        int[] expected = new int[50];
        int[] actual = new int[50];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i;
            actual[i] = i;
        }
        SplittableRandom jdk = new SplittableRandom(99);
        for (int i = expected.length - 1; i > 0; i--) {
            int j = jdk.nextInt(i + 1);
            int t = expected[i];
            expected[i] = expected[j];
            expected[j] = t;
        }
        new SplitMix64(99, IntDraw.SPLITTABLE_RANDOM).shuffle(actual);
        assertArrayEquals(expected, actual);
    }

    @Test
    void aSplitKeepsTheIntDrawAndDoesNotRepeatItsParent() {
        SplitMix64 parent = new SplitMix64(5, IntDraw.REMAINDER);
        SplitMix64 child = parent.split();
        assertEquals(IntDraw.REMAINDER, child.intDraw());
        assertTrue(child.nextLong() != parent.nextLong());
    }
}
