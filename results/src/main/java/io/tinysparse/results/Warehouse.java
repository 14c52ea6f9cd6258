package io.tinysparse.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * The on-disk layout of a tinysparse warehouse (any Hadoop path: local, {@code hdfs://},
 * {@code s3a://}) and its one write primitive, the atomic partition commit.
 *
 * <pre>
 * WAREHOUSE/runs/search_id=S/generation=G/part-*.zstd.parquet      one row per run
 * WAREHOUSE/fronts/search_id=S/generation=G/part-*.zstd.parquet    Pareto set + hypervolume
 * WAREHOUSE/searches/search_id=S/generation=G/part-*.zstd.parquet  configuration, status, state
 * WAREHOUSE/TABLE/_staging/...                                     in-flight writes (ignored by readers)
 * </pre>
 *
 * <p>Invariant: a partition directory {@code search_id=S/generation=G} is either absent or
 * complete. It is written by Spark into a private staging directory and then moved into place
 * with one {@link FileSystem#rename} of the directory, which is atomic on local file systems and
 * HDFS (on object stores without atomic rename, such as S3, a crash can leave a partial
 * directory: use a committer-backed file system there). Partitions are never rewritten: a
 * commit whose partition already exists is a no-op and reports so, which is what makes resumed
 * and repeated searches idempotent. One driver at a time may write a given search id (the
 * jobs module holds a lease); different searches may share a warehouse. Spark's file listing skips names starting with {@code _},
 * so staging directories are invisible to queries.
 */
public final class Warehouse {
    /** Tables of a warehouse, each a directory of Parquet files partitioned by search and generation. */
    public enum Table {
        RUNS("runs"),
        FRONTS("fronts"),
        SEARCHES("searches");

        private final String dir;

        Table(String dir) {
            this.dir = dir;
        }

        /** The directory name of the table under the warehouse root. */
        public String dir() {
            return dir;
        }
    }

    private final Path root;
    private final FileSystem fs;

    /** Opens (without creating) the warehouse at {@code location} with the given Hadoop configuration. */
    public Warehouse(String location, Configuration conf) {
        if (location == null || location.isBlank()) {
            throw new io.tinysparse.core.InvalidInputException("warehouse: empty path");
        }
        try {
            Path p = new Path(location);
            this.fs = p.getFileSystem(conf);
            this.root = fs.makeQualified(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open warehouse " + location, e);
        }
    }

    /** The qualified root path, e.g. {@code file:/home/u/.tinysparse/warehouse}. */
    public Path root() {
        return root;
    }

    /** The file system the warehouse lives on. */
    public FileSystem fileSystem() {
        return fs;
    }

    /** The directory of a table. */
    public Path tablePath(Table table) {
        return new Path(root, table.dir());
    }

    /**
     * Checks that a search id is usable as a partition value and in SQL: 1 to 64 characters of
     * letters, digits, {@code .}, {@code _} and {@code -}, not starting with {@code _} or {@code .}
     * (Spark would hide such a directory).
     *
     * @throws io.tinysparse.core.InvalidInputException naming the bad id
     */
    public static String checkSearchId(String searchId) {
        if (searchId == null || !searchId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new io.tinysparse.core.InvalidInputException("search id '" + searchId
                    + "' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return searchId;
    }

    /** The directory of one committed partition of a table. */
    public Path partitionPath(Table table, String searchId, int generation) {
        checkSearchId(searchId);
        return new Path(new Path(tablePath(table), "search_id=" + searchId), "generation=" + generation);
    }

    /** Whether the table has any committed partition (readers need at least one file). */
    public boolean tableExists(Table table) {
        try {
            Path t = tablePath(table);
            if (!fs.exists(t)) {
                return false;
            }
            for (FileStatus s : fs.listStatus(t)) {
                if (s.isDirectory() && s.getPath().getName().startsWith("search_id=")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a partition has been committed. */
    public boolean isCommitted(Table table, String searchId, int generation) {
        try {
            return fs.exists(partitionPath(table, searchId, generation));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Committed generations of one search in a table, ascending. */
    public List<Integer> committedGenerations(Table table, String searchId) {
        List<Integer> out = new ArrayList<>();
        try {
            Path dir = new Path(tablePath(table), "search_id=" + searchId);
            if (!fs.exists(dir)) {
                return out;
            }
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && name.startsWith("generation=")) {
                    out.add(Integer.parseInt(name.substring("generation=".length())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Integer::compare);
        return out;
    }

    /**
     * Writes {@code rows} (which must not contain the partition columns) as the partition
     * ({@code searchId}, {@code generation}) of {@code table}, atomically.
     *
     * @return true if this call committed the partition, false if it was already committed
     *     (nothing is written then)
     */
    public boolean commitPartition(Table table, String searchId, int generation, Dataset<Row> rows) {
        if (isCommitted(table, searchId, generation)) {
            return false;
        }
        Path staging = new Path(stagingDir(table, searchId), UUID.randomUUID().toString());
        try {
            rows.coalesce(1)
                    .write()
                    .mode(SaveMode.ErrorIfExists)
                    .option("compression", "zstd")
                    .parquet(staging.toString());
            Path target = partitionPath(table, searchId, generation);
            fs.mkdirs(target.getParent());
            if (!fs.rename(staging, target)) {
                throw new IOException("rename " + staging + " -> " + target + " failed");
            }
            fs.delete(new Path(target, "_SUCCESS"), false);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                fs.delete(staging, true);
            } catch (IOException ignored) {
                // A leftover staging directory is invisible to readers; removeStaging() cleans it.
            }
        }
    }

    private Path stagingDir(Table table, String searchId) {
        return new Path(new Path(tablePath(table), "_staging"), searchId);
    }

    /**
     * Removes the staging directories that a crashed writer of this search left behind. Only
     * the search's own driver may call it (one driver per search id is the caller's contract,
     * which the jobs module enforces with a lease).
     */
    public void removeStaging(String searchId) {
        for (Table t : Table.values()) {
            try {
                fs.delete(stagingDir(t, searchId), true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
