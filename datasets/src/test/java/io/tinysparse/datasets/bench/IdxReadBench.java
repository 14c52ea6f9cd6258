package io.tinysparse.datasets.bench;

import io.tinysparse.datasets.format.DataFiles;
import io.tinysparse.datasets.format.IdxReader;
import io.tinysparse.datasets.image.ImageDataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading an MNIST-sized IDX pair (60,000 images of 28x28, 47 MB raw) through Hadoop's local
 * file system, raw and gzip-compressed, from the page cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IdxReadBench {
    private static final int IMAGES = 60_000;

    @Param({"false", "true"})
    boolean gzip;

    private Path dir;
    private org.apache.hadoop.fs.Path images;
    private org.apache.hadoop.fs.Path labels;
    private IdxReader reader;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("idx-bench");
        ByteBuffer im = ByteBuffer.allocate(16 + IMAGES * 784).putInt(0x803).putInt(IMAGES).putInt(28).putInt(28);
        byte[] pixels = new byte[IMAGES * 784];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : 0); // MNIST-like: mostly background
        }
        im.put(pixels);
        ByteBuffer lab = ByteBuffer.allocate(8 + IMAGES).putInt(0x801).putInt(IMAGES);
        for (int i = 0; i < IMAGES; i++) {
            lab.put((byte) (i % 10));
        }
        images = DataFiles.path(Files.write(dir.resolve("images"), encode(im.array())));
        labels = DataFiles.path(Files.write(dir.resolve("labels"), encode(lab.array())));
        reader = new IdxReader(DataFiles.defaults());
    }

    private byte[] encode(byte[] raw) throws IOException {
        if (!gzip) {
            return raw;
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.delete(dir.resolve("images"));
        Files.delete(dir.resolve("labels"));
        Files.delete(dir);
    }

    @Benchmark
    public ImageDataset readMnistSizedPair() throws IOException {
        return reader.read(images, labels, "bench", List.of());
    }
}
