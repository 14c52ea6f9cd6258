package io.tinysparse.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tinysparse.core.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Picking a front member: max-accuracy and min-memory by the decided accuracy and bytes, the knee
 * as the member farthest above the line between the extremes in [0, 1]-scaled coordinates, ties
 * left out, and a fixed tie rule.
 */
class FrontPickTest {
    static FrontRecord.Member member(String id, double validation, long bytes) {
        return new FrontRecord.Member(id, validation - 0.01, bytes, 1.0, "{}", validation, null, null, null, null, 1, null,
                bytes - 100);
    }

    static FrontRecord.Member tie(String id, double validation, long bytes, String with) {
        return new FrontRecord.Member(id, validation, bytes, 1.0, "{}", validation, 0.01, 0.02, null, null, 3, with, null);
    }

    @Test
    void theKneeIsTheMemberFarthestAboveTheLineBetweenTheExtremes() {
        // scaled: (0, 0), (0.25, 0.833), (0.5, 0.944), (1, 1): distances 0, 0.41, 0.31, 0
        List<FrontRecord.Member> front = List.of(member("a", 0.50, 100_000), member("b", 0.80, 150_000),
                member("c", 0.84, 200_000), member("d", 0.86, 300_000));
        assertEquals("b", FrontPick.KNEE.choose(front).runId());
        assertEquals("d", FrontPick.MAX_ACCURACY.choose(front).runId());
        assertEquals("a", FrontPick.MIN_MEMORY.choose(front).runId());
        // the knee depends on the scaling, not on the units: the same front in other units picks the same member
        List<FrontRecord.Member> scaled = front.stream().map(m -> member(m.runId(),
                0.1 + m.validationAccuracy() / 10, m.arenaBytes() * 7)).toList();
        assertEquals("b", FrontPick.KNEE.choose(scaled).runId());
    }

    @Test
    void aLateBendMovesTheKnee() {
        // scaled: (0, 0), (0.5, 0.1), (0.75, 0.9), (1, 1): the bend is at c
        List<FrontRecord.Member> front = List.of(member("a", 0.50, 100_000), member("b", 0.53, 200_000),
                member("c", 0.77, 250_000), member("d", 0.80, 300_000));
        assertEquals("c", FrontPick.KNEE.choose(front).runId());
    }

    @Test
    void withNoMemberAboveTheLineTheKneeIsTheMostAccurate() {
        assertEquals("y", FrontPick.KNEE.choose(List.of(member("x", 0.5, 100), member("y", 0.6, 200))).runId());
        assertEquals("y", FrontPick.KNEE.choose(List.of(member("y", 0.6, 200))).runId());
        // a straight front: every distance 0
        assertEquals("z", FrontPick.KNEE.choose(List.of(member("x", 0.5, 100), member("y", 0.6, 200),
                member("z", 0.7, 300))).runId());
    }

    @Test
    void tiesAreNotCandidatesAndLegacyFrontsUseTestAccuracy() {
        List<FrontRecord.Member> front = List.of(member("a", 0.50, 100_000), tie("t", 0.90, 90_000, "a"),
                member("d", 0.86, 300_000));
        assertEquals("a", FrontPick.MIN_MEMORY.choose(front).runId());
        assertEquals("d", FrontPick.MAX_ACCURACY.choose(front).runId());
        FrontRecord.Member legacy = new FrontRecord.Member("old", 0.95, 100, 1.0, "{}", null, null, null, null, null,
                null, null, null);
        assertEquals(0.95, FrontPick.accuracy(legacy));
        assertEquals("old", FrontPick.MAX_ACCURACY.choose(List.of(legacy, member("new", 0.9, 50))).runId());
    }

    @Test
    void equalAccuracyPicksFewerBytesThenTheLowerRunId() {
        assertEquals("b", FrontPick.MAX_ACCURACY.choose(List.of(member("a", 0.8, 200), member("b", 0.8, 100))).runId());
        assertEquals("a", FrontPick.MIN_MEMORY.choose(List.of(member("b", 0.8, 100), member("a", 0.8, 100))).runId());
    }

    @Test
    void anUnknownPickIsBadInputNamingItAndTheKnownOnes() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FrontPick.parse("elbow"));
        assertEquals("--pick 'elbow' is not one of knee, max-accuracy, min-memory", e.getMessage());
        assertEquals(FrontPick.KNEE, FrontPick.parse("Knee"));
    }
}
