package io.tinysparse.search;

import io.tinysparse.core.InvalidInputException;

/**
 * What an evaluation measured: the quantities a search trades off. Accuracy is maximised, peak
 * SRAM and device time are minimised.
 *
 * @param accuracy      top-1 accuracy as a fraction in [0, 1]
 * @param memoryBytes   peak SRAM of one training step, in bytes, finite and >= 0
 * @param deviceSeconds estimated on-device time of one training step, in seconds, finite and
 *                      >= 0, or {@code null} when not measured (then only 2-objective searches
 *                      can use the result)
 */
public record Objectives(double accuracy, double memoryBytes, Double deviceSeconds) {
    public Objectives {
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new InvalidInputException("accuracy must be a fraction in [0, 1], got " + accuracy);
        }
        if (!(memoryBytes >= 0) || Double.isInfinite(memoryBytes)) {
            throw new InvalidInputException("memoryBytes must be finite and >= 0, got " + memoryBytes);
        }
        if (deviceSeconds != null && (!(deviceSeconds >= 0) || deviceSeconds.isInfinite())) {
            throw new InvalidInputException("deviceSeconds must be finite and >= 0, got " + deviceSeconds);
        }
    }

    /** Accuracy and memory only. */
    public static Objectives of(double accuracy, double memoryBytes) {
        return new Objectives(accuracy, memoryBytes, null);
    }
}
