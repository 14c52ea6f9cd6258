package io.tinysparse.simulator.pretrain;

import io.tinysparse.datasets.transform.TransformSpec;
import io.tinysparse.simulator.engine.Network;
import java.util.List;

/**
 * The outcome of {@link Pretrainer#run}: the trained, unfolded network (batch norm with its
 * running statistics) and how training went.
 *
 * @param network           the pretrained network, unfolded; fold it before fine-tuning
 * @param lossCurve         mean training loss over consecutive windows of steps, in order
 * @param heldOutAccuracy   top-1 accuracy on the held-out images, in {@code [0, 1]}, with the
 *                          running batch-norm statistics (inference mode)
 * @param iterations        training steps taken
 * @param inputTransform    how images were made into the network's input (resize, channels,
 *                          the normalisation by the training images' mean and std)
 * @param trainNanos        wall time of the training steps, nanoseconds
 * @param evalNanos         wall time of the held-out evaluation, nanoseconds
 * @param threads           threads that shared the steps, &gt;= 1 (the times depend on it, the
 *                          network does not)
 */
public record PretrainResult(Network network, List<LossPoint> lossCurve, double heldOutAccuracy, long iterations,
        TransformSpec inputTransform, long trainNanos, long evalNanos, int threads) {

    /**
     * The mean training loss of steps {@code (step - steps, step]}.
     *
     * @param step     the last step of the window (1-based count of steps done)
     * @param steps    steps in the window, &gt;= 1
     * @param meanLoss mean softmax cross-entropy of those steps' batches (before each update)
     */
    public record LossPoint(long step, long steps, double meanLoss) {}

    public PretrainResult {
        lossCurve = List.copyOf(lossCurve);
    }

    /** The mean loss of the last window (the final training loss). */
    public double finalTrainLoss() {
        return lossCurve.get(lossCurve.size() - 1).meanLoss();
    }

}
