package io.tinysparse.simulator.engine.kernels;

/**
 * Zero padding around a convolution's input, in pixels per side. PyTorch pads the same amount
 * on both sides of an axis ({@link #symmetric}); TensorFlow's and Keras's "same" padding puts
 * the odd pixel of an uneven total after the input ({@link #tfSame}), so a stride-2 3 x 3
 * convolution on an even-sized input pads 0 before and 1 after. Both give
 * {@code ceil(H / stride)} outputs there, but read the input shifted by one pixel, so weights
 * trained under one convention are not faithful under the other.
 *
 * @param top    rows of zeros above the input, &gt;= 0
 * @param bottom rows of zeros below the input, &gt;= 0
 * @param left   columns of zeros left of the input, &gt;= 0
 * @param right  columns of zeros right of the input, &gt;= 0
 */
public record Padding(int top, int bottom, int left, int right) {
    /** No padding. */
    public static final Padding NONE = new Padding(0, 0, 0, 0);

    public Padding {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("padding must be >= 0 on every side, got " + top + "/" + bottom + "/"
                    + left + "/" + right + " (top/bottom/left/right)");
        }
    }

    /** {@code pad} on every side. */
    public static Padding symmetric(int pad) {
        return new Padding(pad, pad, pad, pad);
    }

    /**
     * TensorFlow's "same" padding for a {@code kernel} x {@code kernel} convolution with
     * {@code stride} on an {@code height} x {@code width} input: {@code ceil(size / stride)}
     * outputs per axis, a total of {@code max((out - 1) * stride + kernel - size, 0)} padding,
     * {@code total / 2} of it before the input and the rest after.
     */
    public static Padding tfSame(int kernel, int stride, int height, int width) {
        int h = sameTotal(kernel, stride, height);
        int w = sameTotal(kernel, stride, width);
        return new Padding(h / 2, h - h / 2, w / 2, w - w / 2);
    }

    private static int sameTotal(int kernel, int stride, int size) {
        int out = (size + stride - 1) / stride;
        return Math.max((out - 1) * stride + kernel - size, 0);
    }

    /** Whether every side has the same padding. */
    public boolean isSymmetric() {
        return top == bottom && top == left && top == right;
    }

    /** Whether there is no padding at all. */
    public boolean isNone() {
        return top == 0 && bottom == 0 && left == 0 && right == 0;
    }
}
