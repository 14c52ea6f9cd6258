package io.tinysparse.datasets.cache;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.hash.ContentHash;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The identity of a cached tensor: the SHA-256 of a canonical description of every input that
 * determines its content (for the frozen-prefix features: backbone weights hash, cut layer,
 * dataset and split, resolution, transform).
 *
 * <p>The description is a kind line followed by one {@code name=value} line per input, sorted
 * by name, with backslashes and line breaks in values escaped; so the key does not depend on the
 * order inputs were given in, and two different sets of inputs never share a description.
 * Names are lowercase ASCII letters, digits, {@code .}, {@code _} and {@code -}.
 *
 * <p>Correctness of the cache rests on the description naming <em>every</em> input: an input
 * left out makes different tensors share a key. Immutable.
 */
public final class CacheKey {
    private static final Pattern NAME = Pattern.compile("[a-z0-9._-]+");
    private final String description;
    private final String hex;

    private CacheKey(String description) {
        this.description = description;
        this.hex = ContentHash.of(description);
    }

    /** Starts a key of the given kind (e.g. {@code frozen-prefix-features/v1}), part of the description. */
    public static Builder builder(String kind) {
        return new Builder(kind);
    }

    /** The canonical description the key is the hash of. */
    public String description() {
        return description;
    }

    /** The SHA-256 of the description's UTF-8 bytes, 64 lowercase hex digits. */
    public String hex() {
        return hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey k && description.equals(k.description);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    @Override
    public String toString() {
        return hex;
    }

    /** Collects the inputs of a key. Not thread-safe. */
    public static final class Builder {
        private final String kind;
        private final Map<String, String> inputs = new TreeMap<>();

        private Builder(String kind) {
            Objects.requireNonNull(kind, "kind");
            if (!NAME.matcher(kind.replace("/", "")).matches()) {
                throw new InvalidInputException("cache key kind must be lowercase letters, digits, '.', '_', '-' or '/', got '"
                        + kind + "'");
            }
            this.kind = kind;
        }

        /** Adds an input; each name at most once. */
        public Builder put(String name, String value) {
            Objects.requireNonNull(value, name);
            if (name == null || !NAME.matcher(name).matches()) {
                throw new InvalidInputException("cache key input name must be lowercase letters, digits, '.', '_' or '-', got '"
                        + name + "'");
            }
            if (inputs.putIfAbsent(name, value) != null) {
                throw new InvalidInputException("cache key input '" + name + "' given twice");
            }
            return this;
        }

        /** Adds an integer input. */
        public Builder put(String name, long value) {
            return put(name, Long.toString(value));
        }

        /** Adds a floating-point input in Java's shortest exact text form ({@link Double#toString}). */
        public Builder put(String name, double value) {
            return put(name, Double.toString(value));
        }

        public CacheKey build() {
            if (inputs.isEmpty()) {
                throw new InvalidInputException("cache key of kind " + kind + " has no inputs");
            }
            StringBuilder d = new StringBuilder("tinysparse-cache-key:").append(kind).append('\n');
            inputs.forEach((k, v) -> d.append(k).append('=').append(escape(v)).append('\n'));
            return new CacheKey(d.toString());
        }

        private static String escape(String v) {
            return v.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
        }
    }
}
