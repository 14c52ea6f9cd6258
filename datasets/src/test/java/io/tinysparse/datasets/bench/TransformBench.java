package io.tinysparse.datasets.bench;

import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.image.ImageShape;
import io.tinysparse.datasets.transform.ResizeMode;
import io.tinysparse.datasets.transform.TensorTransform;
import io.tinysparse.datasets.transform.TransformSpec;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One pass over an MNIST-sized training set (60,000 images of 28x28x1) into the model's input:
 * 32x32, grey to 3 channels, MNIST normalisation, in batches of 256 written into one reused
 * {@code float[]}. One operation is the whole pass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TransformBench {
    private static final int IMAGES = 60_000;
    private static final int BATCH = 256;

    @Param({"BILINEAR", "PAD"})
    ResizeMode mode;

    private ImageDataset mnist;
    private TensorTransform transform;
    private float[] batch;

    @Setup
    public void setUp() {
        ImageShape shape = new ImageShape(1, 28, 28);
        byte[] pixels = new byte[IMAGES * shape.pixels()];
        new SplittableRandom(1).nextBytes(pixels);
        short[] labels = new short[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = (short) (i % 10);
        }
        mnist = new ImageDataset("synthetic-mnist", shape, pixels, labels, 10, List.of());
        transform = TensorTransform.compile(shape, TransformSpec.unitScale(32, 32, mode, 3)
                .withNormalisation(TransformSpec.MNIST_MEAN, TransformSpec.MNIST_STD));
        batch = new float[BATCH * transform.floatsPerImage()];
    }

    @Benchmark
    public float wholeMnistTrainTo32x32x3() {
        for (int first = 0; first < IMAGES; first += BATCH) {
            transform.apply(mnist, first, Math.min(BATCH, IMAGES - first), batch, 0);
        }
        return batch[batch.length - 1];
    }
}
