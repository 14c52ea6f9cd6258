package io.tinysparse.datasets.format;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.image.ImageShape;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.Path;

/**
 * Reads IDX files (LeCun's format of MNIST and Fashion-MNIST), raw or gzip-compressed.
 *
 * <p>An IDX file starts with a big-endian magic number {@code 0x0000TTNN}: {@code TT} the
 * element type ({@code 0x08}, unsigned byte, is the only one image datasets use and the only
 * one read here) and {@code NN} the number of dimensions, followed by that many big-endian
 * 32-bit sizes and then the elements. Images files have 3 dimensions (count, rows, columns),
 * labels files 1 (count).
 *
 * <p>Every problem with a file is an {@link InvalidInputException} whose one-line message starts
 * with the file's path: a wrong magic number, an unsupported type, a header that declares more
 * (truncated) or fewer (trailing bytes) elements than the file holds, a labels file whose count
 * differs from its images file, a label outside the class range. Thread-safe.
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned-byte images (3 dimensions). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned-byte labels (1 dimension). */
    public static final int LABELS_MAGIC = 0x00000801;
    private static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    private final DataFiles files;

    public IdxReader(DataFiles files) {
        this.files = Objects.requireNonNull(files, "files");
    }

    /**
     * Reads an images file and its labels file into one dataset.
     *
     * @param name the dataset's name for messages, e.g. {@code mnist/train}
     * @param classNames the class names, which also fix the class count; when empty, the class
     *     count is the largest label plus one and the classes are numbered
     */
    public ImageDataset read(Path images, Path labels, String name, List<String> classNames) throws IOException {
        Images im = readImages(images);
        byte[] lab = readLabels(labels);
        if (lab.length != im.count) {
            throw new InvalidInputException(labels + ": holds " + lab.length + " labels but the images file "
                    + images + " holds " + im.count + " images");
        }
        int max = -1;
        for (byte b : lab) {
            max = Math.max(max, b & 0xFF);
        }
        int classCount = classNames.isEmpty() ? max + 1 : classNames.size();
        short[] values = new short[lab.length];
        for (int i = 0; i < lab.length; i++) {
            int l = lab[i] & 0xFF;
            if (l >= classCount) {
                throw new InvalidInputException(labels + ": label " + l + " of image " + i + " is outside 0.."
                        + (classCount - 1) + " (" + classCount + " classes)");
            }
            values[i] = (short) l;
        }
        return new ImageDataset(name, im.shape, im.pixels, values, classCount, classNames);
    }

    /** Reads and validates a whole IDX file, images or labels, and summarises it (for {@code inspect}). */
    public IdxFileInfo describe(Path path) throws IOException {
        try (OpenedFile in = files.open(path)) {
            int magic = in.readInt("the IDX magic number");
            if (magic == IMAGES_MAGIC) {
                Images im = readImageBody(in);
                return new IdxFileInfo(in.name(), IdxFileInfo.Kind.IMAGES, in.gzip(), in.storedBytes(), im.count,
                        im.shape, null);
            }
            if (magic == LABELS_MAGIC) {
                byte[] lab = readLabelBody(in);
                int[] h = new int[256];
                int max = -1;
                for (byte b : lab) {
                    h[b & 0xFF]++;
                    max = Math.max(max, b & 0xFF);
                }
                return new IdxFileInfo(in.name(), IdxFileInfo.Kind.LABELS, in.gzip(), in.storedBytes(), lab.length,
                        null, java.util.Arrays.copyOf(h, max + 1));
            }
            throw wrongMagic(in, magic, "an IDX images (0x00000803) or labels (0x00000801) file");
        }
    }

    private record Images(ImageShape shape, int count, byte[] pixels) {}

    private Images readImages(Path path) throws IOException {
        try (OpenedFile in = files.open(path)) {
            int magic = in.readInt("the IDX magic number");
            if (magic != IMAGES_MAGIC) {
                throw wrongMagic(in, magic, "an IDX images file (0x00000803)");
            }
            return readImageBody(in);
        }
    }

    private byte[] readLabels(Path path) throws IOException {
        try (OpenedFile in = files.open(path)) {
            int magic = in.readInt("the IDX magic number");
            if (magic != LABELS_MAGIC) {
                throw wrongMagic(in, magic, "an IDX labels file (0x00000801)");
            }
            return readLabelBody(in);
        }
    }

    private static Images readImageBody(OpenedFile in) throws IOException {
        int count = dimension(in, "image count");
        int rows = dimension(in, "row count");
        int cols = dimension(in, "column count");
        long bytes = (long) count * rows * cols;
        if (bytes > MAX_BYTES) {
            throw new InvalidInputException(in.name() + ": header declares " + count + " images of " + rows + "x"
                    + cols + " (" + bytes + " bytes), too large to load in one array");
        }
        if (count == 0) {
            throw new InvalidInputException(in.name() + ": header declares no images");
        }
        byte[] pixels = new byte[(int) bytes];
        in.readExactly(pixels, 0, pixels.length, "the " + count + " images of " + rows + "x" + cols
                + " the header declares");
        requireEnd(in, count + " images of " + rows + "x" + cols);
        return new Images(new ImageShape(1, rows, cols), count, pixels);
    }

    private static byte[] readLabelBody(OpenedFile in) throws IOException {
        int count = dimension(in, "label count");
        if (count == 0) {
            throw new InvalidInputException(in.name() + ": header declares no labels");
        }
        byte[] labels = new byte[count];
        in.readExactly(labels, 0, count, "the " + count + " labels the header declares");
        requireEnd(in, count + " labels");
        return labels;
    }

    private static int dimension(OpenedFile in, String what) throws IOException {
        int d = in.readInt("the " + what + " of the IDX header");
        if (d < 0) {
            throw new InvalidInputException(in.name() + ": IDX header has a negative " + what + " (" + d + ")");
        }
        return d;
    }

    private static void requireEnd(OpenedFile in, String declared) throws IOException {
        long extra = in.remaining();
        if (extra > 0) {
            throw new InvalidInputException(in.name() + ": wrong record size: " + extra
                    + " bytes follow the " + declared + " its header declares");
        }
    }

    private static InvalidInputException wrongMagic(OpenedFile in, int magic, String expected) {
        String hint = switch (magic) {
            case IMAGES_MAGIC -> " (it is an IDX images file)";
            case LABELS_MAGIC -> " (it is an IDX labels file)";
            default -> (magic >>> 16) == 0 && ((magic >>> 8) & 0xFF) != 0x08
                    ? " (IDX element type 0x" + String.format("%02x", (magic >>> 8) & 0xFF)
                            + " is not unsigned byte, the only type read here)"
                    : "";
        };
        return new InvalidInputException(in.name() + ": wrong magic number 0x" + String.format("%08x", magic)
                + hint + ", expected " + expected);
    }
}
