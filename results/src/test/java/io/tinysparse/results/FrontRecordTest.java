package io.tinysparse.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FrontRecordTest {
    @Test
    void theHypervolumeFractionIsTheStoredAreaOverTheBoxOfAccuracyOneByTheBudget() {
        FrontRecord f = new FrontRecord("s", 0, 0, 0.41 * 262_144, 262_144, List.of(), null);
        assertEquals(0.41, f.hypervolumeFraction(), 1e-12);
        // The pinned search's last front: 36834.4 accuracy x bytes under 256 KiB.
        assertEquals(0.140512, FrontRecord.hypervolumeFraction(36834.4, 262_144), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> FrontRecord.hypervolumeFraction(1, 0));
    }

    @Test
    void withTimeTheFractionIsOfTheBoxUpToTheTimeEdgeInSecondsAndTheObjectivesSayIt() {
        FrontRecord f = new FrontRecord("s", 0, 0, 0.41 * 262_144 * 0.25, 262_144, List.of(), null, 250.0);
        assertEquals(0.41, f.hypervolumeFraction(), 1e-12);
        assertEquals("accuracy,memory,time", f.objectives());
        assertEquals("accuracy,memory", new FrontRecord("s", 0, 0, 1, 262_144, List.of(), null).objectives());
        assertEquals(0.41, FrontRecord.hypervolumeFraction(0.41 * 262_144 * 2, 262_144, 2000.0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new FrontRecord("s", 0, 0, 1, 262_144, List.of(), null, 0.0));
    }
}
