package io.tinysparse.search.pareto;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.ObjectiveMode;

/**
 * The corner against which hypervolume is measured: the worst values still worth anything.
 * It follows from the search's constraint: accuracy 0, peak SRAM equal to the memory budget
 * (a policy that does not fit is worth nothing), and, in three dimensions, the largest
 * acceptable on-device seconds per training step.
 *
 * @param accuracy      fraction in [0, 1), normally 0
 * @param memoryBytes   the SRAM budget in bytes, positive
 * @param deviceSeconds time limit per step in seconds (positive), or {@code null} for 2-D use
 */
public record ReferencePoint(double accuracy, double memoryBytes, Double deviceSeconds) {
    public ReferencePoint {
        if (!(accuracy >= 0 && accuracy < 1)) {
            throw new InvalidInputException("reference accuracy must be in [0, 1), got " + accuracy);
        }
        if (!(memoryBytes > 0) || Double.isInfinite(memoryBytes)) {
            throw new InvalidInputException("reference memoryBytes must be finite and > 0, got " + memoryBytes);
        }
        if (deviceSeconds != null && (!(deviceSeconds > 0) || deviceSeconds.isInfinite())) {
            throw new InvalidInputException("reference deviceSeconds must be finite and > 0, got " + deviceSeconds);
        }
    }

    /** Accuracy 0 and the memory budget: the 2-D reference point. */
    public static ReferencePoint forBudget(double budgetBytes) {
        return new ReferencePoint(0, budgetBytes, null);
    }

    /** Accuracy 0, the memory budget and a time limit per step: the 3-D reference point. */
    public static ReferencePoint forBudget(double budgetBytes, double maxDeviceSeconds) {
        return new ReferencePoint(0, budgetBytes, maxDeviceSeconds);
    }

    /** As a minimised vector in the layout of {@link ObjectiveMode#minimised}. */
    public double[] minimised(ObjectiveMode mode) {
        if (mode.dimensions() == 2) {
            return new double[] {-accuracy, memoryBytes};
        }
        if (deviceSeconds == null) {
            throw new InvalidInputException("objective mode " + mode + " needs a reference deviceSeconds");
        }
        return new double[] {-accuracy, memoryBytes, deviceSeconds};
    }

    /**
     * Volume of the box between the reference point and the ideal point (accuracy 1, zero bytes,
     * zero seconds): the largest hypervolume possible, used to normalise to [0, 1].
     */
    public double boxVolume(ObjectiveMode mode) {
        double v = (1 - accuracy) * memoryBytes;
        return mode.dimensions() == 2 ? v : v * minimised(mode)[2];
    }
}
