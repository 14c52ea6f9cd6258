package io.tinysparse.search;

import io.tinysparse.core.InvalidInputException;

/**
 * Which objectives a search optimises. Internally every searcher minimises the vector returned
 * by {@link #minimised}: negated accuracy, peak SRAM in bytes and, in three dimensions, device
 * seconds per step.
 */
public enum ObjectiveMode {
    /** Maximise accuracy, minimise peak SRAM bytes. */
    ACCURACY_MEMORY(2),
    /** Maximise accuracy, minimise peak SRAM bytes and on-device seconds per training step. */
    ACCURACY_MEMORY_TIME(3);

    private final int dimensions;

    ObjectiveMode(int dimensions) {
        this.dimensions = dimensions;
    }

    /** Number of objectives. */
    public int dimensions() {
        return dimensions;
    }

    /**
     * The objectives as a vector to minimise: {@code {-accuracy, memoryBytes[, deviceSeconds]}}.
     *
     * @throws InvalidInputException in 3-D mode when device seconds were not measured
     */
    public double[] minimised(Objectives o) {
        if (dimensions == 2) {
            return new double[] {-o.accuracy(), o.memoryBytes()};
        }
        if (o.deviceSeconds() == null) {
            throw new InvalidInputException("objective mode " + this + " needs deviceSeconds, got null");
        }
        return new double[] {-o.accuracy(), o.memoryBytes(), o.deviceSeconds()};
    }
}
