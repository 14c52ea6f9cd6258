package io.tinysparse.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
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
 * WAREHOUSE/TABLE/search_id=S/generation=G/_manifest.json          its data files: bytes, rows, CRC32C
 * WAREHOUSE/_legacy_partitions.json                                partitions from before manifests
 * </pre>
 *
 * <p>Invariant: a partition directory {@code search_id=S/generation=G} is either absent or
 * complete. It is written by Spark into a private staging directory, its
 * {@link PartitionManifest manifest} is written last, files and directory are synced
 * ({@link DurableFiles}: {@code fsync} on local file systems; what HDFS guarantees instead is
 * stated there), and then it is moved into place with one {@link FileSystem#rename} of the
 * directory, which is atomic on local file systems and HDFS (on object stores without atomic
 * rename, such as S3, a crash can leave a partial directory: use a committer-backed file system
 * there). Partitions are never rewritten: a commit whose partition already exists is a no-op and
 * reports so, which is what makes resumed and repeated searches idempotent. One driver at a time
 * may write a given search id (the jobs module holds a lease); different searches may share a
 * warehouse. Spark's file listing skips names starting with {@code _}, so staging directories
 * and manifests are invisible to queries.
 *
 * <p>Reads are checked ({@link #verify}): a committed partition whose files do not match its
 * manifest (a file emptied by a crash, shortened, changed, missing or added), or whose manifest is
 * missing, is refused with a {@link DamagedPartitionException} naming the file, instead of being
 * read as fewer rows. Every file's length and CRC32C are checked on every read: tinysparse's
 * tables are small (a 200-run warehouse is 75 partitions of a few kilobytes each), so checking
 * them costs milliseconds beside Spark's own read (see {@code ManifestVerificationBench}).
 * Partitions committed before manifests existed, listed in {@link LegacyPartitions}, are read as
 * before, but a data file too short to be Parquet or without its closing {@code PAR1} is refused
 * there too.
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
    /** {@link #fs} without Hadoop's {@code .crc} checking, so that a changed file reaches the manifest check. */
    private final FileSystem rawFs;

    /** Opens (without creating) the warehouse at {@code location} with the given Hadoop configuration. */
    public Warehouse(String location, Configuration conf) {
        if (location == null || location.isBlank()) {
            throw new io.tinysparse.core.InvalidInputException("warehouse: empty path");
        }
        try {
            Path p = new Path(location);
            this.fs = p.getFileSystem(conf);
            this.root = fs.makeQualified(p);
            this.rawFs = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
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

    /** The directory of one search's partitions in a table. */
    public Path searchPath(Table table, String searchId) {
        checkSearchId(searchId);
        return new Path(tablePath(table), "search_id=" + searchId);
    }

    /** The directory of one committed partition of a table. */
    public Path partitionPath(Table table, String searchId, int generation) {
        return new Path(searchPath(table, searchId), "generation=" + generation);
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
            Path dir = searchPath(table, searchId);
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
     * ({@code searchId}, {@code generation}) of {@code table}, atomically and durably: Spark
     * writes the files into a private staging directory; their manifest is written last
     * ({@link PartitionManifest#writeInto}); files and directory are synced
     * ({@link DurableFiles}); one rename publishes the directory, and its parent is synced.
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
            fs.delete(new Path(staging, "_SUCCESS"), false);
            LegacyPartitions.recordIfAbsent(fs, root);
            PartitionManifest manifest = PartitionManifest.of(fs, staging);
            DurableFiles.syncTree(fs, staging);
            manifest.writeInto(fs, staging);
            DurableFiles.syncDirectory(fs, staging);
            Path target = partitionPath(table, searchId, generation);
            if (fs.mkdirs(target.getParent())) {
                DurableFiles.syncDirectory(fs, target.getParent().getParent());
            }
            if (!fs.rename(staging, target)) {
                throw new IOException("rename " + staging + " -> " + target + " failed");
            }
            DurableFiles.syncDirectory(fs, target.getParent());
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

    /**
     * Checks every committed partition of {@code table} (of every search) against its manifest:
     * see {@link #damage}.
     *
     * @throws DamagedPartitionException naming the first damaged file
     */
    public void verify(Table table) {
        try {
            Path t = tablePath(table);
            if (!fs.exists(t)) {
                return;
            }
            LegacyPartitions legacy = LegacyPartitions.of(fs, root);
            for (FileStatus s : fs.listStatus(t)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && name.startsWith("search_id=")) {
                    verify(table, name.substring("search_id=".length()), legacy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks every committed partition of one search in {@code table}: see {@link #damage}.
     *
     * @throws DamagedPartitionException naming the first damaged file
     */
    public void verify(Table table, String searchId) {
        try {
            verify(table, searchId, LegacyPartitions.of(fs, root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void verify(Table table, String searchId, LegacyPartitions legacy) throws IOException {
        for (int g : committedGenerations(table, searchId)) {
            DamagedPartitionException d = damage(table, searchId, g, legacy);
            if (d != null) {
                throw d;
            }
        }
    }

    /**
     * The damage of one committed partition, or null if it is sound. With a manifest: every
     * listed file is there with its length and CRC32C, and no other data file is. Without one
     * (only partitions committed before the warehouse had manifests, see
     * {@link LegacyPartitions}): every data file is at least a Parquet file's minimum length and
     * ends with the Parquet magic; a 0-byte file is never valid Parquet. A partition without a
     * data file is damaged either way (a commit writes at least one).
     */
    DamagedPartitionException damage(Table table, String searchId, int generation, LegacyPartitions legacy)
            throws IOException {
        Path dir = partitionPath(table, searchId, generation);
        Map<String, FileStatus> data = new TreeMap<>();
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isFile() && PartitionManifest.isDataFile(s.getPath().getName())) {
                data.put(s.getPath().getName(), s);
            }
        }
        Path manifestPath = new Path(dir, PartitionManifest.FILE);
        if (!fs.exists(manifestPath)) {
            String relative = table.dir() + "/" + dir.getParent().getName() + "/" + dir.getName();
            if (!legacy.isLegacy(relative)) {
                return damaged(table, searchId, generation, manifestPath, "missing (partitions committed since "
                        + LegacyPartitions.FILE + " was written carry one)");
            }
            if (data.isEmpty()) {
                return damaged(table, searchId, generation, dir, "no data file");
            }
            for (FileStatus s : data.values()) {
                String reason = legacyParquetProblem(s);
                if (reason != null) {
                    return damaged(table, searchId, generation, s.getPath(), reason);
                }
            }
            return null;
        }
        PartitionManifest manifest;
        try {
            manifest = PartitionManifest.read(fs, manifestPath);
        } catch (IllegalArgumentException | IOException e) {
            return damaged(table, searchId, generation, manifestPath, "unreadable manifest, " + e.getMessage());
        }
        if (manifest.files().isEmpty()) {
            return damaged(table, searchId, generation, manifestPath, "the manifest lists no data file");
        }
        Map<String, PartitionManifest.Entry> listed = manifest.byName();
        for (PartitionManifest.Entry e : manifest.files()) {
            FileStatus s = data.get(e.name());
            Path file = new Path(dir, e.name());
            if (s == null) {
                return damaged(table, searchId, generation, file, "missing (listed in its manifest with " + e.rows()
                        + " rows)");
            }
            if (s.getLen() != e.bytes()) {
                return damaged(table, searchId, generation, file, s.getLen() + " bytes, its manifest records "
                        + e.bytes() + " (" + e.rows() + " rows)");
            }
            String crc = PartitionManifest.crc32c(rawFs, file);
            if (!crc.equals(e.crc32c())) {
                return damaged(table, searchId, generation, file, "content changed: CRC32C " + crc
                        + ", its manifest records " + e.crc32c());
            }
        }
        for (FileStatus s : data.values()) {
            if (!listed.containsKey(s.getPath().getName())) {
                return damaged(table, searchId, generation, s.getPath(), "not listed in its partition's manifest");
            }
        }
        return null;
    }

    /** Why a data file of a partition without a manifest cannot be Parquet, or null if it can be. */
    private String legacyParquetProblem(FileStatus s) throws IOException {
        // A Parquet file starts and ends with "PAR1" around a 4-byte footer length.
        if (s.getLen() == 0) {
            return "0 bytes (a Parquet file never is empty)";
        }
        if (s.getLen() < 12) {
            return s.getLen() + " bytes, shorter than any Parquet file";
        }
        byte[] tail = new byte[4];
        try (FSDataInputStream in = rawFs.open(s.getPath())) {
            in.readFully(s.getLen() - 4, tail);
        }
        return new String(tail, StandardCharsets.US_ASCII).equals("PAR1") ? null
                : "not a Parquet file (no PAR1 at its end: truncated?)";
    }

    private DamagedPartitionException damaged(Table table, String searchId, int generation, Path file,
            String reason) {
        return new DamagedPartitionException(table, searchId, generation, display(file), reason, display(root));
    }

    /** A path as the user would type it: without the {@code file:} scheme on a local file system. */
    private String display(Path p) {
        return DurableFiles.isLocal(fs) ? p.toUri().getPath() : p.toString();
    }

    /**
     * The damage of every committed partition of one search, by table and generation (for repair).
     */
    public List<DamagedPartitionException> damageOf(String searchId) {
        List<DamagedPartitionException> out = new ArrayList<>();
        try {
            LegacyPartitions legacy = LegacyPartitions.of(fs, root);
            for (Table t : Table.values()) {
                for (int g : committedGenerations(t, searchId)) {
                    DamagedPartitionException d = damage(t, searchId, g, legacy);
                    if (d != null) {
                        out.add(d);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Removes one committed partition atomically: one rename moves it into the search's staging
     * directory (invisible to readers), whose later removal needs no atomicity. A crash leaves
     * either the partition or nothing visible.
     */
    public void dropPartition(Table table, String searchId, int generation) {
        Path target = partitionPath(table, searchId, generation);
        Path trash = new Path(stagingDir(table, searchId), "dropped-" + generation + "-" + UUID.randomUUID());
        try {
            fs.mkdirs(trash.getParent());
            if (!fs.rename(target, trash)) {
                throw new IOException("rename " + target + " -> " + trash + " failed");
            }
            DurableFiles.syncDirectory(fs, target.getParent());
            fs.delete(trash, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
