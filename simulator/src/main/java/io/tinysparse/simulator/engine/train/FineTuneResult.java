package io.tinysparse.simulator.engine.train;

import io.tinysparse.simulator.engine.StepCost;
import java.util.List;

/**
 * What one fine-tuning run measured.
 *
 * @param testAccuracy          top-1 accuracy on the test samples after the last step, in [0, 1]
 * @param validationCurve       validation accuracy after every evaluation interval and after
 *                              the last step (empty without validation samples)
 * @param trainLoss             mean cross-entropy of each step's batch, before its update
 * @param updatedWeightFraction per step: conv weights updated over all conv weights
 * @param coverage              conv weights of the policy's weight layers updated at least once,
 *                              over all weights of those layers (0 when it has none)
 * @param touchedWeightFraction conv weights updated at least once over all conv weights
 * @param stepCost              multiply-accumulates of one step for one sample on a device
 *                              (full forward, sparse backward)
 * @param cutLayer              the frozen prefix's cut (first layer run in every step)
 * @param trainNanos            wall time of the training steps, data copies included
 * @param evaluationNanos       wall time of validation and test evaluations
 */
public record FineTuneResult(double testAccuracy, List<CurvePoint> validationCurve, float[] trainLoss,
        float[] updatedWeightFraction, double coverage, double touchedWeightFraction, StepCost stepCost,
        int cutLayer, long trainNanos, long evaluationNanos) {

    /**
     * One point of the validation curve.
     *
     * @param iteration steps done when it was measured
     * @param accuracy  top-1 accuracy in [0, 1]
     */
    public record CurvePoint(long iteration, double accuracy) {}

    public FineTuneResult {
        validationCurve = List.copyOf(validationCurve);
        trainLoss = trainLoss.clone();
        updatedWeightFraction = updatedWeightFraction.clone();
    }

    /** Steps run. */
    public int iterations() {
        return trainLoss.length;
    }

    /** The last validation accuracy, or NaN without validation samples. */
    public double finalValidationAccuracy() {
        return validationCurve.isEmpty() ? Double.NaN : validationCurve.get(validationCurve.size() - 1).accuracy();
    }

    /** Mean updated-weight fraction over the steps. */
    public double meanUpdatedWeightFraction() {
        double s = 0;
        for (float f : updatedWeightFraction) {
            s += f;
        }
        return s / updatedWeightFraction.length;
    }
}
