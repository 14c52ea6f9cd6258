package io.tinysparse.core.hash;

import io.tinysparse.core.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The content hash of tinysparse: SHA-256, written as 64 lower-case hex digits. Run ids, backbone
 * store addresses, feature-cache keys, policy hashes and dataset checksums are all this hash (of
 * {@link CanonicalJson} text, of another canonical text, or of a file's bytes), and they are
 * persisted: the text that is hashed may change only with a version of its own.
 */
public final class ContentHash {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private ContentHash() {}

    /** The hash of {@code text}'s UTF-8 bytes. */
    public static String of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The hash of {@code bytes}. */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /** The hash of {@code value}'s {@link CanonicalJson} text: equal values, equal hashes. */
    public static String ofCanonicalJson(Object value) {
        return of(CanonicalJson.write(value));
    }

    /** The hash of a file's bytes, read as a stream (any size). */
    public static String ofFile(Path file) throws IOException {
        MessageDigest md = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A fresh SHA-256 digest, for content that is hashed as it is written or read. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whether {@code value} has the form of a hash: 64 lower-case hex digits. */
    public static boolean isHash(String value) {
        return value != null && HEX64.matcher(value).matches();
    }

    /**
     * {@code value}, checked to have the form of a hash.
     *
     * @throws InvalidInputException naming {@code field} and the value otherwise
     */
    public static String require(String value, String field) {
        if (!isHash(value)) {
            throw new InvalidInputException(field + " must be 64 lower-case hex digits, got '" + value + "'");
        }
        return value;
    }
}
