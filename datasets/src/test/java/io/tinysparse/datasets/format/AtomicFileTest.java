package io.tinysparse.datasets.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void replacesAFileWithTheWholeContentAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("sub/policy.json");
        AtomicFile.write(f, out -> out.write(bytes("old")));
        AtomicFile.write(f, out -> out.write(bytes("new")));
        assertEquals("new", Files.readString(f));
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "only the file itself");
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("policy.json");
        AtomicFile.write(f, out -> out.write(bytes("old")));
        assertThrows(IOException.class, () -> AtomicFile.write(f, out -> {
            out.write(bytes("half"));
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aSymbolicLinkIsFollowedItsTargetReplacedAndTheLinkKept() throws IOException {
        Path target = dir.resolve("real/target.json");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "old");
        Path link = dir.resolve("link.json");
        Files.createSymbolicLink(link, Path.of("real/target.json"));
        AtomicFile.write(link, out -> out.write(bytes("new")));
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals("new", Files.readString(target));

        Path dangling = dir.resolve("dangling.json");
        Files.createSymbolicLink(dangling, Path.of("real/created.json"));
        AtomicFile.write(dangling, out -> out.write(bytes("made")));
        assertTrue(Files.isSymbolicLink(dangling));
        assertEquals("made", Files.readString(dir.resolve("real/created.json")));
    }

    @Test
    void aFifoIsWrittenThroughNotReplacedByARegularFile() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException noMkfifo) {
            assumeTrue(false, "mkfifo is not available: " + noMkfifo.getMessage());
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        AtomicFile.write(fifo, out -> out.write(bytes("through the pipe")));
        assertArrayEquals(bytes("through the pipe"), read.get(60, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo), "still a FIFO");
    }
}
