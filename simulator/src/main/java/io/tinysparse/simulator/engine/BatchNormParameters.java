package io.tinysparse.simulator.engine;

import java.util.Arrays;

/**
 * The batch-norm parameters after one convolution: scale {@code gamma}, shift {@code beta}
 * (trained) and the running mean and variance (tracked), one value per output channel.
 *
 * <p>The arrays are live: trainers update them in place. Initial values are PyTorch's
 * ({@code gamma = 1, beta = 0, mean = 0, var = 1}).
 */
public final class BatchNormParameters {
    private final float[] gamma;
    private final float[] beta;
    private final float[] runningMean;
    private final float[] runningVar;

    /** Fresh parameters for {@code channels} channels. */
    public BatchNormParameters(int channels) {
        this(filled(channels, 1f), new float[channels], new float[channels], filled(channels, 1f));
    }

    /** Wraps the given arrays (not copied); all must have the same length. */
    public BatchNormParameters(float[] gamma, float[] beta, float[] runningMean, float[] runningVar) {
        int c = gamma.length;
        if (beta.length != c || runningMean.length != c || runningVar.length != c) {
            throw new IllegalArgumentException("batch-norm arrays differ in length: " + c + ", " + beta.length + ", "
                    + runningMean.length + ", " + runningVar.length);
        }
        this.gamma = gamma;
        this.beta = beta;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    /** Number of channels. */
    public int channels() {
        return gamma.length;
    }

    /** Scale per channel (live). */
    public float[] gamma() {
        return gamma;
    }

    /** Shift per channel (live). */
    public float[] beta() {
        return beta;
    }

    /** Running mean per channel (live). */
    public float[] runningMean() {
        return runningMean;
    }

    /** Running (unbiased) variance per channel (live). */
    public float[] runningVar() {
        return runningVar;
    }

    /** A deep copy. */
    public BatchNormParameters copy() {
        return new BatchNormParameters(gamma.clone(), beta.clone(), runningMean.clone(), runningVar.clone());
    }
}
