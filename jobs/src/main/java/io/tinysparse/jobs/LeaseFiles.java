package io.tinysparse.jobs;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The lease files of one search id under {@code WAREHOUSE/_leases}, numbered by epoch: epoch 0
 * is {@code SEARCH_ID} (the name every lease had before epochs), epoch n >= 1 is
 * {@code SEARCH_ID@n}. The lease in force is the highest epoch; taking a lease over creates the
 * next epoch, create-if-absent, so of two drivers that found the same stale lease exactly one
 * creates the next file, and the other fails to.
 *
 * <p>Invariant: the highest epoch ever created is never deleted ({@link #deleteBelow} only
 * removes epochs below one the caller has just won, and a released lease is left in place, only
 * aged), so an epoch number is never created twice while a higher one exists; a driver that
 * created a lower one from an out-of-date view sees the higher one when it confirms, and loses.
 *
 * <p>A file is created with its contents already in it: on a local file system as a hard link to
 * a finished temporary file ({@code link(2)} fails if the name exists); elsewhere by renaming a
 * finished temporary file, which HDFS refuses, atomically, when the destination exists. So no
 * reader ever sees a half-written lease of a live driver. (An object store's rename is a copy and
 * a delete, not atomic: there two drivers could still both win; keep leases on HDFS or a local
 * or POSIX shared file system.)
 */
final class LeaseFiles {
    private final FileSystem fs;
    private final Path directory;
    private final String searchId;

    LeaseFiles(FileSystem fs, Path warehouseRoot, String searchId) {
        this.fs = fs;
        this.directory = new Path(warehouseRoot, "_leases");
        this.searchId = searchId;
    }

    /** The file of {@code epoch}. */
    Path path(long epoch) {
        return new Path(directory, epoch == 0 ? searchId : searchId + "@" + epoch);
    }

    /** The highest epoch present, if any. */
    Optional<Long> highest() throws IOException {
        long best = -1;
        for (long e : epochs()) {
            best = Math.max(best, e);
        }
        return best < 0 ? Optional.empty() : Optional.of(best);
    }

    /**
     * Creates the file of {@code epoch} holding {@code holder}, only if it does not exist.
     *
     * @return false if it existed (another driver created it first)
     */
    boolean createIfAbsent(long epoch, Properties holder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        holder.store(bytes, "tinysparse search lease");
        Path target = path(epoch);
        Path tmp = new Path(directory, "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        fs.mkdirs(directory);
        if (isLocal()) {
            java.nio.file.Path localTmp = local(tmp);
            try {
                Files.write(localTmp, bytes.toByteArray(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Files.createLink(local(target), localTmp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } finally {
                Files.deleteIfExists(localTmp);
            }
        }
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(bytes.toByteArray());
            }
            return fs.rename(tmp, target);
        } finally {
            fs.delete(tmp, false);
        }
    }

    /**
     * The holder recorded in the file of {@code epoch}; empty when the file is gone.
     *
     * @throws IOException if it cannot be read (the caller treats that as unreadable)
     */
    Optional<Properties> read(long epoch) throws IOException {
        Properties p = new Properties();
        try (InputStream in = fs.open(path(epoch))) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
        return Optional.of(p);
    }

    /** The status of the file of {@code epoch}; empty when it is gone. */
    Optional<FileStatus> status(long epoch) throws IOException {
        try {
            return Optional.of(fs.getFileStatus(path(epoch)));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Deletes the files of every epoch below {@code epoch} (superseded leases). */
    void deleteBelow(long epoch) throws IOException {
        for (long e : epochs()) {
            if (e < epoch) {
                fs.delete(path(e), false);
            }
        }
    }

    /** Deletes the file of {@code epoch} (a lost claim's own, never the highest). */
    void delete(long epoch) throws IOException {
        fs.delete(path(epoch), false);
    }

    /** Sets the modification time (the heartbeat) of the file of {@code epoch}. */
    void touch(long epoch, long timeMs) throws IOException {
        fs.setTimes(path(epoch), timeMs, -1);
    }

    private long[] epochs() throws IOException {
        FileStatus[] files;
        try {
            files = fs.listStatus(directory);
        } catch (FileNotFoundException e) {
            return new long[0];
        }
        return java.util.Arrays.stream(files).map(f -> f.getPath().getName()).mapToLong(this::epochOf)
                .filter(e -> e >= 0).toArray();
    }

    /** The epoch a file name stands for, -1 if it is not one of this search's leases. */
    private long epochOf(String name) {
        if (name.equals(searchId)) {
            return 0;
        }
        String prefix = searchId + "@";
        if (!name.startsWith(prefix) || name.length() == prefix.length() || name.length() - prefix.length() > 18) {
            return -1;
        }
        String digits = name.substring(prefix.length());
        return digits.chars().allMatch(Character::isDigit) ? Long.parseLong(digits) : -1;
    }

    private boolean isLocal() {
        return "file".equals(fs.getUri().getScheme());
    }

    private java.nio.file.Path local(Path p) {
        return Paths.get(fs.makeQualified(p).toUri());
    }
}
