package io.tinysparse.simulator.memory;

import io.tinysparse.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a buffer in SRAM holds during a training step. Each kind has a precision (bits per
 * element) set by {@link BufferPrecision}; the default is given with each constant.
 */
public enum BufferKind {
    /** Forward activations, the input image included (default 8 bit: int8 inference). */
    ACTIVATION(8),
    /** Input channels of a weight-updated layer kept for its weight gradient (default 8 bit). */
    SAVED_INPUT(8),
    /** 1-bit masks of where the ReLU6/int8 clamp passed the gradient (default 1 bit). */
    RELU_MASK(1),
    /**
     * Gradient of the loss w.r.t. an activation, flowing back (default 32 bit: tiny-training
     * computes gradients in floating point; its {@code quantize_gradient} defaults to 0).
     */
    ACTIVATION_GRADIENT(32),
    /** Gradient of one layer's trained weights and biases, freed by its in-place update (default 32 bit). */
    PARAM_GRADIENT(32),
    /** Trained convolution weights, resident in SRAM for the whole run (default 8 bit). */
    TRAINABLE_WEIGHTS(8),
    /** Trained convolution biases, resident in SRAM (default 32 bit). */
    TRAINABLE_BIASES(32),
    /** The trained classifier's weights and biases, resident in SRAM (default 32 bit: tiny-training's fp head). */
    CLASSIFIER(32),
    /** SGD momentum of every trained parameter, when momentum is on (default 32 bit). */
    MOMENTUM(32),
    /**
     * Scratch of an in-place depthwise convolution: one channel plane, at the precision of the
     * tensor it buffers (not configurable).
     */
    WORKSPACE(0);

    private final int defaultBits;

    BufferKind(int defaultBits) {
        this.defaultBits = defaultBits;
    }

    /** Default bits per element in the arena model (0 for {@link #WORKSPACE}, which follows its tensor). */
    public int defaultBits() {
        return defaultBits;
    }

    /** Lower-case name with dashes, used in JSON and on command lines ({@code saved-input}). */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses {@link #jsonName()} (or the constant name), case-insensitive.
     *
     * @throws InvalidInputException naming the value and the known names
     */
    public static BufferKind parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (BufferKind k : values()) {
            if (k.jsonName().equals(n)) {
                return k;
            }
        }
        throw new InvalidInputException("unknown buffer kind '" + name + "' (known: "
                + Arrays.stream(values()).map(BufferKind::jsonName).collect(Collectors.joining(", ")) + ")");
    }
}
