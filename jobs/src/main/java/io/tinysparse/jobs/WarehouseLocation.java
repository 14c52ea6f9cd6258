package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.results.Warehouse;
import io.tinysparse.results.Warehouse.Table;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

/**
 * Whether a command that writes can write its {@code --warehouse} (or, for {@code report}, its
 * {@code --out} directory), and whether a command that reads finds its warehouse, checked on the
 * driver before a SparkSession is built where the path is local. Writable: an existing directory
 * that is writable, or a path that does not exist yet under a writable directory (created when
 * the first table is written). Found later, a
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
        requireWritableDirectory("--warehouse", warehouse, writable);
    }

    /**
     * Bad input naming option {@code option} and its value {@code location} (a local path, or a
     * URI of any file system, of which only {@code file:} is checked) unless it is a writable
     * directory or can be created as one under a writable directory. Nothing is created.
     */
    static void requireWritableDirectory(String option, String location, Predicate<Path> writable) {
        Path path = localPath(option, location);
        if (path == null) {
            return;
        }
        if (Files.exists(path)) {
            if (!Files.isDirectory(path)) {
                throw new InvalidInputException(option + " " + location + " is not a directory");
            }
            if (!writable.test(path)) {
                throw new InvalidInputException(option + " " + location + " is not writable");
            }
            return;
        }
        Path ancestor = path.toAbsolutePath().getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null || !Files.isDirectory(ancestor)) {
            throw new InvalidInputException(option + " " + location + " cannot be created: " + ancestor
                    + " is not a directory");
        }
        if (!writable.test(ancestor)) {
            throw new InvalidInputException(option + " " + location + " cannot be created: " + ancestor
                    + " is not writable");
        }
    }

    /** Whether {@code location} is on the local file system (no scheme, or {@code file:}), checkable before Spark starts. */
    static boolean isLocal(String location) {
        String scheme = new org.apache.hadoop.fs.Path(location).toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }

    /**
     * Checks that the warehouse is an existing directory, for a command that only reads it: a
     * missing path would otherwise read as a warehouse with no rows.
     */
    static void requireExisting(String location, Configuration conf) {
        FileStatus status;
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
            status = path.getFileSystem(conf).getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new InvalidInputException("--warehouse '" + location + "' does not exist");
        } catch (IOException e) {
            throw new InvalidInputException("--warehouse '" + location + "' cannot be read: " + e.getMessage(), e);
        }
        if (!status.isDirectory()) {
            throw new InvalidInputException("--warehouse '" + location + "' is not a directory");
        }
    }

    /**
     * Checks, for a command that reads one search ({@code report}, {@code export}), that the
     * warehouse is an existing directory holding a committed generation of {@code searchId}.
     */
    static void requireSearch(String warehouse, String searchId, Configuration conf) {
        requireExisting(warehouse, conf);
        if (new Warehouse(warehouse, conf).committedGenerations(Table.SEARCHES, searchId).isEmpty()) {
            throw searchNotFound(warehouse, searchId);
        }
    }

    /** Bad input: {@code warehouse} holds no committed generation of search {@code searchId}. */
    static InvalidInputException searchNotFound(String warehouse, String searchId) {
        return new InvalidInputException("search '" + searchId + "' is not in warehouse '" + warehouse
                + "' (no committed generation)");
    }

    /**
     * Whether {@code warehouse} holds a committed generation of search {@code searchId} (so the
     * command resumes it), read from the file system without Spark; false if the warehouse does
     * not exist.
     */
    static boolean hasSearch(String warehouse, String searchId) {
        return !new Warehouse(warehouse, new Configuration()).committedGenerations(Table.SEARCHES, searchId).isEmpty();
    }

    /** The local path of {@code location}, or null for another file system's. */
    static Path localPath(String option, String location) {
        try {
            if (location.matches("[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
                URI uri = new URI(location);
                return "file".equals(uri.getScheme()) ? Path.of(uri.getPath()) : null;
            }
            return Path.of(location);
        } catch (URISyntaxException | InvalidPathException e) {
            throw new InvalidInputException(option + " '" + location + "' is not a valid path: " + e.getMessage(), e);
        }
    }
}
