package io.tinysparse.datasets.bench;

import io.tinysparse.datasets.cache.CacheKey;
import io.tinysparse.datasets.cache.FeatureCache;
import io.tinysparse.datasets.cache.TensorShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing and reading one 40 MB cache entry: the frozen-prefix features of 10,000 samples of
 * 16x8x8 floats (10,240,000 values). Reads come from the page cache after the first, so they
 * measure the format's own cost (checksum, byte order, copying), not the disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FeatureCacheBench {
    private static final TensorShape SHAPE = TensorShape.of(10_000, 16, 8, 8);
    private static final CacheKey KEY = CacheKey.builder("bench").put("entry", 1).build();

    private Path dir;
    private FeatureCache cache;
    private float[] values;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("feature-cache-bench");
        cache = new FeatureCache(dir);
        values = new float[SHAPE.elementCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i);
        }
        cache.put(KEY, SHAPE, values);
    }

    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public float read40MegabyteEntry() throws IOException {
        return cache.get(KEY, SHAPE).orElseThrow()[12345];
    }

    @Benchmark
    public Path write40MegabyteEntry() throws IOException {
        cache.put(KEY, SHAPE, values);
        return dir;
    }
}
