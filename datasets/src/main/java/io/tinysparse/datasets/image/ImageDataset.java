package io.tinysparse.datasets.image;

import io.tinysparse.core.InvalidInputException;
import java.util.List;
import java.util.Objects;

/**
 * An in-memory set of uint8 images with one class label each, held compactly: one
 * {@code byte[]} for all pixels and one {@code short[]} for all labels, no object per image.
 *
 * <p><b>Layout.</b> Pixels are NCHW: image {@code i}, channel {@code c}, row {@code y},
 * column {@code x} is the unsigned byte at
 * {@code i * C*H*W + c * H*W + y * W + x}. This is the order of CIFAR's binary records and of
 * DL4J's default convolution input, and for single-channel IDX data it is simply the file's
 * order.
 *
 * <p><b>Labels.</b> Each label is in {@code [0, classCount)}. A dataset may also carry a second,
 * coarser labelling (CIFAR-100's 20 super-classes): {@link #coarseClassCount()} is 0 when it has
 * none, and {@link #withCoarseLabels()} gives a view that uses it as the label.
 *
 * <p><b>Immutability.</b> Instances never change. The constructor takes ownership of the arrays
 * it is given (no copy, because a training set is tens of megabytes): the caller must not
 * modify them afterwards. Derived datasets ({@link #subset}, {@link #withCoarseLabels}) copy or
 * share arrays but never write to them.
 */
public final class ImageDataset {
    /** Largest class count a {@code short} label can hold. */
    public static final int MAX_CLASSES = Short.MAX_VALUE + 1;

    private final String name;
    private final ImageShape shape;
    private final int size;
    private final byte[] pixels;
    private final short[] labels;
    private final int classCount;
    private final List<String> classNames;
    private final short[] coarseLabels;
    private final int coarseClassCount;
    private final List<String> coarseClassNames;

    /**
     * A dataset with one labelling.
     *
     * @param name where the data came from, for messages (e.g. {@code mnist/train} or a path)
     * @param shape shape of each image
     * @param pixels all pixels, NCHW, {@code labels.length * shape.pixels()} bytes (taken over, not copied)
     * @param labels one label per image, each in {@code [0, classCount)} (taken over, not copied)
     * @param classCount number of classes, 1 to {@link #MAX_CLASSES}
     * @param classNames empty, or exactly {@code classCount} names
     */
    public ImageDataset(String name, ImageShape shape, byte[] pixels, short[] labels, int classCount,
            List<String> classNames) {
        this(name, shape, pixels, labels, classCount, classNames, null, 0, List.of());
    }

    /**
     * A dataset with a fine labelling (the label) and a coarse one (CIFAR-100's super-classes).
     *
     * @param coarseLabels one coarse label per image in {@code [0, coarseClassCount)}, or null for none
     * @param coarseClassCount number of coarse classes, 0 when {@code coarseLabels} is null
     * @param coarseClassNames empty, or exactly {@code coarseClassCount} names
     */
    public ImageDataset(String name, ImageShape shape, byte[] pixels, short[] labels, int classCount,
            List<String> classNames, short[] coarseLabels, int coarseClassCount, List<String> coarseClassNames) {
        this.name = Objects.requireNonNull(name, "name");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.size = labels.length;
        if ((long) size * shape.pixels() != pixels.length) {
            throw new InvalidInputException(name + ": " + pixels.length + " pixel bytes do not hold "
                    + size + " images of " + shape.describe() + " (" + shape.pixels() + " bytes each)");
        }
        this.classCount = classCount;
        this.classNames = checkLabels(name, "label", labels, classCount, classNames);
        if (coarseLabels == null) {
            if (coarseClassCount != 0 || !coarseClassNames.isEmpty()) {
                throw new InvalidInputException(name + ": coarseClassCount must be 0 without coarse labels, got "
                        + coarseClassCount);
            }
            this.coarseClassNames = List.of();
        } else {
            if (coarseLabels.length != size) {
                throw new InvalidInputException(name + ": " + coarseLabels.length + " coarse labels for "
                        + size + " images");
            }
            this.coarseClassNames = checkLabels(name, "coarse label", coarseLabels, coarseClassCount,
                    coarseClassNames);
        }
        this.coarseLabels = coarseLabels;
        this.coarseClassCount = coarseClassCount;
    }

    private static List<String> checkLabels(String name, String what, short[] labels, int classCount,
            List<String> names) {
        if (classCount < 1 || classCount > MAX_CLASSES) {
            throw new InvalidInputException(name + ": " + what + " class count must be in 1.."
                    + MAX_CLASSES + ", got " + classCount);
        }
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l < 0 || l >= classCount) {
                throw new InvalidInputException(name + ": " + what + " " + l + " of image " + i
                        + " is outside 0.." + (classCount - 1));
            }
        }
        Objects.requireNonNull(names, "class names");
        if (!names.isEmpty() && names.size() != classCount) {
            throw new InvalidInputException(name + ": " + names.size() + " class names for "
                    + classCount + " classes");
        }
        return List.copyOf(names);
    }

    /** Where the data came from, for messages. */
    public String name() {
        return name;
    }

    /** Shape of each image. */
    public ImageShape shape() {
        return shape;
    }

    /** Number of images. */
    public int size() {
        return size;
    }

    /** Number of classes; every label is below it. */
    public int classCount() {
        return classCount;
    }

    /** Class names in label order, or an empty list when the source has none. */
    public List<String> classNames() {
        return classNames;
    }

    /** The name of class {@code label}, or its number when the dataset has no names. */
    public String className(int label) {
        Objects.checkIndex(label, classCount);
        return classNames.isEmpty() ? Integer.toString(label) : classNames.get(label);
    }

    /** The label of image {@code index}, in {@code [0, classCount)}. */
    public int label(int index) {
        return labels[index];
    }

    /**
     * Copies the labels of {@code count} images, {@code indices[from]...}, into {@code out} from
     * {@code outOffset}: the label batch that goes with a {@code TensorTransform} batch.
     */
    public void copyLabels(int[] indices, int from, int count, int[] out, int outOffset) {
        Objects.checkFromIndexSize(from, count, indices.length);
        Objects.checkFromIndexSize(outOffset, count, out.length);
        for (int k = 0; k < count; k++) {
            out[outOffset + k] = labels[indices[from + k]];
        }
    }

    /** The unsigned value (0..255) of one pixel. */
    public int pixel(int index, int channel, int y, int x) {
        Objects.checkIndex(index, size);
        Objects.checkIndex(channel, shape.channels());
        Objects.checkIndex(y, shape.height());
        Objects.checkIndex(x, shape.width());
        return pixels[index * shape.pixels() + channel * shape.planeSize() + y * shape.width() + x] & 0xFF;
    }

    /** Copies image {@code index} (CHW, {@link ImageShape#pixels()} bytes) into {@code dst} at {@code offset}. */
    public void readImage(int index, byte[] dst, int offset) {
        Objects.checkIndex(index, size);
        int n = shape.pixels();
        System.arraycopy(pixels, index * n, dst, offset, n);
    }

    /** Number of images of each class, indexed by label. */
    public int[] classHistogram() {
        return histogram(labels, classCount);
    }

    private static int[] histogram(short[] labels, int classCount) {
        int[] h = new int[classCount];
        for (short l : labels) {
            h[l]++;
        }
        return h;
    }

    /** Per-channel mean and standard deviation of the pixel values scaled to [0, 1]: {@code {mean[], std[]}}. */
    public double[][] channelStatistics() {
        int c = shape.channels();
        int plane = shape.planeSize();
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            long sum = 0;
            long sumSq = 0;
            for (int i = 0; i < size; i++) {
                int base = i * shape.pixels() + ch * plane;
                for (int p = 0; p < plane; p++) {
                    int v = pixels[base + p] & 0xFF;
                    sum += v;
                    sumSq += (long) v * v;
                }
            }
            double n = (double) size * plane;
            double m = sum / n;
            mean[ch] = m / 255.0;
            std[ch] = Math.sqrt(Math.max(0, sumSq / n - m * m)) / 255.0;
        }
        return new double[][] {mean, std};
    }

    /** Whether the images also carry coarse labels (CIFAR-100). */
    public boolean hasCoarseLabels() {
        return coarseLabels != null;
    }

    /** Number of coarse classes, 0 when there is no coarse labelling. */
    public int coarseClassCount() {
        return coarseClassCount;
    }

    /** The coarse label of image {@code index}; fails when there is no coarse labelling. */
    public int coarseLabel(int index) {
        requireCoarse();
        return coarseLabels[index];
    }

    /** Number of images of each coarse class. */
    public int[] coarseClassHistogram() {
        requireCoarse();
        return histogram(coarseLabels, coarseClassCount);
    }

    /**
     * The same images with the coarse labels as their labels (sharing the pixel array): CIFAR-100
     * as a 20-class problem.
     */
    public ImageDataset withCoarseLabels() {
        requireCoarse();
        return new ImageDataset(name + " (coarse labels)", shape, pixels, coarseLabels, coarseClassCount,
                coarseClassNames);
    }

    private void requireCoarse() {
        if (coarseLabels == null) {
            throw new InvalidInputException(name + " has no coarse labels");
        }
    }

    /**
     * A new dataset holding copies of the images at {@code indices}, in that order (repeats
     * allowed), with the same classes.
     */
    public ImageDataset subset(int[] indices, String subsetName) {
        int n = shape.pixels();
        byte[] p = new byte[Math.multiplyExact(indices.length, n)];
        short[] l = new short[indices.length];
        short[] cl = coarseLabels == null ? null : new short[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size) {
                throw new InvalidInputException(name + ": subset index " + i + " is outside 0.." + (size - 1));
            }
            System.arraycopy(pixels, i * n, p, k * n, n);
            l[k] = labels[i];
            if (cl != null) {
                cl[k] = coarseLabels[i];
            }
        }
        return new ImageDataset(subsetName, shape, p, l, classCount, classNames, cl, coarseClassCount,
                coarseClassNames);
    }

    /**
     * Joins datasets of the same shape and classes, in order (CIFAR-10's five training batches).
     */
    public static ImageDataset concat(String name, List<ImageDataset> parts) {
        if (parts.isEmpty()) {
            throw new InvalidInputException(name + ": nothing to join");
        }
        ImageDataset first = parts.get(0);
        long total = 0;
        for (ImageDataset d : parts) {
            if (!d.shape.equals(first.shape) || d.classCount != first.classCount
                    || d.coarseClassCount != first.coarseClassCount) {
                throw new InvalidInputException(name + ": " + d.name + " (" + d.shape.describe() + ", "
                        + d.classCount + " classes) does not match " + first.name + " ("
                        + first.shape.describe() + ", " + first.classCount + " classes)");
            }
            total += d.size;
        }
        if (total * first.shape.pixels() > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException(name + ": " + total + " images of " + first.shape.describe()
                    + " do not fit in one array");
        }
        int n = (int) total;
        byte[] p = new byte[n * first.shape.pixels()];
        short[] l = new short[n];
        short[] cl = first.coarseLabels == null ? null : new short[n];
        int at = 0;
        for (ImageDataset d : parts) {
            System.arraycopy(d.pixels, 0, p, at * first.shape.pixels(), d.pixels.length);
            System.arraycopy(d.labels, 0, l, at, d.size);
            if (cl != null) {
                System.arraycopy(d.coarseLabels, 0, cl, at, d.size);
            }
            at += d.size;
        }
        return new ImageDataset(name, first.shape, p, l, first.classCount, first.classNames, cl,
                first.coarseClassCount, first.coarseClassNames);
    }

    /** Indices of the images of each class, ascending: {@code result[c]} lists class {@code c}. */
    public int[][] indicesByClass() {
        int[] counts = classHistogram();
        int[][] byClass = new int[classCount][];
        for (int c = 0; c < classCount; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[classCount];
        for (int i = 0; i < size; i++) {
            int c = labels[i];
            byClass[c][fill[c]++] = i;
        }
        return byClass;
    }

    @Override
    public String toString() {
        return name + " (" + size + " images, " + shape.describe() + ", " + classCount + " classes)";
    }
}
