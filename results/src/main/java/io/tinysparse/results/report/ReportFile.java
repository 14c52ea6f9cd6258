package io.tinysparse.results.report;

import io.tinysparse.core.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a search's report as {@code DIR/SEARCH_ID.html}, atomically: the page goes to a hidden
 * temporary file in the same directory, is synced, and is moved over the target in one rename,
 * so a reader (or a browser reloading it) sees the previous page or the new one, never a part.
 */
public final class ReportFile {
    private ReportFile() {}

    /** The report's file name for search {@code searchId} (a checked search id is a safe file name). */
    public static String fileName(String searchId) {
        return searchId + ".html";
    }

    /**
     * Writes {@code html} as the report of {@code searchId} in {@code dir} (created if missing).
     *
     * @param option the command-line option {@code dir} came from, for the error message
     * @return the file written
     * @throws InvalidInputException naming {@code dir} when it cannot be created or written;
     *     nothing is left behind then
     */
    public static Path write(Path dir, String option, String searchId, String html) {
        Path target = dir.resolve(fileName(searchId));
        Path temp = null;
        try {
            Files.createDirectories(dir);
            // Not Files.createTempFile: its owner-only permissions would carry over to the page.
            temp = dir.resolve("." + fileName(searchId) + "." + UUID.randomUUID() + ".tmp");
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(html.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            temp = null;
            return target;
        } catch (IOException e) {
            throw new InvalidInputException(option + " " + dir + " cannot be written: " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the temporary file is hidden and named after the report; nothing else to do
                }
            }
        }
    }
}
