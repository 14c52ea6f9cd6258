package io.tinysparse.datasets.format;

import static io.tinysparse.datasets.testing.Fixtures.PATTERN;
import static io.tinysparse.datasets.testing.Fixtures.assertBadInput;
import static io.tinysparse.datasets.testing.Fixtures.cut;
import static io.tinysparse.datasets.testing.Fixtures.gzip;
import static io.tinysparse.datasets.testing.Fixtures.idxImages;
import static io.tinysparse.datasets.testing.Fixtures.idxLabels;
import static io.tinysparse.datasets.testing.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.image.ImageShape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir
    Path dir;

    private final IdxReader reader = new IdxReader(DataFiles.defaults());

    private static org.apache.hadoop.fs.Path hp(Path p) {
        return DataFiles.path(p);
    }

    private UnaryOperator<byte[]> encoding(boolean gz) {
        return gz ? b -> gzip(b) : b -> b;
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsImagesAndLabelsPixelForPixel(boolean gz) throws IOException {
        Path images = write(dir, "imgs", encoding(gz).apply(idxImages(5, 3, 4, PATTERN)));
        Path labels = write(dir, "labs", encoding(gz).apply(idxLabels(2, 0, 1, 2, 2)));

        ImageDataset ds = reader.read(hp(images), hp(labels), "fixture", List.of());

        assertEquals(5, ds.size());
        assertEquals(new ImageShape(1, 3, 4), ds.shape());
        assertEquals(3, ds.classCount(), "class count inferred as largest label + 1");
        assertArrayEquals(new int[] {1, 1, 3}, ds.classHistogram());
        for (int i = 0; i < 5; i++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    assertEquals(PATTERN.value(i, 0, y, x), ds.pixel(i, 0, y, x), "pixel " + i + "," + y + "," + x);
                }
            }
        }
        assertEquals(2, ds.label(0));
        assertEquals(0, ds.label(1));
    }

    @Test
    void gzipIsRecognisedByMagicBytesNotByName() throws IOException {
        Path gzNoSuffix = write(dir, "images-raw-looking", gzip(idxImages(2, 2, 2, PATTERN)));
        Path rawWithGzSuffix = write(dir, "labels.gz", idxLabels(0, 1));

        ImageDataset ds = reader.read(hp(gzNoSuffix), hp(rawWithGzSuffix), "fixture", List.of());

        assertEquals(2, ds.size());
        assertTrue(reader.describe(hp(gzNoSuffix)).gzip());
        assertFalse(reader.describe(hp(rawWithGzSuffix)).gzip());
    }

    @Test
    void classNamesFixTheClassCount() throws IOException {
        Path images = write(dir, "i", idxImages(2, 2, 2, PATTERN));
        Path labels = write(dir, "l", idxLabels(0, 1));

        ImageDataset ds = reader.read(hp(images), hp(labels), "fixture", List.of("a", "b", "c", "d"));

        assertEquals(4, ds.classCount());
        assertEquals("d", ds.className(3));
        assertArrayEquals(new int[] {1, 1, 0, 0}, ds.classHistogram());
    }

    @Test
    void describeSummarisesImagesAndLabelsFiles() throws IOException {
        Path images = write(dir, "i", idxImages(3, 5, 7, PATTERN));
        Path labels = write(dir, "l", gzip(idxLabels(4, 4, 1)));

        IdxFileInfo im = reader.describe(hp(images));
        IdxFileInfo lab = reader.describe(hp(labels));

        assertEquals(IdxFileInfo.Kind.IMAGES, im.kind());
        assertEquals(3, im.count());
        assertEquals(new ImageShape(1, 5, 7), im.shape());
        assertNull(im.labelHistogram());
        assertEquals(16 + 3 * 5 * 7, im.storedBytes());
        assertEquals(IdxFileInfo.Kind.LABELS, lab.kind());
        assertArrayEquals(new int[] {0, 1, 0, 0, 2}, lab.labelHistogram());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void truncatedPixelDataIsReportedWithTheFile(boolean gz) {
        Path images = write(dir, "imgs", encoding(gz).apply(cut(idxImages(4, 3, 3, PATTERN), 5)));
        Path labels = write(dir, "labs", idxLabels(0, 1, 2, 3));

        assertBadInput(() -> reader.read(hp(images), hp(labels), "x", List.of()), images, "truncated",
                "4 images of 3x3");
    }

    @Test
    void truncatedHeaderIsReported() {
        Path images = write(dir, "imgs", cut(idxImages(1, 2, 2, PATTERN), 4 + 6));
        assertBadInput(() -> reader.describe(hp(images)), images, "truncated", "header");
    }

    @Test
    void truncatedLabelsAreReported() {
        Path images = write(dir, "imgs", idxImages(3, 2, 2, PATTERN));
        Path labels = write(dir, "labs", cut(idxLabels(0, 1, 2), 1));
        assertBadInput(() -> reader.read(hp(images), hp(labels), "x", List.of()), labels, "truncated", "3 labels");
    }

    @Test
    void cutGzipStreamIsReported() {
        byte[] gz = gzip(idxImages(50, 10, 10, PATTERN));
        Path images = write(dir, "imgs.gz", cut(gz, gz.length / 2));
        assertBadInput(() -> reader.describe(hp(images)), images, "truncated");
    }

    @Test
    void wrongMagicNumberIsReported() {
        byte[] bad = idxImages(1, 2, 2, PATTERN);
        bad[0] = 0x12;
        Path images = write(dir, "imgs", bad);
        assertBadInput(() -> reader.describe(hp(images)), images, "wrong magic number 0x12000803");
    }

    @Test
    void labelsFileWhereImagesBelongIsAWrongMagicNumber() {
        Path labels = write(dir, "labs", idxLabels(0, 1));
        Path alsoLabels = write(dir, "labs2", idxLabels(0, 1));
        assertBadInput(() -> reader.read(hp(labels), hp(alsoLabels), "x", List.of()), labels,
                "wrong magic number 0x00000801", "labels file", "expected an IDX images file");
    }

    @Test
    void nonByteElementTypeIsNamed() {
        byte[] floats = idxImages(1, 2, 2, PATTERN);
        floats[2] = 0x0D;
        Path images = write(dir, "imgs", floats);
        assertBadInput(() -> reader.describe(hp(images)), images, "0x00000d03", "type 0x0d");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void labelAndImageCountMismatchNamesBothFiles(boolean gz) {
        Path images = write(dir, "imgs", encoding(gz).apply(idxImages(3, 2, 2, PATTERN)));
        Path labels = write(dir, "labs", encoding(gz).apply(idxLabels(0, 1)));

        String m = assertBadInput(() -> reader.read(hp(images), hp(labels), "x", List.of()), labels,
                "holds 2 labels", "holds 3 images");
        assertTrue(m.contains(images.toString()), m);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void bytesBeyondTheDeclaredRecordsAreAWrongRecordSize(boolean gz) {
        byte[] data = idxImages(2, 3, 3, PATTERN);
        byte[] longer = ByteBuffer.allocate(data.length + 7).put(data).array();
        Path images = write(dir, "imgs", encoding(gz).apply(longer));
        assertBadInput(() -> reader.describe(hp(images)), images, "wrong record size", "7 bytes follow",
                "2 images of 3x3");
    }

    @Test
    void labelOutsideTheClassesIsReported() {
        Path images = write(dir, "imgs", idxImages(2, 2, 2, PATTERN));
        Path labels = write(dir, "labs", idxLabels(1, 7));
        assertBadInput(() -> reader.read(hp(images), hp(labels), "x", List.of("a", "b", "c")), labels,
                "label 7 of image 1", "0..2");
    }

    @Test
    void missingFileIsBadInputNamingIt() {
        Path missing = dir.resolve("nope");
        assertBadInput(() -> reader.describe(hp(missing)), missing, "no such file");
    }
}
