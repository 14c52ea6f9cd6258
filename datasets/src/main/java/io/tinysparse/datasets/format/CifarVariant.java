package io.tinysparse.datasets.format;

/**
 * The two CIFAR binary formats. A batch file is a sequence of fixed-size records: the label
 * byte(s), then a 32x32 colour image as 1024 red, 1024 green and 1024 blue bytes, rows top to
 * bottom. CIFAR-10 has one label byte (10 classes); CIFAR-100 has a coarse label byte (20
 * super-classes) followed by a fine label byte (100 classes).
 */
public enum CifarVariant {
    CIFAR10("CIFAR-10", 1, 10, 0),
    CIFAR100("CIFAR-100", 2, 100, 20);

    /** Channels, height and width of every CIFAR image. */
    public static final int CHANNELS = 3;
    /** See {@link #CHANNELS}. */
    public static final int SIZE = 32;
    /** Bytes of one image: 3 x 32 x 32. */
    public static final int IMAGE_BYTES = CHANNELS * SIZE * SIZE;

    private final String displayName;
    private final int labelBytes;
    private final int classes;
    private final int coarseClasses;

    CifarVariant(String displayName, int labelBytes, int classes, int coarseClasses) {
        this.displayName = displayName;
        this.labelBytes = labelBytes;
        this.classes = classes;
        this.coarseClasses = coarseClasses;
    }

    /** "CIFAR-10" or "CIFAR-100". */
    public String displayName() {
        return displayName;
    }

    /** Label bytes at the start of each record: 1 or 2. */
    public int labelBytes() {
        return labelBytes;
    }

    /** Bytes of one record: label bytes plus {@link #IMAGE_BYTES}. */
    public int recordBytes() {
        return labelBytes + IMAGE_BYTES;
    }

    /** Number of (fine) classes. */
    public int classes() {
        return classes;
    }

    /** Number of coarse classes, 0 for CIFAR-10. */
    public int coarseClasses() {
        return coarseClasses;
    }
}
