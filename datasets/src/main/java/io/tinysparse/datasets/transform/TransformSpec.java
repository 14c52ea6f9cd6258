package io.tinysparse.datasets.transform;

import io.tinysparse.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * What turns a uint8 image into the model's float input: the target resolution, how to reach
 * it, the number of output channels, and a per-channel normalisation.
 *
 * <p>An output value is {@code (p / 255 - mean[c]) / std[c]}, where {@code p} is the (resized or
 * padded) pixel value in 0..255 and {@code c} the output channel. A single-channel image becomes
 * any number of channels by repeating its plane (grey to RGB), each normalised with its own
 * mean and std; otherwise the output has the input's channel count.
 *
 * <p>Immutable: the mean and std arrays are copied in and out. {@link #canonical()} is a stable
 * text form for cache keys.
 *
 * @param height output height in pixels, at least 1
 * @param width output width in pixels, at least 1
 * @param resize how to reach {@code height x width}
 * @param channels output channels, at least 1; equal to the input's unless the input has 1
 * @param mean per-output-channel mean on the [0, 1] scale, {@code channels} values
 * @param std per-output-channel standard deviation on the [0, 1] scale, {@code channels} positive values
 */
public record TransformSpec(int height, int width, ResizeMode resize, int channels, double[] mean, double[] std) {
    /** MNIST's training-set pixel mean and standard deviation on the [0, 1] scale. */
    public static final double MNIST_MEAN = 0.1307;
    /** See {@link #MNIST_MEAN}. */
    public static final double MNIST_STD = 0.3081;

    public TransformSpec {
        if (height < 1 || width < 1) {
            throw new InvalidInputException("transform size must be at least 1x1, got " + height + "x" + width);
        }
        Objects.requireNonNull(resize, "resize");
        if (channels < 1) {
            throw new InvalidInputException("transform channels must be at least 1, got " + channels);
        }
        mean = perChannel("mean", mean, channels).clone();
        std = perChannel("std", std, channels).clone();
        for (int c = 0; c < channels; c++) {
            if (!Double.isFinite(mean[c])) {
                throw new InvalidInputException("mean of channel " + c + " must be finite, got " + mean[c]);
            }
            if (!(std[c] > 0) || !Double.isFinite(std[c])) {
                throw new InvalidInputException("std of channel " + c + " must be positive, got " + std[c]);
            }
        }
    }

    private static double[] perChannel(String field, double[] values, int channels) {
        Objects.requireNonNull(values, field);
        if (values.length != channels) {
            throw new InvalidInputException(field + " needs one value per output channel (" + channels
                    + "), got " + values.length);
        }
        return values;
    }

    /** Pixels scaled to [0, 1] (mean 0, std 1 on every channel), no other normalisation. */
    public static TransformSpec unitScale(int height, int width, ResizeMode resize, int channels) {
        double[] zero = new double[channels];
        double[] one = new double[channels];
        Arrays.fill(one, 1.0);
        return new TransformSpec(height, width, resize, channels, zero, one);
    }

    /** The same with every channel normalised by the same {@code mean} and {@code std}. */
    public TransformSpec withNormalisation(double mean, double std) {
        double[] m = new double[channels];
        double[] s = new double[channels];
        Arrays.fill(m, mean);
        Arrays.fill(s, std);
        return new TransformSpec(height, width, resize, channels, m, s);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /**
     * A stable, complete text form, e.g.
     * {@code resize=BILINEAR;size=32x32;channels=3;mean=0.1307,0.1307,0.1307;std=0.3081,0.3081,0.3081}:
     * equal specs give equal strings, so it can be part of a cache key.
     */
    public String canonical() {
        return "resize=" + resize + ";size=" + height + "x" + width + ";channels=" + channels
                + ";mean=" + join(mean) + ";std=" + join(std);
    }

    /**
     * The spec whose {@link #canonical()} text is {@code text}; bad input naming the text if it is
     * not one.
     */
    public static TransformSpec fromCanonical(String text) {
        java.util.Map<String, String> parts = new java.util.HashMap<>();
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 1) {
                throw new InvalidInputException("not a transform: '" + text + "'");
            }
            parts.put(part.substring(0, eq), part.substring(eq + 1));
        }
        try {
            String[] size = parts.get("size").split("x");
            return new TransformSpec(Integer.parseInt(size[0]), Integer.parseInt(size[1]),
                    ResizeMode.valueOf(parts.get("resize")), Integer.parseInt(parts.get("channels")),
                    parseList(parts.get("mean")), parseList(parts.get("std")));
        } catch (RuntimeException e) {
            if (e instanceof InvalidInputException bad) {
                throw bad;
            }
            throw new InvalidInputException("not a transform: '" + text + "'", e);
        }
    }

    private static double[] parseList(String values) {
        return Arrays.stream(values.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static String join(double[] values) {
        StringJoiner j = new StringJoiner(",");
        for (double v : values) {
            j.add(Double.toString(v).toLowerCase(Locale.ROOT));
        }
        return j.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformSpec t && height == t.height && width == t.width && resize == t.resize
                && channels == t.channels && Arrays.equals(mean, t.mean) && Arrays.equals(std, t.std);
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    @Override
    public String toString() {
        return "TransformSpec[" + canonical() + "]";
    }
}
