package io.tinysparse.datasets.format;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a local file all or nothing: the content goes to a temporary file in the same
 * directory, which is then renamed over the target (atomically where the file system can), so a
 * reader sees the old file or the complete new one, never a half-written one, and a failed
 * write leaves no temporary file behind.
 *
 * <p>A symbolic link is followed: its target is replaced and the link kept. A file that exists
 * but is neither a regular file nor a directory (a device such as {@code /dev/null} or
 * {@code /dev/stdout}, a FIFO) is written through, as a stream: renaming over it would replace
 * the device for every other user of the machine.
 */
public final class AtomicFile {
    /** Produces a file's content. */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content to {@code out} (buffered; closed by the caller). */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {}

    /** Replaces {@code file} (creating its directories) with what {@code content} writes. */
    public static void write(Path file, Content content) throws IOException {
        file = followLinks(file);
        if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE))) {
                content.writeTo(out);
            }
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            // temporary files are owner-only; the result is shared data (a store other users read)
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            // forced to disk before the rename, so a crash cannot publish a file whose data is lost
            // (content may close the stream itself, so the sync reopens the file)
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                content.writeTo(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code file}, or the file its chain of symbolic links ends at (which may not exist yet). */
    private static Path followLinks(Path file) throws IOException {
        Path p = file.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == 40) {
                throw new IOException("too many levels of symbolic links: " + file);
            }
            p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        }
        return p;
    }
}
