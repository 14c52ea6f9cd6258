package io.tinysparse.datasets.format;

import static io.tinysparse.datasets.testing.Fixtures.PATTERN;
import static io.tinysparse.datasets.testing.Fixtures.assertBadInput;
import static io.tinysparse.datasets.testing.Fixtures.cifarBatch;
import static io.tinysparse.datasets.testing.Fixtures.cut;
import static io.tinysparse.datasets.testing.Fixtures.gzip;
import static io.tinysparse.datasets.testing.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.image.ImageShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
    @TempDir
    Path dir;

    private final CifarReader reader = new CifarReader(DataFiles.defaults());

    private ImageDataset read(CifarVariant v, Path... files) throws IOException {
        return reader.read(java.util.Arrays.stream(files).map(DataFiles::path).toList(), v, "fixture", List.of(),
                List.of());
    }

    @Test
    void cifar10RecordsBecomeChwImagesWithTheirLabels() throws IOException {
        Path batch = write(dir, "data_batch_1.bin", cifarBatch(CifarVariant.CIFAR10, new int[] {3, 9, 0}, null,
                PATTERN));

        ImageDataset ds = read(CifarVariant.CIFAR10, batch);

        assertEquals(3, ds.size());
        assertEquals(new ImageShape(3, 32, 32), ds.shape());
        assertEquals(10, ds.classCount());
        assertFalse(ds.hasCoarseLabels());
        assertEquals(3, ds.label(0));
        assertEquals(9, ds.label(1));
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y += 7) {
                    for (int x = 0; x < 32; x += 5) {
                        assertEquals(PATTERN.value(i, c, y, x), ds.pixel(i, c, y, x));
                    }
                }
            }
        }
    }

    @Test
    void cifar100UsesTheFineLabelAndExposesTheCoarseOne() throws IOException {
        Path batch = write(dir, "train.bin", cifarBatch(CifarVariant.CIFAR100, new int[] {99, 5, 42},
                new int[] {19, 0, 7}, PATTERN));

        ImageDataset ds = read(CifarVariant.CIFAR100, batch);

        assertEquals(100, ds.classCount());
        assertEquals(99, ds.label(0));
        assertEquals(42, ds.label(2));
        assertTrue(ds.hasCoarseLabels());
        assertEquals(20, ds.coarseClassCount());
        assertEquals(19, ds.coarseLabel(0));
        ImageDataset coarse = ds.withCoarseLabels();
        assertEquals(20, coarse.classCount());
        assertEquals(7, coarse.label(2));
        assertEquals(PATTERN.value(2, 1, 4, 4), coarse.pixel(2, 1, 4, 4));
    }

    @Test
    void batchesAreJoinedInOrderAndGzipIsRead() throws IOException {
        Path b1 = write(dir, "b1", cifarBatch(CifarVariant.CIFAR10, new int[] {1, 2}, null, PATTERN));
        Path b2 = write(dir, "b2", gzip(cifarBatch(CifarVariant.CIFAR10, new int[] {7}, null, (i, c, y, x) -> 200)));

        ImageDataset ds = read(CifarVariant.CIFAR10, b1, b2);

        assertEquals(3, ds.size());
        assertEquals(7, ds.label(2));
        assertEquals(200, ds.pixel(2, 2, 31, 31));
        assertArrayEquals(new int[] {0, 1, 1, 0, 0, 0, 0, 1, 0, 0}, ds.classHistogram());
    }

    @Test
    void truncatedBatchIsReported() {
        Path batch = write(dir, "data_batch_1.bin",
                cut(cifarBatch(CifarVariant.CIFAR10, new int[] {1, 2, 3}, null, PATTERN), 100));
        assertBadInput(() -> read(CifarVariant.CIFAR10, batch), batch, "truncated or wrong record size",
                "3073-byte CIFAR-10 records", "2 records and 2973 bytes left over");
    }

    @Test
    void cifar10BatchReadAsCifar100IsAWrongRecordSize() {
        Path batch = write(dir, "data_batch_1.bin", cifarBatch(CifarVariant.CIFAR10, new int[] {1, 2, 3}, null,
                PATTERN));
        assertBadInput(() -> read(CifarVariant.CIFAR100, batch), batch, "wrong record size",
                "3074-byte CIFAR-100");
    }

    @Test
    void labelOutsideTheVariantIsReported() {
        Path batch = write(dir, "b", cifarBatch(CifarVariant.CIFAR10, new int[] {1, 12}, null, PATTERN));
        assertBadInput(() -> read(CifarVariant.CIFAR10, batch), batch, "record 1 has label 12", "0..9");
    }

    @Test
    void coarseLabelOutsideCifar100IsReported() {
        Path batch = write(dir, "b", cifarBatch(CifarVariant.CIFAR100, new int[] {1}, new int[] {20}, PATTERN));
        assertBadInput(() -> read(CifarVariant.CIFAR100, batch), batch, "coarse label 20");
    }

    @Test
    void emptyFileIsReported() {
        Path batch = write(dir, "b", new byte[0]);
        assertBadInput(() -> read(CifarVariant.CIFAR10, batch), batch, "empty file");
    }
}
