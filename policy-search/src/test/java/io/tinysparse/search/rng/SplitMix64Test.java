package io.tinysparse.search.rng;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitMix64Test {
    @Test
    void matchesTheReferenceImplementationOutput() {
        // splitmix64.c (Vigna) seeded with 0: first output 0xe220a8397b1dcdaf.
        assertEquals(0xE220A8397B1DCDAFL, new SplitMix64(0).nextLong());
    }

    @Test
    void aGeneratorRebuiltFromItsStateContinuesTheSameStream() {
        SplitMix64 a = new SplitMix64(42);
        for (int i = 0; i < 17; i++) {
            a.nextInt(7);
        }
        SplitMix64 b = new SplitMix64(a.state());
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
    }

    @Test
    void nextIntIsWithinBoundsAndRoughlyUniform() {
        SplitMix64 r = new SplitMix64(1);
        int[] counts = new int[5];
        for (int i = 0; i < 50_000; i++) {
            counts[r.nextInt(5)]++;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - 10_000) < 400, "count " + c);
        }
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
    }

    @Test
    void derivedSeedsDependOnEveryKey() {
        assertEquals(SplitMix64.derive(1, 2, 3), SplitMix64.derive(1, 2, 3));
        assertNotEquals(SplitMix64.derive(1, 2, 3), SplitMix64.derive(1, 3, 2));
        assertNotEquals(SplitMix64.derive(1, 2), SplitMix64.derive(2, 2));
    }
}
