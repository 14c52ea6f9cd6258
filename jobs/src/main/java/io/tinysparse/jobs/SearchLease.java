package io.tinysparse.jobs;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * At most one driver writes a given search id at a time: a scheduled search whose previous run
 * is still going must not start a second writer. The lease is a file
 * {@code WAREHOUSE/_leases/SEARCH_ID} created with create-if-absent semantics (atomic on HDFS;
 * on a local file system a check-then-create whose race window is microseconds), holding the holder's host, pid and start time; its modification time
 * is the heartbeat, renewed after every committed generation.
 *
 * <p>A lease is taken over when its holder is provably gone (same host, process not alive) or
 * when its heartbeat is older than the timeout (a crashed holder on another host).
 */
public final class SearchLease implements AutoCloseable {
    private final FileSystem fs;
    private final Path path;
    private final ScheduledExecutorService heartbeat;

    private SearchLease(FileSystem fs, Path path, Duration timeout) {
        this.fs = fs;
        this.path = path;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tinysparse-lease-" + path.getName());
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
     * Takes the lease of {@code searchId} under {@code warehouseRoot}.
     *
     * @throws IllegalStateException if another live driver holds it (the message names it)
     */
    public static SearchLease acquire(FileSystem fs, Path warehouseRoot, String searchId, Duration timeout) {
        Path path = new Path(new Path(warehouseRoot, "_leases"), searchId);
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                try (FSDataOutputStream out = fs.create(path, false)) {
                    holderOfThisProcess().store(out, "tinysparse search lease");
                    return new SearchLease(fs, path, timeout);
                } catch (FileAlreadyExistsException e) {
                    Properties holder = read(fs, path);
                    long ageMs = Instant.now().toEpochMilli() - fs.getFileStatus(path).getModificationTime();
                    if (!isStale(holder, ageMs, timeout)) {
                        throw new IllegalStateException("search '" + searchId + "' is already running (host "
                                + holder.getProperty("host") + ", pid " + holder.getProperty("pid") + ", since "
                                + holder.getProperty("started") + "); if it is not, delete " + path);
                    }
                    fs.delete(path, false);
                }
            }
            throw new IllegalStateException("could not take the lease " + path + " (contended)");
        } catch (IOException e) {
            throw new UncheckedIOException("lease " + path, e);
        }
    }

    /** Renews the heartbeat now (the lease's own thread does it periodically). */
    public void renew() {
        try {
            fs.setTimes(path, System.currentTimeMillis(), -1);
        } catch (IOException e) {
            throw new UncheckedIOException("renew lease " + path, e);
        }
    }

    /** Releases the lease. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            fs.delete(path, false);
        } catch (IOException e) {
            throw new UncheckedIOException("release lease " + path, e);
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

    private static Properties holderOfThisProcess() {
        Properties p = new Properties();
        p.setProperty("host", hostName());
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        p.setProperty("started", Instant.now().toString());
        return p;
    }

    private static Properties read(FileSystem fs, Path path) throws IOException {
        Properties p = new Properties();
        try (InputStream in = fs.open(path)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (java.io.FileNotFoundException e) {
            // Released between our create and our read: treat as stale so we retry.
            p.setProperty("pid", "-1");
            p.setProperty("host", hostName());
        }
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
