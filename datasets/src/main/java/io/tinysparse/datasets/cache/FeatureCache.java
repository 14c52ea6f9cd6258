package io.tinysparse.datasets.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A content-addressed store of float tensors on a local (or shared POSIX) file system: the
 * frozen-prefix feature cache, where the output of a network's frozen layers for every sample
 * is computed once per (backbone, cut layer, dataset split, resolution, transform) and reused
 * by every run that freezes the same prefix.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Addressing.</b> An entry is named by its {@link CacheKey}: the file
 *       {@code <directory>/<key hex>.tsf}. The key must describe every input that determines the
 *       tensor; the cache cannot tell when it does not.</li>
 *   <li><b>Atomic publication.</b> A writer writes a new entry to a unique temporary file in the
 *       same directory and renames it over the entry's name. Readers therefore see either no
 *       entry, a complete old entry or a complete new one, never a partial file. Concurrent
 *       writers of one key (threads, processes, executors sharing the directory) are safe: the
 *       last rename wins, and since a key determines the content, every version is the same.</li>
 *   <li><b>One computation per key per JVM.</b> {@link #getOrCompute} holds a lock per entry
 *       for the whole JVM (across instances on the same directory), so threads that ask for the
 *       same missing key compute it once and the others read the result. Separate processes may
 *       each compute it; that costs time, never correctness.</li>
 *   <li><b>Integrity.</b> An entry records its key description, its shape, its element count and
 *       a CRC-32C of everything before the checksum. A missing, truncated, overlong or
 *       checksum-failing entry is treated as absent and {@link #getOrCompute} recomputes and
 *       replaces it. (No {@code fsync} before the rename: a crash may leave a truncated entry,
 *       which is detected and recomputed, so durability is not needed for correctness.)</li>
 *   <li><b>Misfiled entries.</b> A valid entry whose recorded key description is not its
 *       key's (an entry copied or renamed under another key's name) is treated as absent, with a
 *       one-line warning, and {@link #getOrCompute} recomputes and replaces it.</li>
 *   <li><b>Shape.</b> A valid entry whose shape differs from the one asked for means the key
 *       left out an input: that is a bug in the caller and raises {@link IllegalStateException}.</li>
 *   <li><b>Leftovers.</b> A writer killed mid-write leaves a {@code *.tsf.tmp-*} file; it is never
 *       read and may be deleted when no writer is running.</li>
 * </ul>
 *
 * <h2>File format (little-endian)</h2>
 * <pre>
 * 8 bytes   magic "TSFCACHE"
 * 4         format version (1)
 * 4         D, length of the key description in bytes
 * D         key description, UTF-8
 * 4         rank R (1..16)
 * 4 x R     dimensions
 * 8         element count N (the product of the dimensions)
 * 4 x N     float32 values
 * 4         CRC-32C of all the bytes above
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class FeatureCache {
    /** File name suffix of an entry. */
    public static final String SUFFIX = ".tsf";
    private static final byte[] MAGIC = "TSFCACHE".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int MAX_RANK = 16;
    private static final int MAX_DESCRIPTION = 1 << 20;
    private static final int CHUNK = 1 << 20; // bytes per IO call; a multiple of 4
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final Path directory;
    private final Consumer<String> warnings;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong computed = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();

    /** Fills a tensor that is not in the cache yet. */
    @FunctionalInterface
    public interface FeatureComputation {
        /**
         * Writes every element of the tensor into {@code out}, which has exactly the shape's
         * element count and starts zeroed. Throwing leaves the cache unchanged.
         */
        void compute(float[] out) throws IOException;
    }

    /**
     * Counters since this instance was created.
     *
     * @param hits entries read back valid
     * @param computed tensors computed because their entry was missing or corrupt
     * @param corrupt entries found corrupt (each also counted in {@code computed} when recomputed)
     */
    public record Stats(long hits, long computed, long corrupt) {}

    /** A cache in {@code directory}, created if missing, warning on standard error. */
    public FeatureCache(Path directory) throws IOException {
        this(directory, line -> System.err.println("tinysparse: " + line));
    }

    /**
     * A cache in {@code directory}, created if missing.
     *
     * @param warnings gets one line per misfiled entry found (see the class doc)
     */
    public FeatureCache(Path directory, Consumer<String> warnings) throws IOException {
        this.directory = Files.createDirectories(directory.toAbsolutePath().normalize());
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /** The directory holding the entries. */
    public Path directory() {
        return directory;
    }

    /** The file of {@code key}'s entry (which may not exist). */
    public Path entryPath(CacheKey key) {
        return directory.resolve(key.hex() + SUFFIX);
    }

    /**
     * The tensor for {@code key}: read from its entry when that is present and valid, otherwise
     * computed by {@code compute}, stored, and returned.
     *
     * @param shape the tensor's shape; a valid entry of another shape is a caller bug (see class doc)
     * @return a new array of {@code shape.elementCount()} values, owned by the caller
     * @throws IOException if the file system fails, or {@code compute} throws it
     */
    public float[] getOrCompute(CacheKey key, TensorShape shape, FeatureComputation compute) throws IOException {
        Objects.requireNonNull(compute, "compute");
        Lookup fast = lookup(key, shape);
        if (fast.values() != null) {
            hits.incrementAndGet();
            return fast.values();
        }
        synchronized (LOCKS.computeIfAbsent(entryPath(key), p -> new Object())) {
            // Another thread may have written it while this one waited for the lock.
            Lookup locked = lookup(key, shape);
            if (locked.values() != null) {
                hits.incrementAndGet();
                return locked.values();
            }
            if (locked.corrupt()) {
                corrupt.incrementAndGet();
                locked.misfiled().ifPresent(w -> warnings.accept(w + "; treated as a miss and rewritten"));
            }
            float[] values = new float[shape.elementCount()];
            compute.compute(values);
            put(key, shape, values);
            computed.incrementAndGet();
            return values;
        }
    }

    /**
     * The tensor for {@code key} if its entry is present and valid; empty when it is missing or
     * corrupt (a corrupt entry is counted in {@link Stats#corrupt()} and left for a writer to replace).
     *
     * @throws IllegalStateException if a valid entry of this key has another shape
     */
    public Optional<float[]> get(CacheKey key, TensorShape shape) throws IOException {
        Lookup l = lookup(key, shape);
        if (l.values() != null) {
            hits.incrementAndGet();
        } else if (l.corrupt()) {
            corrupt.incrementAndGet();
            l.misfiled().ifPresent(w -> warnings.accept(w + "; treated as a miss"));
        }
        return Optional.ofNullable(l.values());
    }

    /**
     * An entry's values, or null with whether a file was there but damaged or misfiled.
     *
     * @param misfiled when the file is a valid entry of another key: the warning that says so
     */
    private record Lookup(float[] values, boolean corrupt, Optional<String> misfiled) {
        static final Lookup ABSENT = new Lookup(null, false, Optional.empty());
        static final Lookup DAMAGED = new Lookup(null, true, Optional.empty());

        static Lookup of(float[] values) {
            return new Lookup(values, false, Optional.empty());
        }
    }

    private Lookup lookup(CacheKey key, TensorShape shape) throws IOException {
        Path entry = entryPath(key);
        FileChannel ch;
        try {
            ch = FileChannel.open(entry, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Lookup.ABSENT;
        }
        try (ch) {
            return read(ch, entry, key, shape);
        }
    }

    /**
     * Stores {@code values} (of {@code shape}) as {@code key}'s entry, replacing any existing one
     * atomically.
     */
    public void put(CacheKey key, TensorShape shape, float[] values) throws IOException {
        if (values.length != shape.elementCount()) {
            throw new IllegalArgumentException("tensor of shape " + shape + " needs " + shape.elementCount()
                    + " values, got " + values.length);
        }
        Path entry = entryPath(key);
        Path tmp = directory.resolve(entry.getFileName() + ".tmp-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                write(ch, key, shape, values);
            }
            try {
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(directory + " does not support atomic renames; the feature cache needs them", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Counters since this instance was created. */
    public Stats stats() {
        return new Stats(hits.get(), computed.get(), corrupt.get());
    }

    private static byte[] header(CacheKey key, TensorShape shape) {
        byte[] description = key.description().getBytes(StandardCharsets.UTF_8);
        ByteBuffer h = ByteBuffer.allocate(MAGIC.length + 4 + 4 + description.length + 4 + 4 * shape.rank() + 8)
                .order(ByteOrder.LITTLE_ENDIAN);
        h.put(MAGIC).putInt(VERSION).putInt(description.length).put(description).putInt(shape.rank());
        for (int i = 0; i < shape.rank(); i++) {
            h.putInt(shape.dim(i));
        }
        h.putLong(shape.elementCount());
        return h.array();
    }

    private static void write(FileChannel ch, CacheKey key, TensorShape shape, float[] values) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] header = header(key, shape);
        crc.update(header);
        writeFully(ch, ByteBuffer.wrap(header));
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < values.length; ) {
            int n = Math.min(CHUNK / 4, values.length - at);
            buf.clear();
            buf.asFloatBuffer().put(values, at, n);
            buf.limit(4 * n);
            crc.update(buf.array(), 0, 4 * n);
            writeFully(ch, buf);
            at += n;
        }
        writeFully(ch, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) crc.getValue()));
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads an entry: its values, or damaged if it is truncated, overlong or fails its checksum, or misfiled. */
    private static Lookup read(FileChannel ch, Path entry, CacheKey key, TensorShape shape) throws IOException {
        long size = ch.size();
        ByteBuffer fixed = ByteBuffer.allocate(MAGIC.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        if (!readFully(ch, fixed)) {
            return Lookup.DAMAGED;
        }
        byte[] magic = new byte[MAGIC.length];
        fixed.flip().get(magic);
        int version = fixed.getInt();
        int descLength = fixed.getInt();
        if (!Arrays.equals(magic, MAGIC) || version != VERSION || descLength < 0 || descLength > MAX_DESCRIPTION) {
            return Lookup.DAMAGED;
        }
        ByteBuffer rest = ByteBuffer.allocate(descLength + 4).order(ByteOrder.LITTLE_ENDIAN);
        if (!readFully(ch, rest)) {
            return Lookup.DAMAGED;
        }
        rest.flip();
        byte[] desc = new byte[descLength];
        rest.get(desc);
        int rank = rest.getInt();
        if (rank < 1 || rank > MAX_RANK) {
            return Lookup.DAMAGED;
        }
        ByteBuffer dimsBuf = ByteBuffer.allocate(4 * rank + 8).order(ByteOrder.LITTLE_ENDIAN);
        if (!readFully(ch, dimsBuf)) {
            return Lookup.DAMAGED;
        }
        dimsBuf.flip();
        int[] dims = new int[rank];
        long product = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = dimsBuf.getInt();
            product *= dims[i]; // stays below 2^62: both factors are below 2^31 until the check fails
            if (dims[i] < 1 || product > TensorShape.MAX_ELEMENTS) {
                return Lookup.DAMAGED;
            }
        }
        long count = dimsBuf.getLong();
        long headerBytes = MAGIC.length + 8 + descLength + 4 + 4L * rank + 8;
        if (count != product || count > TensorShape.MAX_ELEMENTS || size != headerBytes + 4 * count + 4) {
            return Lookup.DAMAGED; // truncated, overlong, or a damaged header
        }
        CRC32C crc = new CRC32C();
        crc.update(fixed.flip());
        crc.update(rest.flip());
        crc.update(dimsBuf.flip());
        float[] values = new float[(int) count];
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < values.length; ) {
            int n = Math.min(CHUNK / 4, values.length - at);
            buf.clear().limit(4 * n);
            if (!readFully(ch, buf)) {
                return Lookup.DAMAGED;
            }
            crc.update(buf.array(), 0, 4 * n);
            buf.flip();
            buf.asFloatBuffer().get(values, at, n);
            at += n;
        }
        ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        if (!readFully(ch, trailer) || trailer.getInt(0) != (int) crc.getValue()) {
            return Lookup.DAMAGED;
        }
        // Only now, with the checksum good, is a mismatch a real mismatch rather than damage.
        String description = new String(desc, StandardCharsets.UTF_8);
        if (!description.equals(key.description())) {
            return new Lookup(null, true, Optional.of("feature cache entry " + entry
                    + " holds another key's tensor (its header names another key)"));
        }
        TensorShape stored = TensorShape.of(dims);
        if (!stored.equals(shape)) {
            throw new IllegalStateException(entry + " holds a tensor of shape " + stored + " but " + shape
                    + " was asked for: the cache key must name every input that determines the tensor");
        }
        return Lookup.of(values);
    }

    private static boolean readFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                return false;
            }
        }
        return true;
    }
}
