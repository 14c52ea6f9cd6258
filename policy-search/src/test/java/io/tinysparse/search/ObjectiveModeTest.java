package io.tinysparse.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tinysparse.core.InvalidInputException;
import org.junit.jupiter.api.Test;

/** {@code --objectives}: the names it takes and the lists it refuses. */
class ObjectiveModeTest {
    @Test
    void accuracyAndMemoryWithOrWithoutTimeParseInAnyOrder() {
        assertEquals(ObjectiveMode.ACCURACY_MEMORY, ObjectiveMode.parse("accuracy,memory"));
        assertEquals(ObjectiveMode.ACCURACY_MEMORY, ObjectiveMode.parse("memory, accuracy"));
        assertEquals(ObjectiveMode.ACCURACY_MEMORY_TIME, ObjectiveMode.parse("accuracy,memory,time"));
        assertEquals(ObjectiveMode.ACCURACY_MEMORY_TIME, ObjectiveMode.parse("time,accuracy,memory"));
        for (ObjectiveMode m : ObjectiveMode.values()) {
            assertEquals(m, ObjectiveMode.parse(m.id()));
            assertEquals(m.dimensions(), m.id().split(",").length);
        }
    }

    @Test
    void anUnknownOrUpperCaseNameARepeatAListWithoutAccuracyOrMemoryIsBadInputNamingTheValue() {
        assertMessage("--objectives 'accuracy,memory,energy': 'energy' is not an objective (known: accuracy,"
                + " memory, time)", "accuracy,memory,energy");
        assertMessage("--objectives 'accuracy,memory,memory' names memory twice", "accuracy,memory,memory");
        assertMessage("--objectives 'memory,time' has no accuracy: every search maximises accuracy (give"
                + " accuracy,memory or accuracy,memory,time)", "memory,time");
        assertMessage("--objectives 'accuracy,time' has no memory: peak SRAM is always an objective (give"
                + " accuracy,memory or accuracy,memory,time)", "accuracy,time");
        assertMessage("--objectives 'accuracy,,memory': '' is not an objective (known: accuracy, memory, time)",
                "accuracy,,memory");
        assertMessage("--objectives 'ACCURACY,memory': 'ACCURACY' is not an objective (known: accuracy, memory, time)",
                "ACCURACY,memory");
        assertMessage("--objectives is empty: give accuracy,memory or accuracy,memory,time", " ");
    }

    private static void assertMessage(String expected, String value) {
        assertEquals(expected, assertThrows(InvalidInputException.class, () -> ObjectiveMode.parse(value)).getMessage());
    }
}
