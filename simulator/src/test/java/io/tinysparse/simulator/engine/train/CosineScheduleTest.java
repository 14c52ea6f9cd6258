package io.tinysparse.simulator.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class CosineScheduleTest {
    @Test
    void warmsUpLinearlyThenFollowsAHalfCosineToTheFinalRate() {
        CosineSchedule s = new CosineSchedule(0.1, 0, 4, 104);
        assertEquals(0.025, s.rate(0), 1e-12);
        assertEquals(0.1, s.rate(3), 1e-12);
        assertEquals(0.1, s.rate(4), 1e-12);
        assertEquals(0.05, s.rate(54), 1e-12, "half way through the cosine");
        assertTrue(s.rate(103) > 0 && s.rate(103) < 1e-4, "last step small but positive");
        for (long t = 5; t < 104; t++) {
            assertTrue(s.rate(t) <= s.rate(t - 1), "monotone after warm-up");
        }
        assertEquals(0.1, new CosineSchedule(0.1, 0, 0, 1).rate(0), 1e-12);
    }

    @Test
    void invalidSchedulesAreRejected() {
        assertThrows(InvalidInputException.class, () -> new CosineSchedule(0, 0, 0, 10));
        assertThrows(InvalidInputException.class, () -> new CosineSchedule(0.1, 0.2, 0, 10));
        assertThrows(InvalidInputException.class, () -> new CosineSchedule(0.1, 0, 11, 10));
        assertThrows(InvalidInputException.class, () -> new CosineSchedule(0.1, 0, 0, 0));
    }
}
