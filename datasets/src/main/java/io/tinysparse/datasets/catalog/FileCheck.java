package io.tinysparse.datasets.catalog;

import io.tinysparse.core.hash.ContentHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The result of checking one local file against its {@link ExpectedFile}: present or not, its
 * size, and (when the expected checksum is known and the size is right) its SHA-256.
 *
 * @param expected what the file must be
 * @param path where it was looked for
 * @param state the verdict
 * @param actualSize its length in bytes, -1 when missing
 * @param actualSha256 its SHA-256 when computed, else null
 */
public record FileCheck(ExpectedFile expected, Path path, State state, long actualSize, String actualSha256) {
    /** The verdicts, best first. */
    public enum State {
        /** Size and SHA-256 match. */
        VERIFIED,
        /** Size matches; no checksum is known for this file. */
        SIZE_OK,
        /** Not there (or not a regular file). */
        MISSING,
        /** Present with the wrong length. */
        WRONG_SIZE,
        /** Right length, wrong content. */
        WRONG_CHECKSUM
    }

    public FileCheck {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(state, "state");
    }

    /** Whether the file is usable: {@link State#VERIFIED} or {@link State#SIZE_OK}. */
    public boolean ok() {
        return state == State.VERIFIED || state == State.SIZE_OK;
    }

    /** A short human-readable verdict, e.g. {@code verified (size and SHA-256)} or {@code wrong size: 10 bytes, expected 12}. */
    public String describe() {
        return switch (state) {
            case VERIFIED -> "verified (size and SHA-256)";
            case SIZE_OK -> "size ok (no checksum known)";
            case MISSING -> "missing";
            case WRONG_SIZE -> "wrong size: " + actualSize + " bytes, expected " + expected.sizeBytes();
            case WRONG_CHECKSUM -> "wrong SHA-256 " + actualSha256 + ", expected " + expected.sha256();
        };
    }

    /** Checks {@code path} against {@code expected}, reading the whole file when a checksum is known. */
    public static FileCheck of(Path path, ExpectedFile expected) throws IOException {
        if (!Files.isRegularFile(path)) {
            return new FileCheck(expected, path, State.MISSING, -1, null);
        }
        long size = Files.size(path);
        if (size != expected.sizeBytes()) {
            return new FileCheck(expected, path, State.WRONG_SIZE, size, null);
        }
        if (expected.sha256() == null) {
            return new FileCheck(expected, path, State.SIZE_OK, size, null);
        }
        String sha = ContentHash.ofFile(path);
        return new FileCheck(expected, path, sha.equals(expected.sha256()) ? State.VERIFIED : State.WRONG_CHECKSUM,
                size, sha);
    }
}
