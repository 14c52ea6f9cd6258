package io.tinysparse.results;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Makes written files and directory entries durable before a rename publishes them, so that a
 * crash or power loss after the rename cannot leave a visible partition whose files are empty or
 * short (what an unsynced file becomes after a power loss on ext4, xfs and most other local file
 * systems).
 *
 * <p>On a local file system ({@code file:}) this is {@code fsync}: {@link FileChannel#force} on
 * each file, and on the directory itself (which makes its entries, i.e. creations and renames,
 * durable; Linux and macOS allow it, Windows does not). On HDFS this class does nothing, and
 * what holds instead is: a file closed by its writer is complete and replicated, its blocks
 * acknowledged by every datanode of the pipeline, but held in the datanodes' page cache, not
 * necessarily on disk, unless the cluster sets {@code dfs.datanode.synconclose=true};
 * {@code hflush} makes written data visible to new readers, {@code hsync} also pushes it to the
 * datanodes' disks (the manifest writer calls it; Spark's Parquet writer does not); the NameNode
 * journals every create and rename before it returns, and a rename is atomic. So on HDFS a power
 * loss of the whole cluster can lose a published file's last block unless
 * {@code dfs.datanode.synconclose} is set; the manifest check then finds it short. On object
 * stores (s3a) rename is a copy and not atomic: use a committer-backed file system there (see
 * {@link Warehouse}).
 */
final class DurableFiles {
    private DurableFiles() {}

    /** Whether {@code fs} is the local file system, where syncing is this class's job. */
    static boolean isLocal(FileSystem fs) {
        return "file".equals(fs.getUri().getScheme());
    }

    /** Syncs one file's content (local file systems; a no-op elsewhere, see the class comment). */
    static void syncFile(FileSystem fs, Path file) throws IOException {
        if (isLocal(fs)) {
            force(local(file));
        }
    }

    /**
     * Syncs every regular file directly in {@code dir} (data files, their Hadoop {@code .crc}
     * sidecars), then the directory itself.
     */
    static void syncTree(FileSystem fs, Path dir) throws IOException {
        if (!isLocal(fs)) {
            return;
        }
        java.nio.file.Path d = local(dir);
        try (DirectoryStream<java.nio.file.Path> files = Files.newDirectoryStream(d)) {
            for (java.nio.file.Path f : files) {
                if (Files.isRegularFile(f)) {
                    force(f);
                }
            }
        }
        force(d);
    }

    /** Syncs a directory's entries (local file systems; a no-op elsewhere). */
    static void syncDirectory(FileSystem fs, Path dir) throws IOException {
        if (isLocal(fs)) {
            force(local(dir));
        }
    }

    private static java.nio.file.Path local(Path p) {
        return java.nio.file.Path.of(p.toUri().getPath());
    }

    private static void force(java.nio.file.Path p) throws IOException {
        // A read-only channel suffices: fsync applies to the file, not to the descriptor's mode.
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
