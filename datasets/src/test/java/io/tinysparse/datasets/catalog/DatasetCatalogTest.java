package io.tinysparse.datasets.catalog;

import static io.tinysparse.datasets.testing.Fixtures.PATTERN;
import static io.tinysparse.datasets.testing.Fixtures.assertBadInput;
import static io.tinysparse.datasets.testing.Fixtures.cifarBatch;
import static io.tinysparse.datasets.testing.Fixtures.gzip;
import static io.tinysparse.datasets.testing.Fixtures.idxImages;
import static io.tinysparse.datasets.testing.Fixtures.idxLabels;
import static io.tinysparse.datasets.testing.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.format.CifarVariant;
import io.tinysparse.datasets.format.DataFiles;
import io.tinysparse.datasets.format.DataFormat;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.image.ImageShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCatalogTest {
    @TempDir
    Path data;

    private DatasetCatalog catalog() {
        return new DatasetCatalog(DataFiles.path(data), DataFiles.defaults());
    }

    /** A tiny IDX dataset "toy" installed in the temp data directory, with its descriptor. */
    private DatasetDescriptor installToy() throws IOException {
        Path d = Files.createDirectories(data.resolve("toy"));
        byte[] trainImages = gzip(idxImages(4, 2, 3, PATTERN));
        byte[] trainLabels = idxLabels(0, 1, 1, 0);
        byte[] testImages = idxImages(2, 2, 3, PATTERN);
        byte[] testLabels = idxLabels(1, 0);
        write(d, "tr-i", trainImages);
        write(d, "tr-l", trainLabels);
        write(d, "te-i", testImages);
        write(d, "te-l", testLabels);
        return new DatasetDescriptor("toy", "toy", DataFormat.IDX, List.of(
                new ExpectedFile("tr-i", Split.TRAIN, ExpectedFile.Role.IMAGES, trainImages.length, null),
                new ExpectedFile("tr-l", Split.TRAIN, ExpectedFile.Role.LABELS, trainLabels.length, null),
                new ExpectedFile("te-i", Split.TEST, ExpectedFile.Role.IMAGES, testImages.length, null),
                new ExpectedFile("te-l", Split.TEST, ExpectedFile.Role.LABELS, testLabels.length, null)),
                List.of("even", "odd"), List.of(), "test");
    }

    @Test
    void readsEachSplitOfAnIdxDatasetWithItsClassNames() throws IOException {
        DatasetDescriptor toy = installToy();

        ImageDataset train = catalog().read(toy, Split.TRAIN);
        ImageDataset test = catalog().read(toy, Split.TEST);

        assertEquals("toy/train", train.name());
        assertEquals(4, train.size());
        assertEquals(new ImageShape(1, 2, 3), train.shape());
        assertEquals("odd", train.className(1));
        assertArrayEquals(new int[] {1, 1}, test.classHistogram());
    }

    @Test
    void readsCifarBatchesInTheirOrder() throws IOException {
        Path d = Files.createDirectories(data.resolve("c10"));
        byte[] b1 = cifarBatch(CifarVariant.CIFAR10, new int[] {1, 2}, null, PATTERN);
        byte[] b2 = cifarBatch(CifarVariant.CIFAR10, new int[] {9}, null, PATTERN);
        byte[] t = cifarBatch(CifarVariant.CIFAR10, new int[] {0}, null, PATTERN);
        write(d, "b1.bin", b1);
        write(d, "b2.bin", b2);
        write(d, "t.bin", t);
        DatasetDescriptor c10 = new DatasetDescriptor("c10", "c10", DataFormat.CIFAR10, List.of(
                new ExpectedFile("b1.bin", Split.TRAIN, ExpectedFile.Role.BATCH, b1.length, null),
                new ExpectedFile("b2.bin", Split.TRAIN, ExpectedFile.Role.BATCH, b2.length, null),
                new ExpectedFile("t.bin", Split.TEST, ExpectedFile.Role.BATCH, t.length, null)),
                KnownDatasets.CIFAR10.classNames(), List.of(), "test");

        ImageDataset train = catalog().read(c10, Split.TRAIN);

        assertEquals(3, train.size());
        assertEquals(9, train.label(2));
        assertEquals("truck", train.className(9));
    }

    @Test
    void aMissingFileSaysTheDatasetIsNotInstalledAndHowToFetchIt() throws IOException {
        DatasetDescriptor toy = installToy();
        Files.delete(data.resolve("toy/te-l"));

        assertBadInput(() -> catalog().read(toy, Split.TEST), data.resolve("toy/te-l"), "toy/test is not installed");
        assertBadInput(() -> catalog().read(KnownDatasets.MNIST, Split.TRAIN), "train-images-idx3-ubyte",
                "mnist/train is not installed", "run 'tinysparse datasets fetch mnist'");
    }

    @Test
    void aFileOfTheWrongLengthIsRejectedBeforeReading() throws IOException {
        DatasetDescriptor toy = installToy();
        Files.write(data.resolve("toy/tr-l"), idxLabels(0, 1, 1, 0, 1));

        assertBadInput(() -> catalog().read(toy, Split.TRAIN), data.resolve("toy/tr-l"), "13 bytes", "has 12");
    }

    @Test
    void cifarDatasetsSayWhereToPutTheirFiles() {
        assertBadInput(() -> catalog().read(KnownDatasets.CIFAR100, Split.TEST), data.resolve("cifar100"),
                "put train.bin, test.bin");
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> DatasetCatalog.describe("svhn"));
        assertEquals("unknown dataset 'svhn', known: mnist, fashion-mnist, cifar10, cifar100", e.getMessage());
        assertThrows(InvalidInputException.class, () -> Split.parse("validation"));
    }

    @Test
    void knownDatasetsHaveTheirClassCounts() {
        assertEquals(10, KnownDatasets.MNIST.classNames().size());
        assertEquals(10, KnownDatasets.FASHION_MNIST.classNames().size());
        assertEquals(100, KnownDatasets.CIFAR100.classNames().size());
        assertEquals(20, KnownDatasets.CIFAR100.coarseClassNames().size());
        assertEquals(100, KnownDatasets.CIFAR100.classNames().stream().distinct().count());
        assertEquals(6, KnownDatasets.CIFAR10.files().size());
    }

    @Test
    void descriptorsRejectIncompleteSplitsAndWrongClassCounts() {
        ExpectedFile images = new ExpectedFile("i", Split.TRAIN, ExpectedFile.Role.IMAGES, 1, null);
        assertThrows(InvalidInputException.class, () -> new DatasetDescriptor("x", "x", DataFormat.IDX,
                List.of(images), List.of("a"), List.of(), "s"));
        assertThrows(InvalidInputException.class, () -> new DatasetDescriptor("x", "x", DataFormat.CIFAR10,
                List.of(new ExpectedFile("a", Split.TRAIN, ExpectedFile.Role.BATCH, 1, null),
                        new ExpectedFile("b", Split.TEST, ExpectedFile.Role.BATCH, 1, null)),
                Collections.nCopies(9, "c"), List.of(), "s"));
    }

    @Test
    void identifiesKnownFilesByNameAndSize() {
        assertEquals(KnownDatasets.FASHION_MNIST, DatasetCatalog.identify("t10k-labels-idx1-ubyte.gz", 5125).orElseThrow());
        assertTrue(DatasetCatalog.identify("t10k-labels-idx1-ubyte.gz", 5126).isEmpty());
    }

    @Test
    void fileChecksGiveEachVerdict() throws IOException {
        byte[] content = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Path f = write(data, "f", content);
        String sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

        assertEquals(FileCheck.State.VERIFIED, FileCheck.of(f, expected(3, sha)).state());
        assertEquals(FileCheck.State.SIZE_OK, FileCheck.of(f, expected(3, null)).state());
        assertEquals(FileCheck.State.WRONG_SIZE, FileCheck.of(f, expected(4, sha)).state());
        FileCheck wrong = FileCheck.of(f, expected(3, sha.replace('b', 'c')));
        assertEquals(FileCheck.State.WRONG_CHECKSUM, wrong.state());
        assertTrue(wrong.describe().startsWith("wrong SHA-256 " + sha), wrong.describe());
        assertEquals(FileCheck.State.MISSING, FileCheck.of(data.resolve("none"), expected(3, sha)).state());
    }

    private static ExpectedFile expected(long size, String sha) {
        return new ExpectedFile("f", Split.TRAIN, ExpectedFile.Role.IMAGES, size, sha);
    }

    // --- the installed real files; skipped, with the reason shown, where they are not installed ---

    private static DatasetCatalog installed(DatasetDescriptor d) throws IOException {
        DataDirectory dir = DataDirectory.resolve(null);
        assumeTrue(DatasetStatus.check(dir, d).installed(), () -> d.name() + " is not installed and verified in "
                + dir + "; run 'bin/tinysparse datasets fetch' to include this test");
        return DatasetCatalog.local(dir);
    }

    @Test
    void installedMnistTrainHas60000ImagesOfAbout6000PerClass() throws IOException {
        ImageDataset train = installed(KnownDatasets.MNIST).read(KnownDatasets.MNIST, Split.TRAIN);

        assertEquals(60000, train.size());
        assertEquals(new ImageShape(1, 28, 28), train.shape());
        assertEquals(10, train.classCount());
        // The published MNIST training-set class counts.
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                train.classHistogram());
        // And its well-known normalisation constants.
        double[][] stats = train.channelStatistics();
        assertEquals(0.1307, stats[0][0], 5e-5);
        assertEquals(0.3081, stats[1][0], 5e-5);
    }

    @Test
    void installedMnistTestHas10000Images() throws IOException {
        ImageDataset test = installed(KnownDatasets.MNIST).read(KnownDatasets.MNIST, Split.TEST);
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, test.classHistogram());
    }

    @Test
    void installedFashionMnistTestHasExactly1000PerClass() throws IOException {
        ImageDataset test = installed(KnownDatasets.FASHION_MNIST).read(KnownDatasets.FASHION_MNIST, Split.TEST);

        assertEquals(10000, test.size());
        assertEquals(new ImageShape(1, 28, 28), test.shape());
        int[] tenThousands = new int[10];
        java.util.Arrays.fill(tenThousands, 1000);
        assertArrayEquals(tenThousands, test.classHistogram());
        assertEquals("Ankle boot", test.className(9));
    }

    @Test
    void installedFashionMnistTrainHasExactly6000PerClassAndLoadsByName() throws IOException {
        installed(KnownDatasets.FASHION_MNIST);
        ImageDataset train = DatasetCatalog.load("fashion-mnist", "train");

        int[] sixThousands = new int[10];
        java.util.Arrays.fill(sixThousands, 6000);
        assertArrayEquals(sixThousands, train.classHistogram());
    }
}
