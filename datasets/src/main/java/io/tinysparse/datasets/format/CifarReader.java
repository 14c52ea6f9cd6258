package io.tinysparse.datasets.format;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.image.ImageShape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.Path;

/**
 * Reads CIFAR-10 and CIFAR-100 binary batches ({@code data_batch_1.bin}, {@code train.bin}, ...),
 * raw or gzip-compressed, into one dataset of 3x32x32 images.
 *
 * <p>For CIFAR-100 the fine label (100 classes) is the dataset's label and the coarse label
 * (20 super-classes) is kept as its coarse labelling ({@link ImageDataset#withCoarseLabels()}).
 * The records' pixel order is already CHW, so images are copied as they are.
 *
 * <p>A file whose length is not a whole number of records (truncated, or not this variant) or
 * that holds a label outside the variant's range is an {@link InvalidInputException} naming the
 * file. Thread-safe.
 */
public final class CifarReader {
    private static final int MAX_BYTES = Integer.MAX_VALUE - 8;
    private final DataFiles files;

    public CifarReader(DataFiles files) {
        this.files = Objects.requireNonNull(files, "files");
    }

    /**
     * Reads the batches in order into one dataset.
     *
     * @param name the dataset's name for messages, e.g. {@code cifar10/train}
     * @param classNames empty, or the {@code variant.classes()} class names
     * @param coarseClassNames empty, or the {@code variant.coarseClasses()} coarse class names (CIFAR-100)
     */
    public ImageDataset read(List<Path> batches, CifarVariant variant, String name, List<String> classNames,
            List<String> coarseClassNames) throws IOException {
        if (batches.isEmpty()) {
            throw new InvalidInputException(name + ": no CIFAR batch files given");
        }
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        for (Path p : batches) {
            byte[] content = readBatch(p, variant);
            contents.add(content);
            records += content.length / variant.recordBytes();
        }
        if (records * CifarVariant.IMAGE_BYTES > MAX_BYTES) {
            throw new InvalidInputException(name + ": " + records + " images are too many to load in one array");
        }
        int n = (int) records;
        byte[] pixels = new byte[n * CifarVariant.IMAGE_BYTES];
        short[] fine = new short[n];
        short[] coarse = variant.coarseClasses() > 0 ? new short[n] : null;
        int at = 0;
        for (byte[] content : contents) {
            int rec = variant.recordBytes();
            for (int off = 0; off < content.length; off += rec, at++) {
                fine[at] = (short) (content[off + variant.labelBytes() - 1] & 0xFF);
                if (coarse != null) {
                    coarse[at] = (short) (content[off] & 0xFF);
                }
                System.arraycopy(content, off + variant.labelBytes(), pixels, at * CifarVariant.IMAGE_BYTES,
                        CifarVariant.IMAGE_BYTES);
            }
        }
        ImageShape shape = new ImageShape(CifarVariant.CHANNELS, CifarVariant.SIZE, CifarVariant.SIZE);
        return new ImageDataset(name, shape, pixels, fine, variant.classes(), classNames, coarse,
                variant.coarseClasses(), coarseClassNames);
    }

    /**
     * Reads one batch file whole and checks its record structure and label ranges.
     *
     * @return the file's (decompressed) bytes, a whole number of records
     */
    byte[] readBatch(Path path, CifarVariant variant) throws IOException {
        byte[] content;
        try (OpenedFile in = files.open(path)) {
            content = in.readAll(MAX_BYTES);
        }
        int rec = variant.recordBytes();
        if (content.length == 0) {
            throw new InvalidInputException(path + ": empty file, expected " + rec + "-byte "
                    + variant.displayName() + " records");
        }
        if (content.length % rec != 0) {
            throw new InvalidInputException(path + ": truncated or wrong record size: " + content.length
                    + " bytes is not a whole number of " + rec + "-byte " + variant.displayName() + " records ("
                    + content.length / rec + " records and " + content.length % rec + " bytes left over)");
        }
        for (int off = 0, i = 0; off < content.length; off += rec, i++) {
            int fine = content[off + variant.labelBytes() - 1] & 0xFF;
            if (fine >= variant.classes()) {
                throw new InvalidInputException(path + ": record " + i + " has label " + fine + ", outside 0.."
                        + (variant.classes() - 1) + ": not a " + variant.displayName() + " batch");
            }
            if (variant.coarseClasses() > 0 && (content[off] & 0xFF) >= variant.coarseClasses()) {
                throw new InvalidInputException(path + ": record " + i + " has coarse label " + (content[off] & 0xFF)
                        + ", outside 0.." + (variant.coarseClasses() - 1) + ": not a " + variant.displayName()
                        + " batch");
            }
        }
        return content;
    }
}
