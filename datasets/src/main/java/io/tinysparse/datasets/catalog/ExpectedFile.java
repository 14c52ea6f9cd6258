package io.tinysparse.datasets.catalog;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.hash.ContentHash;
import java.util.Objects;

/**
 * One file of an installed dataset, as it must be on disk.
 *
 * @param name file name inside the dataset's directory (no separators)
 * @param split the split it belongs to
 * @param role what it holds
 * @param sizeBytes exact length in bytes, at least 1
 * @param sha256 SHA-256 of the content, 64 lowercase hex digits, or null when none is known
 *     (then only the size is checked)
 */
public record ExpectedFile(String name, Split split, Role role, long sizeBytes, String sha256) {
    /** What a file holds. */
    public enum Role {
        /** IDX images. */
        IMAGES,
        /** IDX labels. */
        LABELS,
        /** A CIFAR batch: labels and images together. */
        BATCH
    }

    public ExpectedFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(role, "role");
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new InvalidInputException("expected file name must be a plain file name, got '" + name + "'");
        }
        if (sizeBytes < 1) {
            throw new InvalidInputException("size of " + name + " must be at least 1 byte, got " + sizeBytes);
        }
        if (sha256 != null && !ContentHash.isHash(sha256)) {
            throw new InvalidInputException("sha256 of " + name + " must be 64 lowercase hex digits, got '" + sha256 + "'");
        }
    }
}
