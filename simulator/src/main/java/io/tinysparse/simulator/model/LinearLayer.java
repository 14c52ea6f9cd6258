package io.tinysparse.simulator.model;

import io.tinysparse.core.InvalidInputException;

/**
 * The classifier: a fully connected layer on the globally average-pooled features.
 *
 * @param inFeatures  features read (channels of the last convolution)
 * @param outFeatures classes
 */
public record LinearLayer(int inFeatures, int outFeatures) {
    public LinearLayer {
        if (inFeatures <= 0) {
            throw new InvalidInputException("inFeatures must be > 0, got " + inFeatures);
        }
        if (outFeatures <= 0) {
            throw new InvalidInputException("outFeatures must be > 0, got " + outFeatures);
        }
    }

    /** Number of weights: {@code in * out}. */
    public long weightCount() {
        return (long) inFeatures * outFeatures;
    }

    /** Parameters: weights plus {@code out} biases. */
    public long params() {
        return weightCount() + outFeatures;
    }

    /** Multiply-accumulates of the forward pass. */
    public long macs() {
        return weightCount();
    }
}
