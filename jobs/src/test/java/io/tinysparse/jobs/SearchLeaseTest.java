package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchLeaseTest {
    @TempDir
    java.nio.file.Path dir;

    FileSystem fs() throws Exception {
        return FileSystem.getLocal(new Configuration());
    }

    @Test
    void aSecondDriverOfTheSameSearchIsRefusedWithTheHolderNamed() throws Exception {
        Path root = new Path(dir.toUri());
        try (SearchLease lease = SearchLease.acquire(fs(), root, "s1", Duration.ofHours(1))) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> SearchLease.acquire(fs(), root, "s1", Duration.ofHours(1)));
            assertTrue(e.getMessage().contains("'s1' is already running"), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            // Another search id is independent.
            SearchLease.acquire(fs(), root, "s2", Duration.ofHours(1)).close();
        }
        // Released: can be taken again.
        SearchLease.acquire(fs(), root, "s1", Duration.ofHours(1)).close();
    }

    @Test
    void aLeaseOfADeadProcessOnThisHostIsTakenOver() throws Exception {
        java.nio.file.Path leases = Files.createDirectories(dir.resolve("_leases"));
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Properties holder = new Properties();
        holder.setProperty("host", java.net.InetAddress.getLocalHost().getHostName());
        holder.setProperty("pid", Long.toString(p.pid()));
        holder.setProperty("started", "2026-01-01T00:00:00Z");
        try (var out = Files.newOutputStream(leases.resolve("s1"))) {
            holder.store(out, null);
        }
        SearchLease.acquire(fs(), new Path(dir.toUri()), "s1", Duration.ofHours(1)).close();
    }

    @Test
    void stalenessFollowsTheHeartbeatForOtherHosts() {
        Properties other = new Properties();
        other.setProperty("host", "some-other-host");
        other.setProperty("pid", "1");
        assertFalse(SearchLease.isStale(other, 1_000, Duration.ofMinutes(30)));
        assertTrue(SearchLease.isStale(other, Duration.ofMinutes(31).toMillis(), Duration.ofMinutes(30)));
    }

    @Test
    void theHeartbeatKeepsALeaseFreshWithoutTheHoldersHelp() throws Exception {
        Path root = new Path(dir.toUri());
        try (SearchLease lease = SearchLease.acquire(fs(), root, "s1", Duration.ofSeconds(2))) {
            Path file = new Path(new Path(root, "_leases"), "s1");
            fs().setTimes(file, 0, -1);
            // The lease's thread beats every 0.5 s; wait for a beat (bounded, not a timing assertion).
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (fs().getFileStatus(file).getModificationTime() == 0 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
            assertTrue(fs().getFileStatus(file).getModificationTime() > 0, "the heartbeat renewed the lease");
        }
    }

    @Test
    void anEmptyLeaseFileIsTakenOverAsStaleWithAOneLineNotice() throws Exception {
        java.nio.file.Path empty = Files.createFile(Files.createDirectories(dir.resolve("_leases")).resolve("s1"));
        List<String> notices = new ArrayList<>();
        try (SearchLease lease = SearchLease.acquire(fs(), new Path(dir.toUri()), "s1", Duration.ofHours(1),
                notices::add)) {
            assertEquals(1, notices.size(), notices.toString());
            assertTrue(notices.get(0).contains(empty.getFileName() + " is empty; treated as stale and taken over"),
                    notices.get(0));
        }
    }

    @Test
    void aLeaseFileNamingNoHolderIsTakenOverAsNotALease() throws Exception {
        Files.write(Files.createDirectories(dir.resolve("_leases")).resolve("s1"), new byte[] {0, 1, (byte) 0xff, 'x'});
        List<String> notices = new ArrayList<>();
        SearchLease.acquire(fs(), new Path(dir.toUri()), "s1", Duration.ofHours(1), notices::add).close();
        assertTrue(notices.get(0).contains("is not a lease (no host, pid and start time in it)"), notices.toString());
    }

    @Test
    void aReleasedLeaseIsTakenAgainWithoutANotice() throws Exception {
        Path root = new Path(dir.toUri());
        List<String> notices = new ArrayList<>();
        SearchLease.acquire(fs(), root, "s1", Duration.ofHours(1), notices::add).close();
        SearchLease.acquire(fs(), root, "s1", Duration.ofHours(1), notices::add).close();
        assertEquals(List.of(), notices);
    }

    @Test
    void twoDriversThatFindTheSameStaleLeaseNeverBothWin() throws Exception {
        Path root = new Path(dir.toUri());
        LeaseFiles files = emptyLease(root);
        // Both look before either acts: both see the same free (empty) lease.
        SearchLease.Observation a = SearchLease.observe(files, Duration.ofHours(1));
        SearchLease.Observation b = SearchLease.observe(files, Duration.ofHours(1));
        assertTrue(a.free() && b.free());
        try (SearchLease winner = SearchLease.claim(files, a, Duration.ofHours(1)).orElseThrow()) {
            assertTrue(SearchLease.claim(files, b, Duration.ofHours(1)).isEmpty(), "the second claim loses");
            assertEquals(List.of("s1@1"), leaseNames());
            // The loser, looking again, finds the winner alive and is refused.
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> SearchLease.acquire(fs(), root, "s1", Duration.ofHours(1), n -> {}));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertEquals(winner.path(), files.path(1));
        }
    }

    @Test
    void aDriverWithAnOutOfDateViewLosesToTheLeaseThatSupersededIt() throws Exception {
        Path root = new Path(dir.toUri());
        LeaseFiles files = emptyLease(root);
        SearchLease.Observation late = SearchLease.observe(files, Duration.ofHours(1));
        // Meanwhile one driver takes the lease (epoch 1) and releases it, and another takes it (epoch 2).
        SearchLease.acquire(fs(), root, "s1", Duration.ofHours(1), n -> {}).close();
        try (SearchLease current = SearchLease.acquire(fs(), root, "s1", Duration.ofHours(1), n -> {})) {
            assertEquals(List.of("s1@2"), leaseNames(), "superseded epochs are cleared");
            // The late driver recreates epoch 1 (gone by now), sees epoch 2 above it, and withdraws.
            assertTrue(SearchLease.claim(files, late, Duration.ofHours(1)).isEmpty());
            assertEquals(List.of("s1@2"), leaseNames());
            assertEquals(current.path(), files.path(2));
        }
    }

    /** The lease files of search s1 under {@code root}, whose epoch 0 is an empty file. */
    private LeaseFiles emptyLease(Path root) throws Exception {
        Files.createFile(Files.createDirectories(dir.resolve("_leases")).resolve("s1"));
        return new LeaseFiles(fs(), root, "s1");
    }

    private List<String> leaseNames() throws java.io.IOException {
        try (var s = Files.list(dir.resolve("_leases"))) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
