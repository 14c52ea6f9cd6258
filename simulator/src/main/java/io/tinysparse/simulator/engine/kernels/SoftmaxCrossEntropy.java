package io.tinysparse.simulator.engine.kernels;

/**
 * Softmax followed by cross-entropy against integer labels, averaged over the batch, and its
 * gradient with respect to the logits ({@code (softmax - onehot) / N}). Exponentials are
 * taken after subtracting the row maximum, and sums are in double.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /**
     * The mean loss; writes {@code dLogits} when it is not null.
     *
     * @param labels    class of each sample, in {@code [0, classes)}
     * @param labelsOff index of the first sample's label in {@code labels}
     */
    public static double lossAndGradient(float[] logits, int[] labels, int labelsOff, int batch, int classes,
            float[] dLogits) {
        return lossAndGradient(logits, labels, labelsOff, batch, classes, dLogits, batch);
    }

    /**
     * The summed loss of the {@code batch} samples divided by {@code meanOver}, and its gradient
     * ({@code (softmax - onehot) / meanOver}): the share of a batch of {@code meanOver} samples
     * that these samples (one shard of it) contribute.
     */
    public static double lossAndGradient(float[] logits, int[] labels, int labelsOff, int batch, int classes,
            float[] dLogits, int meanOver) {
        if (meanOver < batch) {
            throw new IllegalArgumentException("meanOver " + meanOver + " < batch " + batch);
        }
        double total = 0;
        for (int n = 0; n < batch; n++) {
            int o = n * classes;
            int label = labels[labelsOff + n];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " outside [0, " + classes + ")");
            }
            float max = logits[o];
            for (int k = 1; k < classes; k++) {
                max = Math.max(max, logits[o + k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp((double) logits[o + k] - max);
            }
            double logSum = Math.log(sum);
            total += logSum - ((double) logits[o + label] - max);
            if (dLogits != null) {
                for (int k = 0; k < classes; k++) {
                    double p = Math.exp((double) logits[o + k] - max - logSum);
                    dLogits[o + k] = (float) ((p - (k == label ? 1 : 0)) / meanOver);
                }
            }
        }
        return total / meanOver;
    }

    /** Index of the largest logit of sample {@code n} (the first one on ties). */
    public static int argmax(float[] logits, int n, int classes) {
        int best = 0;
        int o = n * classes;
        for (int k = 1; k < classes; k++) {
            if (logits[o + k] > logits[o + best]) {
                best = k;
            }
        }
        return best;
    }
}
