package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.results.Warehouse;
import io.tinysparse.results.Warehouse.Table;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;

/**
 * Whether a command that writes can write its {@code --warehouse}, checked on the driver before
 * a SparkSession is built: an existing directory that is writable, or a path that does not exist
 * yet under a writable directory (created when the first table is written). Found later, a
 * regular file or a read-only directory fails inside Hadoop, after Spark's start-up, with a
 * message that names neither the option nor the cause.
 *
 * <p>Only local paths (no scheme, or {@code file:}) are checked here; a warehouse on another
 * file system ({@code hdfs://...}) is left to Hadoop, whose permissions the driver cannot judge
 * without a client round trip. Nothing is created by the check.
 */
final class WarehouseLocation {
    private WarehouseLocation() {}

    /** Bad input naming {@code warehouse} if it is local and cannot be written (see the class comment). */
    static void requireWritable(String warehouse) {
        requireWritable(warehouse, Files::isWritable);
    }

    /** The same with the writability test given (a test cannot make a directory read-only for root). */
    static void requireWritable(String warehouse, Predicate<Path> writable) {
        Path path = localPath(warehouse);
        if (path == null) {
            return;
        }
        if (Files.exists(path)) {
            if (!Files.isDirectory(path)) {
                throw new InvalidInputException("--warehouse " + warehouse + " is not a directory");
            }
            if (!writable.test(path)) {
                throw new InvalidInputException("--warehouse " + warehouse + " is not writable");
            }
            return;
        }
        Path ancestor = path.toAbsolutePath().getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null || !Files.isDirectory(ancestor)) {
            throw new InvalidInputException("--warehouse " + warehouse + " cannot be created: " + ancestor
                    + " is not a directory");
        }
        if (!writable.test(ancestor)) {
            throw new InvalidInputException("--warehouse " + warehouse + " cannot be created: " + ancestor
                    + " is not writable");
        }
    }

    /**
     * Whether {@code warehouse} holds a committed generation of search {@code searchId} (so the
     * command resumes it), read from the file system without Spark; false if the warehouse does
     * not exist.
     */
    static boolean hasSearch(String warehouse, String searchId) {
        return !new Warehouse(warehouse, new Configuration()).committedGenerations(Table.SEARCHES, searchId).isEmpty();
    }

    /** The local path of {@code warehouse}, or null for another file system's. */
    private static Path localPath(String warehouse) {
        try {
            if (warehouse.matches("[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
                URI uri = new URI(warehouse);
                return "file".equals(uri.getScheme()) ? Path.of(uri.getPath()) : null;
            }
            return Path.of(warehouse);
        } catch (URISyntaxException | InvalidPathException e) {
            throw new InvalidInputException("--warehouse '" + warehouse + "' is not a valid path: " + e.getMessage(), e);
        }
    }
}
