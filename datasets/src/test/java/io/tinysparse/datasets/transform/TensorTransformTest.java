package io.tinysparse.datasets.transform;

import static io.tinysparse.datasets.testing.Fixtures.assertFloats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.image.ImageShape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTransformTest {
    private static final float EPS = 1e-5f;

    /** One image per row of {@code images}, each {@code c x h x w} values in CHW order. */
    private static ImageDataset images(int c, int h, int w, int[]... images) {
        byte[] pixels = new byte[images.length * c * h * w];
        for (int i = 0; i < images.length; i++) {
            for (int p = 0; p < images[i].length; p++) {
                pixels[i * c * h * w + p] = (byte) images[i][p];
            }
        }
        return new ImageDataset("t", new ImageShape(c, h, w), pixels, new short[images.length], 1, List.of());
    }

    private static float[] run(ImageDataset ds, TransformSpec spec) {
        TensorTransform t = TensorTransform.compile(ds.shape(), spec);
        float[] out = new float[ds.size() * t.floatsPerImage()];
        t.apply(ds, 0, ds.size(), out, 0);
        return out;
    }

    /** {@code values / 255}: what unit-scale normalisation gives for these pixel values. */
    private static float[] unit(double... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) (values[i] / 255.0);
        }
        return f;
    }

    @Test
    void bilinearUpscaleUsesHalfPixelCentresAndClampsEdges() {
        ImageDataset ds = images(1, 2, 2, new int[] {0, 4, 8, 12});

        float[] out = run(ds, TransformSpec.unitScale(4, 4, ResizeMode.BILINEAR, 1));

        assertFloats(unit(
                0, 1, 3, 4,
                2, 3, 5, 6,
                6, 7, 9, 10,
                8, 9, 11, 12), out, EPS);
    }

    @Test
    void bilinearHalvingAveragesTwoByTwoBlocks() {
        int[] img = new int[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                img[y * 4 + x] = 10 * y + x;
            }
        }

        float[] out = run(images(1, 4, 4, img), TransformSpec.unitScale(2, 2, ResizeMode.BILINEAR, 1));

        assertFloats(unit(5.5, 7.5, 25.5, 27.5), out, EPS);
    }

    @Test
    void bilinearReproducesALinearRampAtAnyScale() {
        // For p = 9x, the half-pixel-centre bilinear value at output column x is 9 * clamp((x + 0.5) * in/out - 0.5).
        int in = 28;
        int[] img = new int[in * in];
        for (int p = 0; p < img.length; p++) {
            img[p] = 9 * (p % in);
        }
        for (int outSize : new int[] {32, 20, 28, 57}) {
            float[] out = run(images(1, in, in, img), TransformSpec.unitScale(outSize, outSize, ResizeMode.BILINEAR, 1));
            for (int y = 0; y < outSize; y += 3) {
                for (int x = 0; x < outSize; x++) {
                    double src = Math.min(in - 1, Math.max(0, (x + 0.5) * in / outSize - 0.5));
                    assertEquals(9 * src / 255.0, out[y * outSize + x], 1e-5, "size " + outSize + " x " + x);
                }
            }
        }
    }

    @Test
    void bilinearToTheSameSizeIsTheIdentity() {
        int[] img = {1, 2, 3, 4, 5, 6};
        assertFloats(unit(1, 2, 3, 4, 5, 6), run(images(1, 2, 3, img),
                TransformSpec.unitScale(2, 3, ResizeMode.BILINEAR, 1)), EPS);
    }

    @Test
    void padCentresTheImageOnZeros() {
        float[] out = run(images(1, 2, 2, new int[] {10, 20, 30, 40}), TransformSpec.unitScale(4, 4, ResizeMode.PAD, 1));

        assertFloats(unit(
                0, 0, 0, 0,
                0, 10, 20, 0,
                0, 30, 40, 0,
                0, 0, 0, 0), out, EPS);
    }

    @Test
    void padWithAnOddDifferencePutsTheExtraPixelBottomRight() {
        float[] out = run(images(1, 2, 2, new int[] {10, 20, 30, 40}), TransformSpec.unitScale(3, 3, ResizeMode.PAD, 1));

        assertFloats(unit(
                10, 20, 0,
                30, 40, 0,
                0, 0, 0), out, EPS);
    }

    @Test
    void normalisationIsPerChannelMeanAndStdOnTheUnitScale() {
        TransformSpec spec = TransformSpec.unitScale(3, 3, ResizeMode.PAD, 1).withNormalisation(0.5, 0.25);

        float[] out = run(images(1, 1, 1, new int[] {255}), spec);

        // Padding is pixel 0 -> (0 - 0.5) / 0.25 = -2; the pixel 255 -> (1 - 0.5) / 0.25 = 2.
        assertFloats(new float[] {-2, -2, -2, -2, 2, -2, -2, -2, -2}, out, EPS);
    }

    @Test
    void greyBecomesThreeChannelsEachWithItsOwnNormalisation() {
        TransformSpec spec = new TransformSpec(1, 2, ResizeMode.NONE, 3, new double[] {0.1, 0.2, 0.3},
                new double[] {1, 2, 4});

        float[] out = run(images(1, 1, 2, new int[] {51, 255}), spec);

        float a = 51f / 255f;
        assertFloats(new float[] {
            (a - 0.1f) / 1, (1 - 0.1f) / 1,
            (a - 0.2f) / 2, (1 - 0.2f) / 2,
            (a - 0.3f) / 4, (1 - 0.3f) / 4}, out, EPS);
    }

    @Test
    void colourChannelsStaySeparate() {
        int[] rgb = {1, 2, 3, 4, 101, 102, 103, 104, 201, 202, 203, 204};

        float[] out = run(images(3, 2, 2, rgb), TransformSpec.unitScale(2, 2, ResizeMode.NONE, 3));

        assertFloats(unit(1, 2, 3, 4, 101, 102, 103, 104, 201, 202, 203, 204), out, EPS);
    }

    @Test
    void batchesWriteAtTheOffsetInIndexOrderAndTouchNothingElse() {
        ImageDataset ds = images(1, 1, 2, new int[] {1, 2}, new int[] {3, 4}, new int[] {5, 6});
        TensorTransform t = TensorTransform.compile(ds.shape(), TransformSpec.unitScale(1, 2, ResizeMode.NONE, 1));
        float[] out = new float[8];
        Arrays.fill(out, -9f);

        t.apply(ds, new int[] {0, 2, 1}, 1, 2, out, 3);

        float[] u = unit(5, 6, 3, 4);
        assertFloats(new float[] {-9, -9, -9, u[0], u[1], u[2], u[3], -9}, out, EPS);
    }

    @Test
    void aBatchThatDoesNotFitTheOutputArrayFailsBeforeWriting() {
        ImageDataset ds = images(1, 1, 1, new int[] {1}, new int[] {2});
        TensorTransform t = TensorTransform.compile(ds.shape(), TransformSpec.unitScale(2, 2, ResizeMode.PAD, 1));
        float[] out = new float[7];

        assertThrows(IndexOutOfBoundsException.class, () -> t.apply(ds, 0, 2, out, 0));
        assertFloats(new float[7], out, EPS);
    }

    @Test
    void impossibleTransformsAreBadInput() {
        ImageShape rgb = new ImageShape(3, 4, 4);
        assertMessage(() -> TensorTransform.compile(rgb, TransformSpec.unitScale(4, 4, ResizeMode.NONE, 1)),
                "cannot turn 3-channel images into 1 channels");
        assertMessage(() -> TensorTransform.compile(rgb, TransformSpec.unitScale(3, 3, ResizeMode.PAD, 3)),
                "cannot pad 4x4 images to the smaller size 3x3");
        assertMessage(() -> TensorTransform.compile(rgb, TransformSpec.unitScale(8, 8, ResizeMode.NONE, 3)),
                "resize NONE needs the target size to equal the image size 4x4, got 8x8");
        TensorTransform t = TensorTransform.compile(rgb, TransformSpec.unitScale(4, 4, ResizeMode.NONE, 3));
        assertMessage(() -> t.apply(images(1, 4, 4, new int[16]), 0, 1, new float[48], 0),
                "but the transform was compiled for 4x4, 3 channels");
    }

    @Test
    void specValidatesItsFields() {
        assertMessage(() -> new TransformSpec(32, 32, ResizeMode.PAD, 3, new double[] {0, 0}, new double[] {1, 1, 1}),
                "mean needs one value per output channel (3), got 2");
        assertMessage(() -> new TransformSpec(32, 32, ResizeMode.PAD, 1, new double[] {0}, new double[] {0}),
                "std of channel 0 must be positive, got 0.0");
        assertMessage(() -> TransformSpec.unitScale(0, 32, ResizeMode.PAD, 1), "got 0x32");
    }

    @Test
    void specHasAStableCanonicalFormAndValueEquality() {
        TransformSpec a = TransformSpec.unitScale(32, 32, ResizeMode.BILINEAR, 3)
                .withNormalisation(TransformSpec.MNIST_MEAN, TransformSpec.MNIST_STD);
        TransformSpec b = new TransformSpec(32, 32, ResizeMode.BILINEAR, 3, new double[] {0.1307, 0.1307, 0.1307},
                new double[] {0.3081, 0.3081, 0.3081});

        assertEquals("resize=BILINEAR;size=32x32;channels=3;mean=0.1307,0.1307,0.1307;std=0.3081,0.3081,0.3081",
                a.canonical());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, a.withNormalisation(0.5, 0.5));
        double[] mean = a.mean();
        mean[0] = 7;
        assertEquals(0.1307, a.mean()[0], "mean() hands out a copy");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable body, String fragment) {
        InvalidInputException e = assertThrows(InvalidInputException.class, body);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
