package io.tinysparse.core.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void derivedSeedsDependOnEveryKeyAndItsPosition() {
        assertEquals(Seeds.derive(1, 2, 3), Seeds.derive(1, 2, 3));
        assertNotEquals(Seeds.derive(1, 2, 3), Seeds.derive(1, 3, 2));
        assertNotEquals(Seeds.derive(1, 2), Seeds.derive(2, 2));
        assertNotEquals(Seeds.derive(1), Seeds.derive(1, 0));
    }

    /** Run seeds of stored searches were derived so (policy-search's SplitMix64.derive). */
    @Test
    void deriveGivesTheSeedsTheSearchersDerivedBefore() {
        assertEquals(-8506523646216398870L, Seeds.derive(1, 2, 3));
        assertEquals(-5718840176915108438L, Seeds.derive(7, -5));
        assertEquals(-2152535657050944081L, Seeds.derive(0));
        assertEquals(3308629171500072170L, Seeds.derive(-1, 123456789, 4));
    }

    /** The simulator's per-run streams were derived so (simulator's engine.train.Seeds). */
    @Test
    void streamGivesTheSeedsTheSimulatorDerivedBefore() {
        assertEquals(7960286522194355700L, Seeds.stream(0, 1));
        assertEquals(-3523066890008783414L, Seeds.stream(7, 1000));
        assertEquals(1053990612683911435L, Seeds.stream(-3, 1003));
        assertEquals(3055647633038352039L, Seeds.stream(Long.MAX_VALUE, 0));
    }

    @Test
    void streamIsADrawOfTheSeedsOwnGenerator() {
        SplitMix64 r = new SplitMix64(1234);
        for (int s = 0; s < 10; s++) {
            assertEquals(r.nextLong(), Seeds.stream(1234, s));
        }
    }

    @Test
    void saltedStreamsOfOneSeedDifferByPurposeAndNumber() {
        assertNotEquals(Seeds.saltedStream(5, 1, 0), Seeds.saltedStream(5, 2, 0));
        assertNotEquals(Seeds.saltedStream(5, 1, 0), Seeds.saltedStream(5, 1, 1));
        assertEquals(-2152535657050944081L, new SplitMix64(Seeds.saltedStream(0, 0, 0)).nextLong());
    }
}
