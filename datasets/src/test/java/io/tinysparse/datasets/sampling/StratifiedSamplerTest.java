package io.tinysparse.datasets.sampling;

import static io.tinysparse.datasets.testing.Fixtures.dataset;
import static io.tinysparse.datasets.testing.Fixtures.labels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.image.ImageDataset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StratifiedSamplerTest {
    /** 1000 images: 600 of class 0, 300 of class 1, 100 of class 2. */
    private final ImageDataset imbalanced = dataset(3, 1, 1, labels(600, 300, 100));

    private static int[] histogram(ImageDataset ds, int[] indices) {
        int[] h = new int[ds.classCount()];
        for (int i : indices) {
            h[ds.label(i)]++;
        }
        return h;
    }

    private static void assertAscendingAndDistinct(int[] a) {
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] > a[i - 1], "not strictly ascending at " + i);
        }
    }

    @Test
    void sameSeedGivesTheSameIndices() {
        assertArrayEquals(StratifiedSampler.ofSize(imbalanced, 50, 7), StratifiedSampler.ofSize(imbalanced, 50, 7));
        assertArrayEquals(StratifiedSampler.perClass(imbalanced, 5, 7), StratifiedSampler.perClass(imbalanced, 5, 7));
    }

    @Test
    void differentSeedsGiveDifferentIndices() {
        assertFalse(Arrays.equals(StratifiedSampler.ofSize(imbalanced, 50, 7),
                StratifiedSampler.ofSize(imbalanced, 50, 8)));
    }

    @Test
    void aSeedSelectsTheSameIndicesForeverGoldenValues() {
        // Pins the algorithm: a change here silently changes every stored run's data subset.
        ImageDataset ds = dataset(2, 1, 1, labels(10, 10));
        assertArrayEquals(new int[] {2, 6, 7, 17}, StratifiedSampler.perClass(ds, 2, 42));
    }

    @Test
    void ofSizeKeepsEveryClassShare() {
        int[] idx = StratifiedSampler.ofSize(imbalanced, 100, 1);

        assertEquals(100, idx.length);
        assertArrayEquals(new int[] {60, 30, 10}, histogram(imbalanced, idx));
        assertAscendingAndDistinct(idx);
    }

    @Test
    void ofSizeRoundsByLargestRemainderToTheExactTotal() {
        // Shares 6.6, 3.3, 1.1 of 11 -> 7, 3, 1 (the 0.6 remainder wins the extra image).
        assertArrayEquals(new int[] {7, 3, 1}, histogram(imbalanced, StratifiedSampler.ofSize(imbalanced, 11, 1)));
        // Shares 0.6, 0.3, 0.1 of 1 -> class 0 alone.
        assertArrayEquals(new int[] {1, 0, 0}, histogram(imbalanced, StratifiedSampler.ofSize(imbalanced, 1, 1)));
        assertEquals(1000, StratifiedSampler.ofSize(imbalanced, 1000, 1).length);
    }

    @Test
    void perClassTakesExactlyKOfEachClass() {
        int[] idx = StratifiedSampler.perClass(imbalanced, 40, 3);

        assertArrayEquals(new int[] {40, 40, 40}, histogram(imbalanced, idx));
        assertAscendingAndDistinct(idx);
    }

    @Test
    void perClassSubsetsAreNestedForTheSameSeed() {
        Set<Integer> small = new HashSet<>();
        Arrays.stream(StratifiedSampler.perClass(imbalanced, 10, 5)).forEach(small::add);
        Set<Integer> large = new HashSet<>();
        Arrays.stream(StratifiedSampler.perClass(imbalanced, 20, 5)).forEach(large::add);

        assertTrue(large.containsAll(small));
    }

    @Test
    void aClassTooSmallForPerClassIsBadInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> StratifiedSampler.perClass(imbalanced, 101, 1));
        assertTrue(e.getMessage().contains("class 2 has 100 images, fewer than the 101 per class"), e.getMessage());
    }

    @Test
    void subsetSizeOutOfRangeIsBadInput() {
        assertThrows(InvalidInputException.class, () -> StratifiedSampler.ofSize(imbalanced, 0, 1));
        assertThrows(InvalidInputException.class, () -> StratifiedSampler.ofSize(imbalanced, 1001, 1));
    }

    @Test
    void splitIsDisjointCoversEverythingAndIsStratified() {
        SplitIndices s = StratifiedSampler.split(imbalanced, 0.7, 0.1, 0.2, 11);

        assertArrayEquals(new int[] {420, 210, 70}, histogram(imbalanced, s.train()));
        assertArrayEquals(new int[] {60, 30, 10}, histogram(imbalanced, s.validation()));
        assertArrayEquals(new int[] {120, 60, 20}, histogram(imbalanced, s.test()));
        Set<Integer> all = new HashSet<>();
        for (int[] part : new int[][] {s.train(), s.validation(), s.test()}) {
            assertAscendingAndDistinct(part);
            Arrays.stream(part).forEach(i -> assertTrue(all.add(i), "index " + i + " in two parts"));
        }
        assertEquals(1000, all.size());
    }

    @Test
    void splitIsDeterministicForASeed() {
        SplitIndices a = StratifiedSampler.split(imbalanced, 0.8, 0.2, 0.0, 3);
        SplitIndices b = StratifiedSampler.split(imbalanced, 0.8, 0.2, 0.0, 3);
        SplitIndices c = StratifiedSampler.split(imbalanced, 0.8, 0.2, 0.0, 4);

        assertArrayEquals(a.train(), b.train());
        assertArrayEquals(a.validation(), b.validation());
        assertEquals(0, a.test().length);
        assertFalse(Arrays.equals(a.train(), c.train()));
    }

    @Test
    void splitFractionsMustAddUpToOne() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> StratifiedSampler.split(imbalanced, 0.7, 0.2, 0.2, 1));
        assertTrue(e.getMessage().contains("must add up to 1"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> StratifiedSampler.split(imbalanced, -0.1, 0.6, 0.5, 1));
        assertThrows(InvalidInputException.class, () -> StratifiedSampler.split(imbalanced, Double.NaN, 0.5, 0.5, 1));
    }

    @Test
    void disjointSubsetsAreStratifiedDisjointAndStartWithOfSize() {
        int[][] parts = StratifiedSampler.disjoint(imbalanced, new int[] {100, 50}, 9);

        assertArrayEquals(StratifiedSampler.ofSize(imbalanced, 100, 9), parts[0]);
        assertArrayEquals(new int[] {60, 30, 10}, histogram(imbalanced, parts[0]));
        assertArrayEquals(new int[] {30, 15, 5}, histogram(imbalanced, parts[1]));
        Set<Integer> seen = new HashSet<>();
        for (int[] part : parts) {
            assertAscendingAndDistinct(part);
            Arrays.stream(part).forEach(i -> assertTrue(seen.add(i), "index " + i + " in two parts"));
        }
    }

    @Test
    void disjointSubsetsNeverTakeMoreOfAClassThanItHas() {
        // Class 2 has 1 image; both parts would round it up to 1 if nothing capped them.
        ImageDataset ds = dataset(3, 1, 1, labels(5, 4, 1));

        int[][] parts = StratifiedSampler.disjoint(ds, new int[] {5, 5}, 2);

        assertEquals(5, parts[0].length);
        assertEquals(5, parts[1].length);
        int[] both = histogram(ds, parts[0]);
        int[] second = histogram(ds, parts[1]);
        for (int c = 0; c < 3; c++) {
            both[c] += second[c];
        }
        assertArrayEquals(new int[] {5, 4, 1}, both);
    }

    @Test
    void disjointSubsetsMustFitTheDataset() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> StratifiedSampler.disjoint(imbalanced, new int[] {900, 101}, 1));
        assertTrue(e.getMessage().contains("[900, 101] (1001 images) do not fit in the 1000 images"), e.getMessage());
    }
}
