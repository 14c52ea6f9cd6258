package io.tinysparse.datasets.image;

import static io.tinysparse.datasets.testing.Fixtures.PATTERN;
import static io.tinysparse.datasets.testing.Fixtures.dataset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {
    @Test
    void rejectsPixelsThatDoNotMatchTheImageCount() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new ImageDataset("d",
                new ImageShape(1, 2, 2), new byte[7], new short[2], 2, List.of()));
        assertTrue(e.getMessage().contains("7 pixel bytes do not hold 2 images"), e.getMessage());
    }

    @Test
    void rejectsLabelsOutsideTheClasses() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new ImageDataset("d",
                new ImageShape(1, 1, 1), new byte[2], new short[] {0, 3}, 3, List.of()));
        assertTrue(e.getMessage().contains("label 3 of image 1 is outside 0..2"), e.getMessage());
    }

    @Test
    void rejectsAWrongNumberOfClassNames() {
        assertThrows(InvalidInputException.class, () -> new ImageDataset("d", new ImageShape(1, 1, 1), new byte[1],
                new short[] {0}, 2, List.of("only one")));
    }

    @Test
    void rejectsNonPositiveShapes() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new ImageShape(1, 0, 5));
        assertTrue(e.getMessage().contains("height must be at least 1, got 0"), e.getMessage());
    }

    @Test
    void subsetCopiesTheChosenImagesInTheGivenOrder() {
        ImageDataset ds = dataset(3, 2, 2, 0, 1, 2, 0, 1);

        ImageDataset sub = ds.subset(new int[] {4, 0, 4}, "sub");

        assertEquals(3, sub.size());
        assertEquals(3, sub.classCount());
        assertArrayEquals(new int[] {1, 2, 0}, sub.classHistogram());
        assertEquals(ds.pixel(4, 0, 1, 1), sub.pixel(0, 0, 1, 1));
        assertEquals(ds.pixel(0, 0, 0, 1), sub.pixel(1, 0, 0, 1));
        assertThrows(InvalidInputException.class, () -> ds.subset(new int[] {5}, "bad"));
    }

    @Test
    void readImageCopiesOneChwImage() {
        ImageDataset ds = dataset(2, 2, 3, 0, 1);
        byte[] dst = new byte[8];

        ds.readImage(1, dst, 2);

        for (int p = 0; p < 6; p++) {
            assertEquals(PATTERN.value(1, 0, p / 3, p % 3), dst[2 + p] & 0xFF);
        }
    }

    @Test
    void indicesByClassListEveryImageOnceAscending() {
        ImageDataset ds = dataset(3, 1, 1, 2, 0, 2, 1, 0);

        int[][] byClass = ds.indicesByClass();

        assertArrayEquals(new int[] {1, 4}, byClass[0]);
        assertArrayEquals(new int[] {3}, byClass[1]);
        assertArrayEquals(new int[] {0, 2}, byClass[2]);
    }

    @Test
    void concatJoinsInOrderAndRejectsOtherShapes() {
        ImageDataset a = dataset(2, 2, 2, 0, 1);
        ImageDataset b = dataset(2, 2, 2, 1);

        ImageDataset ab = ImageDataset.concat("ab", List.of(a, b));

        assertEquals(3, ab.size());
        assertEquals(1, ab.label(2));
        assertEquals(b.pixel(0, 0, 1, 0), ab.pixel(2, 0, 1, 0));
        assertThrows(InvalidInputException.class, () -> ImageDataset.concat("x", List.of(a, dataset(2, 3, 3, 0))));
    }

    @Test
    void channelStatisticsAreOnTheUnitScale() {
        // Two 1x2 images: pixels 0, 255, 255, 255 -> mean 0.75, std sqrt(0.75 * 0.25).
        ImageDataset ds = new ImageDataset("d", new ImageShape(1, 1, 2), new byte[] {0, (byte) 255, (byte) 255,
            (byte) 255}, new short[] {0, 0}, 1, List.of());

        double[][] s = ds.channelStatistics();

        assertEquals(0.75, s[0][0], 1e-12);
        assertEquals(Math.sqrt(0.75 * 0.25), s[1][0], 1e-12);
    }

    @Test
    void copyLabelsFollowsTheIndices() {
        ImageDataset ds = dataset(3, 1, 1, 2, 0, 1);
        int[] out = new int[4];

        ds.copyLabels(new int[] {2, 0, 1}, 1, 2, out, 1);

        assertArrayEquals(new int[] {0, 2, 0, 0}, out);
    }

    @Test
    void datasetWithoutCoarseLabelsSaysSo() {
        ImageDataset ds = dataset(2, 1, 1, 0);
        InvalidInputException e = assertThrows(InvalidInputException.class, ds::withCoarseLabels);
        assertTrue(e.getMessage().contains("has no coarse labels"));
    }
}
