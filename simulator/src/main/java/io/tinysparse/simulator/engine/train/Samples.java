package io.tinysparse.simulator.engine.train;

import io.tinysparse.core.InvalidInputException;

/**
 * Labelled float tensors held in memory: {@code count} samples of {@code C x H x W} values,
 * NCHW, and one class label each. They are either images ({@code layer == 0}) or the
 * activations entering convolution {@code layer} (a frozen prefix's output, see
 * {@link FrozenPrefix}).
 *
 * <p>The arrays are shared, not copied (they can be large); treat them as read-only.
 *
 * @param values   {@code count * channels * height * width} values
 * @param labels   one label per sample, in {@code [0, classes)} of the network it is used with
 * @param channels C
 * @param height   H
 * @param width    W
 * @param layer    the convolution these tensors enter (0: images)
 */
public record Samples(float[] values, int[] labels, int channels, int height, int width, int layer) {
    public Samples {
        if (channels < 1 || height < 1 || width < 1) {
            throw new InvalidInputException("sample shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (layer < 0) {
            throw new InvalidInputException("layer must be >= 0, got " + layer);
        }
        if ((long) labels.length * channels * height * width != values.length) {
            throw new InvalidInputException(labels.length + " labels of " + channels + "x" + height + "x" + width
                    + " samples need " + (long) labels.length * channels * height * width + " values, got "
                    + values.length);
        }
    }

    /** Number of samples. */
    public int count() {
        return labels.length;
    }

    /** Values per sample, {@code C * H * W}. */
    public int sampleSize() {
        return channels * height * width;
    }
}
