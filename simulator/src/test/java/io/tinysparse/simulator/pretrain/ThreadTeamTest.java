package io.tinysparse.simulator.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ThreadTeamTest {
    @Test
    void everyMemberRunsTheProgramAndSeesWhatOthersWroteBeforeASync() {
        int[] written = new int[3];
        int[] seen = new int[3];
        try (ThreadTeam team = new ThreadTeam(3, "test")) {
            for (int round = 1; round <= 50; round++) {
                int r = round;
                team.run(m -> {
                    written[m] = r * 10 + m;
                    team.sync();
                    seen[m] = written[(m + 1) % 3];
                });
                assertArrayEquals(new int[] {r * 10 + 1, r * 10 + 2, r * 10}, seen, "round " + r);
            }
        }
    }

    @Test
    void aFailingMemberEndsTheProgramOnAllAndItsFailureIsRethrown() {
        IllegalStateException boom = new IllegalStateException("member 2 failed");
        try (ThreadTeam team = new ThreadTeam(3, "test")) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> team.run(m -> {
                team.sync();
                if (m == 2) {
                    throw boom;
                }
                team.sync(); // the others would wait here for ever without the failure ending the program
            }));
            assertSame(boom, e);
            assertThrows(IllegalStateException.class, () -> team.run(m -> { }), "a failed team runs nothing more");
        }
    }

    @Test
    void aTeamOfOneRunsOnTheCallingThread() {
        Thread[] ran = new Thread[1];
        try (ThreadTeam team = new ThreadTeam(1, "test")) {
            team.run(m -> {
                team.sync();
                ran[m] = Thread.currentThread();
            });
        }
        assertEquals(Thread.currentThread(), ran[0]);
    }
}
