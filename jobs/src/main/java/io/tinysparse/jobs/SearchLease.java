package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * At most one driver writes a given search id at a time: a scheduled search whose previous run
 * is still going must not start a second writer. The lease is a file under
 * {@code WAREHOUSE/_leases} ({@link LeaseFiles}: one per epoch, the highest in force) holding the
 * holder's host, pid and start time; its modification time is the heartbeat, renewed by the
 * lease's own thread every quarter of the timeout.
 *
 * <p>A lease is free when its holder is provably gone (same host, process not alive), when its
 * heartbeat is older than the timeout (a crashed holder on another host, or a released lease,
 * whose heartbeat is set to the epoch), or when the file is empty or unreadable (it names no
 * holder that could be alive; a live driver's lease is never seen half-written). A free lease is
 * taken by creating the next epoch's file, create-if-absent, then confirming that no higher
 * epoch exists: of any number of drivers that found the same free lease, exactly one wins and
 * the others see its live lease and are refused.
 */
public final class SearchLease implements AutoCloseable {
    private final LeaseFiles files;
    private final long epoch;
    private final ScheduledExecutorService heartbeat;

    private SearchLease(LeaseFiles files, long epoch, Duration timeout) {
        this.files = files;
        this.epoch = epoch;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tinysparse-lease-" + files.path(epoch).getName());
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, timeout.toMillis() / 4);
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                renew();
            } catch (UncheckedIOException e) {
                // A missed beat is retried at the next one; the lease only goes stale after four.
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lease of {@code searchId} under {@code warehouseRoot}, telling standard error when
     * it takes over a lease that was not released.
     *
     * @throws InvalidInputException if another live driver holds it (the message names it; exit 2)
     */
    public static SearchLease acquire(FileSystem fs, Path warehouseRoot, String searchId, Duration timeout) {
        return acquire(fs, warehouseRoot, searchId, timeout, line -> System.err.println("tinysparse: " + line));
    }

    /**
     * Takes the lease of {@code searchId} under {@code warehouseRoot}.
     *
     * @param notices gets one line when a lease that was not released (its holder gone, or its
     *                file empty or unreadable) is taken over
     * @throws InvalidInputException if another live driver holds it (the message names it; exit 2)
     */
    public static SearchLease acquire(FileSystem fs, Path warehouseRoot, String searchId, Duration timeout,
            Consumer<String> notices) {
        LeaseFiles files = new LeaseFiles(fs, warehouseRoot, searchId);
        try {
            for (int attempt = 0; attempt < 4; attempt++) {
                Observation seen = observe(files, timeout);
                if (!seen.free()) {
                    throw new InvalidInputException("search '" + searchId + "' is already running (host "
                            + seen.holder().getProperty("host") + ", pid " + seen.holder().getProperty("pid")
                            + ", since " + seen.holder().getProperty("started") + "); if it is not, delete "
                            + files.path(seen.epoch()));
                }
                Optional<SearchLease> won = claim(files, seen, timeout);
                if (won.isPresent()) {
                    seen.takeover(searchId, files).ifPresent(notices);
                    return won.get();
                }
            }
            throw new IllegalStateException("could not take the lease of search '" + searchId + "' under "
                    + files.path(0).getParent() + ": other drivers kept taking it (contended)");
        } catch (IOException e) {
            throw new UncheckedIOException("lease " + files.path(0) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The lease in force as one driver sees it.
     *
     * @param epoch      its epoch, -1 when there is none
     * @param holder     the holder it names; null when there is none or it names none
     * @param unreadable why it names no holder (empty, unreadable, not a lease), or null
     * @param released   whether its holder released it
     * @param free       whether it may be taken
     */
    record Observation(long epoch, Properties holder, String unreadable, boolean released, boolean free) {
        /** The notice of taking this lease over, when it was neither absent nor released. */
        Optional<String> takeover(String searchId, LeaseFiles files) {
            if (epoch < 0 || released) {
                return Optional.empty();
            }
            if (unreadable != null) {
                return Optional.of("search '" + searchId + "': the lease " + files.path(epoch) + " is " + unreadable
                        + "; treated as stale and taken over");
            }
            return Optional.of("search '" + searchId + "': took over the lease of a driver that is gone (host "
                    + holder.getProperty("host") + ", pid " + holder.getProperty("pid") + ", since "
                    + holder.getProperty("started") + ")");
        }
    }

    /** Step one of taking the lease: what is in force now. */
    static Observation observe(LeaseFiles files, Duration timeout) throws IOException {
        Optional<Long> highest = files.highest();
        if (highest.isEmpty()) {
            return new Observation(-1, null, null, false, true);
        }
        long epoch = highest.get();
        Optional<FileStatus> status = files.status(epoch);
        Optional<Properties> holder;
        String unreadable = null;
        try {
            holder = files.read(epoch);
        } catch (IOException e) {
            holder = Optional.of(new Properties());
            unreadable = "unreadable (" + e.getMessage() + ")";
        }
        if (status.isEmpty() || holder.isEmpty()) {
            // Superseded and deleted while we looked: free to try; the next epoch's create decides.
            return new Observation(epoch, null, "gone", true, true);
        }
        Properties h = holder.get();
        if (unreadable == null && status.get().getLen() == 0) {
            unreadable = "empty";
        } else if (unreadable == null && !isHolder(h)) {
            unreadable = "not a lease (no host, pid and start time in it)";
        }
        if (unreadable != null) {
            return new Observation(epoch, null, unreadable, false, true);
        }
        long mtime = status.get().getModificationTime();
        boolean released = mtime == 0;
        return new Observation(epoch, h, null, released,
                released || isStale(h, Instant.now().toEpochMilli() - mtime, timeout));
    }

    /**
     * Step two: creates the next epoch's lease after {@code seen} (create-if-absent) and confirms
     * that no higher epoch exists; then clears the superseded ones.
     *
     * @return the lease, or empty when another driver took it first (nothing of ours is left)
     */
    static Optional<SearchLease> claim(LeaseFiles files, Observation seen, Duration timeout) throws IOException {
        long next = seen.epoch() + 1;
        if (!files.createIfAbsent(next, holderOfThisProcess())) {
            return Optional.empty();
        }
        if (files.highest().orElse(-1L) > next) {
            files.delete(next); // our view was out of date: a newer lease exists, ours is not the highest
            return Optional.empty();
        }
        files.deleteBelow(next);
        return Optional.of(new SearchLease(files, next, timeout));
    }

    /** The file this lease holds. */
    Path path() {
        return files.path(epoch);
    }

    /** Renews the heartbeat now (the lease's own thread does it periodically). */
    public void renew() {
        try {
            files.touch(epoch, System.currentTimeMillis());
        } catch (IOException e) {
            throw new UncheckedIOException("renew lease " + path(), e);
        }
    }

    /**
     * Releases the lease: its heartbeat is set to the epoch, so the next driver takes it at once.
     * The file stays (as the highest epoch) so that epoch numbers are never reused.
     */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            files.touch(epoch, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("release lease " + path(), e);
        }
    }

    static boolean isStale(Properties holder, long ageMs, Duration timeout) {
        if (ageMs > timeout.toMillis()) {
            return true;
        }
        String host = holder.getProperty("host", "");
        if (host.equals(hostName())) {
            try {
                long pid = Long.parseLong(holder.getProperty("pid", "-1"));
                return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHolder(Properties p) {
        return p.getProperty("host") != null && p.getProperty("started") != null
                && p.getProperty("pid", "").matches("[0-9]{1,19}");
    }

    private static Properties holderOfThisProcess() {
        Properties p = new Properties();
        p.setProperty("host", hostName());
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        p.setProperty("started", Instant.now().toString());
        return p;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
