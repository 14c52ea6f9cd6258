package io.tinysparse.datasets.format;

import io.tinysparse.core.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Opens data files on any Hadoop-compatible file system (local paths, {@code file:},
 * {@code hdfs://}, {@code s3a://}, ... whatever the configuration and classpath support), so
 * that Spark executors read the same shared storage as the driver.
 *
 * <p>Gzip compression is recognised by the gzip magic bytes {@code 1f 8b} at the start of the
 * file, never by its name, and removed transparently.
 *
 * <p>File systems come from Hadoop's cache and are not closed here (closing a cached instance
 * would break every other user of it); only the streams are. Thread-safe.
 */
public final class DataFiles {
    private static volatile DataFiles defaults;
    private final Configuration conf;

    /** Opens files with the given Hadoop configuration (e.g. a Spark job's {@code hadoopConfiguration()}). */
    public DataFiles(Configuration conf) {
        this.conf = Objects.requireNonNull(conf, "conf");
    }

    /** An instance with Hadoop's default configuration (whatever {@code core-site.xml} the classpath has). */
    public static DataFiles defaults() {
        DataFiles d = defaults;
        if (d == null) {
            d = new DataFiles(new Configuration());
            defaults = d;
        }
        return d;
    }

    /** A Hadoop path for a local file. */
    public static Path path(java.nio.file.Path local) {
        return new Path(local.toAbsolutePath().toUri());
    }

    /** Whether {@code path} exists. */
    public boolean exists(Path path) throws IOException {
        return path.getFileSystem(conf).exists(path);
    }

    /**
     * The stored (possibly compressed) length of a file in bytes.
     *
     * @throws InvalidInputException if it does not exist or is a directory
     */
    public long storedLength(Path path) throws IOException {
        return status(path).getLen();
    }

    private FileStatus status(Path path) throws IOException {
        FileStatus st;
        try {
            st = path.getFileSystem(conf).getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new InvalidInputException(path + ": no such file");
        }
        if (st.isDirectory()) {
            throw new InvalidInputException(path + ": is a directory, not a data file");
        }
        return st;
    }

    /**
     * Opens {@code path} for reading, decompressing it if it starts with the gzip magic bytes.
     *
     * @throws InvalidInputException if it does not exist, is a directory, or has a broken gzip header
     */
    public OpenedFile open(Path path) throws IOException {
        long stored = status(path).getLen();
        InputStream raw = new BufferedInputStream(path.getFileSystem(conf).open(path), 1 << 16);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream in = raw;
            if (gzip) {
                try {
                    in = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
                } catch (IOException e) {
                    throw new InvalidInputException(path + ": corrupt gzip header (" + e.getMessage() + ")", e);
                }
            }
            return new OpenedFile(path.toString(), in, gzip, stored);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }
}
