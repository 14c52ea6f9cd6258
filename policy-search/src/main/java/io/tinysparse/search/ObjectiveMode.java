package io.tinysparse.search;

import io.tinysparse.core.InvalidInputException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which objectives a search optimises. Internally every searcher minimises the vector returned
 * by {@link #minimised}: negated accuracy, peak SRAM in bytes and, in three dimensions, device
 * seconds per step.
 */
public enum ObjectiveMode {
    /** Maximise accuracy, minimise peak SRAM bytes. */
    ACCURACY_MEMORY(2, "accuracy,memory"),
    /** Maximise accuracy, minimise peak SRAM bytes and on-device seconds per training step. */
    ACCURACY_MEMORY_TIME(3, "accuracy,memory,time");

    /** The objective names {@code --objectives} takes. */
    private static final List<String> NAMES = List.of("accuracy", "memory", "time");

    private final int dimensions;
    private final String id;

    ObjectiveMode(int dimensions, String id) {
        this.dimensions = dimensions;
        this.id = id;
    }

    /** The objectives as users name them ({@code --objectives}), in the order of the minimised vector. */
    public String id() {
        return id;
    }

    /**
     * The mode named by a comma-separated list of objectives, in any order: {@code accuracy,memory}
     * or {@code accuracy,memory,time} (exact names: {@code ACCURACY} is refused).
     *
     * @throws InvalidInputException naming the value for an unknown or repeated name, a list
     *     without accuracy (every search maximises it) or without memory (the SRAM budget is what
     *     the search is about; memory is always an objective)
     */
    public static ObjectiveMode parse(String objectives) {
        if (objectives == null || objectives.isBlank()) {
            throw new InvalidInputException("--objectives is empty: give accuracy,memory or accuracy,memory,time");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String raw : objectives.split(",", -1)) {
            String name = raw.trim(); // exact lower-case names, as --precision, --qas and --criterion take
            if (!NAMES.contains(name)) {
                throw new InvalidInputException("--objectives '" + objectives + "': '" + raw.trim()
                        + "' is not an objective (known: " + String.join(", ", NAMES) + ")");
            }
            if (!names.add(name)) {
                throw new InvalidInputException("--objectives '" + objectives + "' names " + name + " twice");
            }
        }
        if (!names.contains("accuracy")) {
            throw new InvalidInputException("--objectives '" + objectives + "' has no accuracy: every search maximises"
                    + " accuracy (give accuracy,memory or accuracy,memory,time)");
        }
        if (!names.contains("memory")) {
            throw new InvalidInputException("--objectives '" + objectives + "' has no memory: peak SRAM is always an"
                    + " objective (give accuracy,memory or accuracy,memory,time)");
        }
        return names.contains("time") ? ACCURACY_MEMORY_TIME : ACCURACY_MEMORY;
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
