package io.tinysparse.datasets.format;

import static io.tinysparse.datasets.testing.Fixtures.PATTERN;
import static io.tinysparse.datasets.testing.Fixtures.assertBadInput;
import static io.tinysparse.datasets.testing.Fixtures.cifarBatch;
import static io.tinysparse.datasets.testing.Fixtures.gzip;
import static io.tinysparse.datasets.testing.Fixtures.idxImages;
import static io.tinysparse.datasets.testing.Fixtures.idxLabels;
import static io.tinysparse.datasets.testing.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFormatTest {
    @TempDir
    Path dir;

    private DataFormat detect(Path p) throws IOException {
        return DataFormat.detect(DataFiles.defaults(), DataFiles.path(p));
    }

    @Test
    void idxFilesAreRecognisedRawAndGzipped() throws IOException {
        assertEquals(DataFormat.IDX, detect(write(dir, "a", idxImages(1, 2, 2, PATTERN))));
        assertEquals(DataFormat.IDX, detect(write(dir, "b", gzip(idxLabels(3)))));
    }

    @Test
    void cifarBatchesAreRecognisedByRecordSize() throws IOException {
        assertEquals(DataFormat.CIFAR10,
                detect(write(dir, "c10", cifarBatch(CifarVariant.CIFAR10, new int[] {1, 2}, null, PATTERN))));
        assertEquals(DataFormat.CIFAR100, detect(write(dir, "c100",
                gzip(cifarBatch(CifarVariant.CIFAR100, new int[] {1, 2}, new int[] {0, 3}, PATTERN)))));
    }

    @Test
    void anythingElseIsAWrongMagicNumberNamingTheFile() {
        Path junk = write(dir, "junk.txt", "hello, world".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertBadInput(() -> detect(junk), junk, "wrong magic number 0x68656c6c", "12 bytes");
    }
}
