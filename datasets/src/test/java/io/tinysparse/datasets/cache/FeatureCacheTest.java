package io.tinysparse.datasets.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static CacheKey key(String cut) {
        return CacheKey.builder("frozen-prefix-features/v1").put("backbone", "sha256:abc").put("cut", cut)
                .put("split", "mnist/train").put("resolution", 32).build();
    }

    /** A deterministic tensor: element i of the tensor for {@code seed}. */
    private static float value(int seed, int i) {
        return (float) Math.sin(seed * 1000.0 + i);
    }

    private static FeatureCache.FeatureComputation fill(int seed, AtomicInteger calls) {
        return out -> {
            calls.incrementAndGet();
            for (int i = 0; i < out.length; i++) {
                out[i] = value(seed, i);
            }
        };
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
        }
    }

    @Test
    void computesOnceThenEveryInstanceReadsTheSameValues() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        TensorShape shape = TensorShape.of(3, 4, 5);
        FeatureCache cache = new FeatureCache(dir);

        float[] first = cache.getOrCompute(key("6"), shape, fill(1, calls));
        float[] second = cache.getOrCompute(key("6"), shape, fill(1, calls));
        float[] other = new FeatureCache(dir).getOrCompute(key("6"), shape, fill(1, calls));

        assertEquals(1, calls.get());
        assertEquals(60, first.length);
        assertArrayEquals(first, second);
        assertArrayEquals(first, other);
        assertEquals(value(1, 59), other[59]);
        assertEquals(new FeatureCache.Stats(1, 1, 0), cache.stats());
        assertTrue(Files.isRegularFile(cache.entryPath(key("6"))));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void storesEveryFloatBitForBitAcrossSeveralIoChunks() throws IOException {
        FeatureCache cache = new FeatureCache(dir);
        int n = 700_000; // 2.8 MB of payload: three 1 MiB chunks
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = Float.intBitsToFloat(i * 0x9E3779B1); // every kind of bit pattern, NaNs included
        }
        values[0] = -0.0f;
        values[1] = Float.MIN_VALUE;

        cache.put(key("big"), TensorShape.of(n), values);
        float[] back = cache.get(key("big"), TensorShape.of(n)).orElseThrow();

        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[i]), "element " + i);
        }
    }

    @Test
    void differentKeysAreDifferentEntries() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        FeatureCache cache = new FeatureCache(dir);

        float[] a = cache.getOrCompute(key("5"), TensorShape.of(4), fill(5, calls));
        float[] b = cache.getOrCompute(key("6"), TensorShape.of(4), fill(6, calls));

        assertEquals(2, calls.get());
        assertFalse(java.util.Arrays.equals(a, b));
    }

    private void damageAndExpectRecompute(IoAction damage) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        TensorShape shape = TensorShape.of(10, 10);
        FeatureCache cache = new FeatureCache(dir);
        float[] good = cache.getOrCompute(key("6"), shape, fill(2, calls));
        Path entry = cache.entryPath(key("6"));

        damage.run(entry);

        assertEquals(Optional.empty(), cache.get(key("6"), shape), "damaged entry must read as absent");
        float[] again = cache.getOrCompute(key("6"), shape, fill(2, calls));
        assertEquals(2, calls.get(), "damaged entry must be recomputed");
        assertArrayEquals(good, again);
        assertTrue(cache.get(key("6"), shape).isPresent(), "recomputed entry replaces the damaged one");
        assertEquals(2, cache.stats().corrupt(), "once by get, once by getOrCompute");
    }

    @FunctionalInterface
    private interface IoAction {
        void run(Path entry) throws IOException;
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    @Test
    void truncatedEntryIsDetectedAndRecomputed() throws IOException {
        damageAndExpectRecompute(e -> {
            try (RandomAccessFile f = new RandomAccessFile(e.toFile(), "rw")) {
                f.setLength(f.length() - 9);
            }
        });
    }

    @Test
    void emptyEntryIsDetectedAndRecomputed() throws IOException {
        damageAndExpectRecompute(e -> Files.write(e, new byte[0]));
    }

    @Test
    void flippedPayloadBitIsDetectedByTheChecksum() throws IOException {
        damageAndExpectRecompute(e -> flipByte(e, Files.size(e) - 50));
    }

    @Test
    void flippedShapeBitIsDetected() throws IOException {
        // The dims follow magic, version, description length, description and rank.
        damageAndExpectRecompute(e -> flipByte(e, 8 + 4 + 4 + key("6").description().length() + 4));
    }

    @Test
    void trailingBytesAreDetected() throws IOException {
        damageAndExpectRecompute(e -> Files.write(e, new byte[] {1, 2, 3, 4},
                java.nio.file.StandardOpenOption.APPEND));
    }

    @Test
    void aValidEntryStoredUnderAnotherKeysNameIsAMissRewrittenWithAOneLineWarning() throws IOException {
        List<String> warnings = new ArrayList<>();
        FeatureCache cache = new FeatureCache(dir, warnings::add);
        cache.put(key("5"), TensorShape.of(2, 3), new float[6]);
        Files.copy(cache.entryPath(key("5")), cache.entryPath(key("6")), StandardCopyOption.REPLACE_EXISTING);
        AtomicInteger calls = new AtomicInteger();

        float[] v = cache.getOrCompute(key("6"), TensorShape.of(4), fill(6, calls));

        assertEquals(1, calls.get(), "recomputed");
        assertEquals(value(6, 3), v[3]);
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("feature cache entry " + cache.entryPath(key("6")) + " holds another key's tensor (its header"
                + " names another key); treated as a miss and rewritten", warnings.get(0));
        // Rewritten under its own key: read back by anyone, with no warning; the other key's entry untouched.
        FeatureCache again = new FeatureCache(dir, warnings::add);
        assertArrayEquals(v, again.get(key("6"), TensorShape.of(4)).orElseThrow());
        assertEquals(6, again.get(key("5"), TensorShape.of(2, 3)).orElseThrow().length);
        assertEquals(1, warnings.size());
    }

    @Test
    void getReportsAMisfiledEntryAsAbsentWithAWarning() throws IOException {
        List<String> warnings = new ArrayList<>();
        FeatureCache cache = new FeatureCache(dir, warnings::add);
        cache.put(key("5"), TensorShape.of(4), new float[4]);
        Files.copy(cache.entryPath(key("5")), cache.entryPath(key("6")));

        assertTrue(cache.get(key("6"), TensorShape.of(4)).isEmpty());
        assertEquals(1, cache.stats().corrupt());
        assertTrue(warnings.get(0).endsWith("holds another key's tensor (its header names another key); treated as"
                + " a miss"), warnings.toString());
    }

    @Test
    void aValidEntryOfAnotherShapeIsACallerBug() throws IOException {
        FeatureCache cache = new FeatureCache(dir);
        cache.put(key("6"), TensorShape.of(2, 3), new float[6]);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> cache.getOrCompute(key("6"), TensorShape.of(3, 2), out -> { }));
        assertTrue(e.getMessage().contains("shape [2, 3] but [3, 2] was asked for"), e.getMessage());
    }

    @Test
    void aFailedComputationLeavesNoEntryAndNoTemporaryFile() throws IOException {
        FeatureCache cache = new FeatureCache(dir);

        IOException e = assertThrows(IOException.class, () -> cache.getOrCompute(key("6"), TensorShape.of(4), out -> {
            throw new IOException("backbone exploded");
        }));

        assertEquals("backbone exploded", e.getMessage());
        assertFalse(Files.exists(cache.entryPath(key("6"))));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void twoThreadsAskingForTheSameMissingKeyComputeItOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch inCompute = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TensorShape shape = TensorShape.of(1000);
        FeatureCache.FeatureComputation slow = out -> {
            calls.incrementAndGet();
            inCompute.countDown();
            try {
                release.await(); // hold the computation while the second thread asks for the same key
            } catch (InterruptedException ex) {
                throw new IOException(ex);
            }
            fill(3, new AtomicInteger()).compute(out);
        };
        // Two instances on one directory, as two independent users in one JVM would have.
        Future<float[]> first = pool.submit(() -> new FeatureCache(dir).getOrCompute(key("6"), shape, slow));
        inCompute.await();
        CountDownLatch secondStarted = new CountDownLatch(1);
        Future<float[]> second = pool.submit(() -> {
            secondStarted.countDown();
            return new FeatureCache(dir).getOrCompute(key("6"), shape, slow);
        });
        secondStarted.await();
        release.countDown(); // the second thread now waits on the entry's lock or finds the entry written

        float[] a = first.get();
        float[] b = second.get();

        assertEquals(1, calls.get());
        assertArrayEquals(a, b);
        assertEquals(value(3, 999), b[999]);
    }

    @Test
    void concurrentWritersAndReadersNeverSeeAPartialEntry() throws Exception {
        // Writers replace the entry over and over (as separate processes would, without the JVM lock);
        // readers must always find either nothing or the complete tensor.
        TensorShape shape = TensorShape.of(300_000); // several IO chunks per write
        float[] expected = new float[shape.elementCount()];
        fill(4, new AtomicInteger()).compute(expected);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            tasks.add(() -> {
                FeatureCache c = new FeatureCache(dir);
                start.await();
                for (int i = 0; i < 15; i++) {
                    c.put(key("6"), shape, expected);
                }
                return 0;
            });
        }
        for (int r = 0; r < 2; r++) {
            tasks.add(() -> {
                FeatureCache c = new FeatureCache(dir);
                start.await();
                int seen = 0;
                for (int i = 0; i < 40; i++) {
                    Optional<float[]> got = c.get(key("6"), shape);
                    if (got.isPresent()) {
                        assertArrayEquals(expected, got.get());
                        seen++;
                    }
                    assertEquals(0, c.stats().corrupt(), "a reader saw a partial entry");
                }
                return seen;
            });
        }
        List<Future<Integer>> futures = new ArrayList<>();
        tasks.forEach(t -> futures.add(pool.submit(t)));
        start.countDown();
        for (Future<Integer> f : futures) {
            f.get();
        }

        assertArrayEquals(expected, new FeatureCache(dir).get(key("6"), shape).orElseThrow());
        assertTrue(leftovers().isEmpty());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "exactly one entry file");
        }
    }

    @Test
    void keyIsTheSha256OfASortedEscapedDescription() {
        CacheKey a = CacheKey.builder("k/v1").put("b", "2").put("a", "x\ny").build();
        CacheKey b = CacheKey.builder("k/v1").put("a", "x\ny").put("b", "2").build();

        assertEquals(a, b, "input order does not matter");
        assertEquals("tinysparse-cache-key:k/v1\na=x\\ny\nb=2\n", a.description());
        assertEquals(64, a.hex().length());
        // An escaped line break cannot forge another input: "x\nb=2" as a's value is not {a=x, b=2}.
        CacheKey forged = CacheKey.builder("k/v1").put("a", "x\nb=2").build();
        CacheKey real = CacheKey.builder("k/v1").put("a", "x").put("b", "2").build();
        assertFalse(forged.hex().equals(real.hex()));
    }

    @Test
    void keyHexIsStableAcrossVersions() {
        // Pins the canonical form: changing it silently orphans every cached entry.
        assertEquals("tinysparse-cache-key:frozen-prefix-features/v1\nbackbone=sha256:abc\ncut=6\n"
                + "resolution=32\nsplit=mnist/train\n", key("6").description());
        // SHA-256 of that description, as computed before the hash moved to core
        assertEquals("3e828743d45728851a4a2cfd937a8743f7f372f14695f812db2c49586d53edaf", key("6").hex());
    }

    @Test
    void keyRejectsBadNamesAndRepeats() {
        assertThrows(IllegalArgumentException.class, () -> CacheKey.builder("k").put("Upper", "1"));
        assertThrows(IllegalArgumentException.class, () -> CacheKey.builder("k").put("a", "1").put("a", "2"));
        assertThrows(IllegalArgumentException.class, () -> CacheKey.builder("k").build());
    }

    @Test
    void shapeValidatesAndComparesByValue() {
        assertEquals(TensorShape.of(2, 3), TensorShape.of(2, 3));
        assertEquals(6, TensorShape.of(2, 3).elementCount());
        assertThrows(IllegalArgumentException.class, () -> TensorShape.of(2, 0));
        assertThrows(IllegalArgumentException.class, () -> TensorShape.of(65536, 65536));
        int[] dims = {4, 5};
        TensorShape s = TensorShape.of(dims);
        dims[0] = 9;
        assertEquals(4, s.dim(0), "the shape keeps its own copy");
        assertSame(s.getClass(), TensorShape.class);
    }
}
