package io.tinysparse.datasets.transform;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.image.ImageShape;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * A {@link TransformSpec} compiled for one input shape: writes batches of images as float NCHW
 * tensors into a caller's {@code float[]}.
 *
 * <p>Compilation precomputes the bilinear source positions and weights for every output row and
 * column and the per-channel scale and offset, so applying it does no per-pixel division and
 * allocates only two scratch arrays of one image per call, whatever the batch size.
 *
 * <p>Output layout: image {@code k} of a batch, channel {@code c}, row {@code y}, column
 * {@code x} is at {@code outOffset + k * C*H*W + c * H*W + y * W + x} with
 * {@code C, H, W = outputShape()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TensorTransform {
    private final ImageShape input;
    private final ImageShape output;
    private final TransformSpec spec;
    private final float[] scale;
    private final float[] offset;
    // BILINEAR: for output row y, source rows y0[y], y1[y] mixed by wy[y]; the same for columns.
    private final int[] y0;
    private final int[] y1;
    private final float[] wy;
    private final int[] x0;
    private final int[] x1;
    private final float[] wx;
    private final int padTop;
    private final int padLeft;

    private TensorTransform(ImageShape input, TransformSpec spec) {
        this.input = input;
        this.spec = spec;
        if (input.channels() != spec.channels() && input.channels() != 1) {
            throw new InvalidInputException("cannot turn " + input.channels() + "-channel images into "
                    + spec.channels() + " channels: only 1-channel images can be repeated to more channels");
        }
        this.output = new ImageShape(spec.channels(), spec.height(), spec.width());
        double[] mean = spec.mean();
        double[] std = spec.std();
        scale = new float[spec.channels()];
        offset = new float[spec.channels()];
        for (int c = 0; c < spec.channels(); c++) {
            scale[c] = (float) (1.0 / (255.0 * std[c]));
            offset[c] = (float) (-mean[c] / std[c]);
        }
        int dh = spec.height() - input.height();
        int dw = spec.width() - input.width();
        switch (spec.resize()) {
            case NONE -> {
                if (dh != 0 || dw != 0) {
                    throw new InvalidInputException("resize NONE needs the target size to equal the image size "
                            + input.height() + "x" + input.width() + ", got " + spec.height() + "x" + spec.width());
                }
            }
            case PAD -> {
                if (dh < 0 || dw < 0) {
                    throw new InvalidInputException("cannot pad " + input.height() + "x" + input.width()
                            + " images to the smaller size " + spec.height() + "x" + spec.width());
                }
            }
            case BILINEAR -> { }
        }
        padTop = Math.max(0, dh) / 2;
        padLeft = Math.max(0, dw) / 2;
        y0 = new int[spec.height()];
        y1 = new int[spec.height()];
        wy = new float[spec.height()];
        sourcePositions(input.height(), spec.height(), y0, y1, wy);
        x0 = new int[spec.width()];
        x1 = new int[spec.width()];
        wx = new float[spec.width()];
        sourcePositions(input.width(), spec.width(), x0, x1, wx);
    }

    /** Half-pixel-centre mapping: output pixel i looks at source coordinate (i + 0.5) * in/out - 0.5. */
    private static void sourcePositions(int in, int out, int[] lo, int[] hi, float[] w) {
        double ratio = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = Math.max(0.0, (i + 0.5) * ratio - 0.5);
            int l = Math.min((int) src, in - 1);
            lo[i] = l;
            hi[i] = Math.min(l + 1, in - 1);
            w[i] = (float) (src - l);
        }
    }

    /**
     * Compiles {@code spec} for images of {@code input} shape.
     *
     * @throws InvalidInputException if the spec cannot apply to that shape (padding to a smaller
     *     size, NONE with a different size, or several input channels to a different count)
     */
    public static TensorTransform compile(ImageShape input, TransformSpec spec) {
        return new TensorTransform(Objects.requireNonNull(input, "input"), Objects.requireNonNull(spec, "spec"));
    }

    /** Shape of one output image (channels, height, width). */
    public ImageShape outputShape() {
        return output;
    }

    /** Floats written per image: channels x height x width. */
    public int floatsPerImage() {
        return output.pixels();
    }

    /** The spec this transform was compiled from. */
    public TransformSpec spec() {
        return spec;
    }

    /**
     * Writes images {@code indices[from] .. indices[from + count - 1]} of {@code dataset} into
     * {@code out} from {@code outOffset}, {@link #floatsPerImage()} floats each.
     *
     * @throws InvalidInputException if the dataset's images do not have the compiled input shape
     * @throws IndexOutOfBoundsException if the indices or {@code out} are too short
     */
    public void apply(ImageDataset dataset, int[] indices, int from, int count, float[] out, int outOffset) {
        Objects.checkFromIndexSize(from, count, indices.length);
        write(dataset, k -> indices[from + k], count, out, outOffset);
    }

    /** Writes the {@code count} consecutive images from {@code first} (see the indexed form). */
    public void apply(ImageDataset dataset, int first, int count, float[] out, int outOffset) {
        Objects.checkFromIndexSize(first, count, dataset.size());
        write(dataset, k -> first + k, count, out, outOffset);
    }

    private void write(ImageDataset dataset, IntUnaryOperator imageAt, int count, float[] out, int outOffset) {
        checkShape(dataset);
        Objects.checkFromIndexSize(outOffset, Math.multiplyExact(count, output.pixels()), out.length);
        byte[] image = new byte[input.pixels()];
        float[] plane = new float[output.planeSize()];
        for (int k = 0; k < count; k++) {
            dataset.readImage(imageAt.applyAsInt(k), image, 0);
            writeImage(image, plane, out, outOffset + k * output.pixels());
        }
    }

    private void checkShape(ImageDataset dataset) {
        if (!dataset.shape().equals(input)) {
            throw new InvalidInputException(dataset.name() + " has images of " + dataset.shape().describe()
                    + " but the transform was compiled for " + input.describe());
        }
    }

    private void writeImage(byte[] image, float[] plane, float[] out, int base) {
        int outPlane = output.planeSize();
        int inPlane = input.planeSize();
        for (int c = 0; c < output.channels(); c++) {
            int dst = base + c * outPlane;
            if (c < input.channels()) {
                resizePlane(image, c * inPlane, plane);
            } // else: a 1-channel input repeated; the plane from channel 0 is still there
            float s = scale[c];
            float o = offset[c];
            for (int p = 0; p < outPlane; p++) {
                out[dst + p] = plane[p] * s + o;
            }
        }
    }

    /** Fills {@code plane} with the output-size pixel values (0..255 as floats) of one input channel. */
    private void resizePlane(byte[] image, int src, float[] plane) {
        int inW = input.width();
        int outW = output.width();
        int outH = output.height();
        switch (spec.resize()) {
            case NONE -> {
                for (int p = 0; p < plane.length; p++) {
                    plane[p] = image[src + p] & 0xFF;
                }
            }
            case PAD -> {
                Arrays.fill(plane, 0f);
                for (int y = 0; y < input.height(); y++) {
                    int row = src + y * inW;
                    int dst = (y + padTop) * outW + padLeft;
                    for (int x = 0; x < inW; x++) {
                        plane[dst + x] = image[row + x] & 0xFF;
                    }
                }
            }
            case BILINEAR -> {
                for (int y = 0; y < outH; y++) {
                    int r0 = src + y0[y] * inW;
                    int r1 = src + y1[y] * inW;
                    float fy = wy[y];
                    int dst = y * outW;
                    for (int x = 0; x < outW; x++) {
                        int a = x0[x];
                        int b = x1[x];
                        float fx = wx[x];
                        float top = (image[r0 + a] & 0xFF) + fx * ((image[r0 + b] & 0xFF) - (image[r0 + a] & 0xFF));
                        float bottom = (image[r1 + a] & 0xFF) + fx * ((image[r1 + b] & 0xFF) - (image[r1 + a] & 0xFF));
                        plane[dst + x] = top + fy * (bottom - top);
                    }
                }
            }
        }
    }
}
