package io.tinysparse.datasets.format;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.image.ImageShape;
import java.util.Objects;

/**
 * What a fully validated IDX file holds: images (magic {@code 0x00000803}, count x rows x
 * columns) or labels (magic {@code 0x00000801}, count), as unsigned bytes.
 *
 * @param file the file's path, for messages
 * @param kind images or labels
 * @param gzip whether the file is gzip-compressed
 * @param storedBytes the file's length as stored, in bytes
 * @param count number of images or labels
 * @param shape shape of one image (1 channel); null for a labels file
 * @param labelHistogram for a labels file, the number of each label value 0..max; null for images
 */
public record IdxFileInfo(String file, Kind kind, boolean gzip, long storedBytes, int count, ImageShape shape,
        int[] labelHistogram) {
    /** The two kinds of IDX file this project reads. */
    public enum Kind {
        IMAGES,
        LABELS
    }

    public IdxFileInfo {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.IMAGES) != (shape != null) || (kind == Kind.LABELS) != (labelHistogram != null)) {
            throw new InvalidInputException(file + ": an IDX " + kind + " summary needs "
                    + (kind == Kind.IMAGES ? "a shape and no histogram" : "a histogram and no shape"));
        }
        labelHistogram = labelHistogram == null ? null : labelHistogram.clone();
    }

    @Override
    public int[] labelHistogram() {
        return labelHistogram == null ? null : labelHistogram.clone();
    }
}
