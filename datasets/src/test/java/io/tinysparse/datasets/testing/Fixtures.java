package io.tinysparse.datasets.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.format.CifarVariant;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.image.ImageShape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.function.Executable;

/** Test data written in the real formats, byte by byte, and shared assertions. */
public final class Fixtures {
    private Fixtures() {}

    /** Pixel value of image {@code i}, channel {@code c}, row {@code y}, column {@code x}. */
    @FunctionalInterface
    public interface PixelFn {
        int value(int i, int c, int y, int x);
    }

    /** A recognisable pixel pattern, distinct across images, channels, rows and columns. */
    public static final PixelFn PATTERN = (i, c, y, x) -> (i * 37 + c * 71 + y * 13 + x * 3) & 0xFF;

    /** An IDX images file: magic 0x00000803, count, rows, columns, then the pixels. */
    public static byte[] idxImages(int count, int rows, int cols, PixelFn px) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(0x00000803).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count; i++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    b.put((byte) px.value(i, 0, y, x));
                }
            }
        }
        return b.array();
    }

    /** An IDX labels file: magic 0x00000801, count, then one byte per label. */
    public static byte[] idxLabels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(0x00000801).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    /** A CIFAR batch: per record the label byte(s) (coarse first for CIFAR-100), then 3x32x32 CHW pixels. */
    public static byte[] cifarBatch(CifarVariant v, int[] fine, int[] coarse, PixelFn px) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < fine.length; i++) {
            if (v == CifarVariant.CIFAR100) {
                out.write(coarse[i]);
            }
            out.write(fine[i]);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        out.write(px.value(i, c, y, x));
                    }
                }
            }
        }
        return out.toByteArray();
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    public static Path write(Path dir, String name, byte[] data) {
        try {
            return Files.write(dir.resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A dataset of 1-channel {@code h x w} images with these labels and {@link #PATTERN} pixels. */
    public static ImageDataset dataset(int classCount, int h, int w, int... labels) {
        ImageShape shape = new ImageShape(1, h, w);
        byte[] pixels = new byte[labels.length * shape.pixels()];
        short[] l = new short[labels.length];
        for (int i = 0; i < labels.length; i++) {
            l[i] = (short) labels[i];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    pixels[i * shape.pixels() + y * w + x] = (byte) PATTERN.value(i, 0, y, x);
                }
            }
        }
        return new ImageDataset("fixture", shape, pixels, l, classCount, List.of());
    }

    /** Labels with {@code counts[c]} images of class c, interleaved (0,1,2,0,1,2,...) until a class runs out. */
    public static int[] labels(int... counts) {
        int total = Arrays.stream(counts).sum();
        int[] left = counts.clone();
        int[] out = new int[total];
        int at = 0;
        while (at < total) {
            for (int c = 0; c < counts.length; c++) {
                if (left[c] > 0) {
                    out[at++] = c;
                    left[c]--;
                }
            }
        }
        return out;
    }

    /**
     * Asserts that running {@code body} fails with bad input whose message is one line, names
     * {@code file} and contains every one of {@code fragments}; returns the message.
     */
    public static String assertBadInput(Executable body, Object file, String... fragments) {
        InvalidInputException e = assertThrows(InvalidInputException.class, body);
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), "message is not one line: " + m);
        assertTrue(m.contains(file.toString()), "message does not name " + file + ": " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message lacks '" + f + "': " + m);
        }
        return m;
    }

    /** Copies {@code data} without its last {@code n} bytes. */
    public static byte[] cut(byte[] data, int n) {
        return Arrays.copyOf(data, data.length - n);
    }

    /** Asserts two arrays are equal, with a message saying which element differs. */
    public static void assertFloats(float[] expected, float[] actual, float tolerance) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, "element " + i);
        }
    }
}
