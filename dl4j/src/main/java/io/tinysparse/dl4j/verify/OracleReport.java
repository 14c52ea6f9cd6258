package io.tinysparse.dl4j.verify;

import java.util.Comparator;
import java.util.List;

/**
 * The outcome of comparing the engine's loss and gradients with a reference implementation on
 * the same weights and batch.
 *
 * @param engineLoss     the engine's mean cross-entropy (float32 computation)
 * @param referenceLoss  the reference's (float64)
 * @param maskDisagreements ReLU6 elements that the two put on different sides of a kink (0 or
 *                       6) because of rounding; where there are any, gradients legitimately
 *                       differ and the comparison should be repeated on another batch
 * @param tensors        one entry per gradient tensor the request produced
 */
public record OracleReport(double engineLoss, double referenceLoss, int maskDisagreements,
        List<TensorDifference> tensors) {
    public OracleReport {
        tensors = List.copyOf(tensors);
    }

    /** {@code |engineLoss - referenceLoss| / |referenceLoss|}. */
    public double lossRelativeDifference() {
        return Math.abs(engineLoss - referenceLoss) / Math.max(Math.abs(referenceLoss), Double.MIN_NORMAL);
    }

    /** The tensor with the largest relative difference, or null if no gradient was compared. */
    public TensorDifference worstTensor() {
        return tensors.stream().max(Comparator.comparingDouble(TensorDifference::relativeDifference)).orElse(null);
    }

    /** The largest relative difference over the loss and every tensor. */
    public double worstRelativeDifference() {
        TensorDifference w = worstTensor();
        return Math.max(lossRelativeDifference(), w == null ? 0 : w.relativeDifference());
    }
}
