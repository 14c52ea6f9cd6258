package io.tinysparse.datasets.format;

import io.tinysparse.core.InvalidInputException;
import java.io.IOException;
import org.apache.hadoop.fs.Path;

/** The file formats this module reads, and how to tell them apart by content. */
public enum DataFormat {
    /** An IDX file: images or labels (MNIST, Fashion-MNIST). */
    IDX,
    /** A CIFAR-10 binary batch. */
    CIFAR10,
    /** A CIFAR-100 binary batch. */
    CIFAR100;

    /**
     * Recognises a file by its content, after removing gzip compression: an IDX magic number
     * ({@code 00 00 TT NN}, {@code TT} an IDX type code, {@code NN} 1 to 4 dimensions) means IDX;
     * otherwise CIFAR batches have no header, so a length that is a whole number of 3073-byte
     * records means CIFAR-10 and of 3074-byte records CIFAR-100 (when both divide it, the first
     * record's label bytes decide). The readers then check the whole file.
     *
     * @throws InvalidInputException if the content fits none of them, with a message naming the file
     */
    public static DataFormat detect(DataFiles files, Path path) throws IOException {
        try (OpenedFile in = files.open(path)) {
            byte[] head = new byte[4];
            int n = in.readUpTo(head, 0, 4);
            int b2 = head[2] & 0xFF;
            if (n == 4 && head[0] == 0 && head[1] == 0 && isIdxType(b2) && head[3] >= 1 && head[3] <= 4) {
                return IDX;
            }
            long length = n + in.remaining();
            boolean cifar10 = length > 0 && length % CifarVariant.CIFAR10.recordBytes() == 0;
            boolean cifar100 = length > 0 && length % CifarVariant.CIFAR100.recordBytes() == 0;
            if (cifar10 && cifar100) {
                boolean fitsCifar100 = (head[0] & 0xFF) < CifarVariant.CIFAR100.coarseClasses()
                        && (head[1] & 0xFF) < CifarVariant.CIFAR100.classes();
                return fitsCifar100 ? CIFAR100 : CIFAR10;
            }
            if (cifar10) {
                return CIFAR10;
            }
            if (cifar100) {
                return CIFAR100;
            }
            int magic = n == 4 ? ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | (b2 << 8) | (head[3] & 0xFF) : -1;
            throw new InvalidInputException(in.name() + ": not a recognised data file: "
                    + (n == 4 ? "wrong magic number 0x" + String.format("%08x", magic) : "only " + n + " bytes")
                    + " for IDX (0x00000803 images, 0x00000801 labels) and " + length
                    + " bytes is not a whole number of CIFAR-10 (3073-byte) or CIFAR-100 (3074-byte) records");
        }
    }

    private static boolean isIdxType(int code) {
        return code == 0x08 || code == 0x09 || (code >= 0x0B && code <= 0x0E);
    }
}
