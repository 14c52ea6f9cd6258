package io.tinysparse.simulator.engine.selection;

import io.tinysparse.core.random.SplitMix64;
import java.util.Arrays;

/**
 * Importance sampling from the gradients actually computed (MeDyate-style re-sampling): every
 * {@code period} iterations, {@code count} channels are drawn without replacement with
 * probability
 * <pre>{@code q_c = (1 - FLOOR) * softmax(score / temperature)_c + FLOOR / channels}</pre>
 * where {@code score_c = ln(ema_c)} and {@code ema_c} is an exponential moving average
 * ({@link #DECAY}) of the mean squared weight gradient of channel {@code c}'s slice, updated
 * only when {@code c} was selected (no dense gradient is ever computed). So temperature 1
 * samples proportionally to the squared-gradient estimate; lower is greedier, higher closer to
 * uniform. A channel never observed yet scores like the best observed one (optimism, so every
 * channel gets a first look); before any observation the draw is uniform. The floor keeps
 * every channel's probability at least {@code FLOOR / channels}, so stale estimates get
 * refreshed. Sampling without replacement uses Efraimidis-Spirakis keys {@code ln(u) / q_c}.
 */
public final class ImportanceSelector extends PeriodicSelector {
    /** Weight of the previous estimate in the moving average. */
    static final double DECAY = 0.9;
    /** Probability mass spread uniformly over all channels. */
    static final double FLOOR = 0.1;

    private final double temperature;
    private final SplitMix64 random;
    private final double[] ema;
    private final boolean[] seen;
    private final double[] keys;
    private final double[] sortedKeys;
    private final double[] probability;

    /**
     * {@code count} of {@code channels} channels, re-sampled from {@code random} every {@code period}
     * iterations at softmax temperature {@code temperature} (finite, &gt; 0).
     */
    public ImportanceSelector(int channels, int count, int period, double temperature, SplitMix64 random) {
        super(channels, count, period);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        this.temperature = temperature;
        this.random = random;
        this.ema = new double[channels];
        this.seen = new boolean[channels];
        this.keys = new double[channels];
        this.sortedKeys = new double[channels];
        this.probability = new double[channels];
    }

    @Override
    public boolean wantsFeedback() {
        return true;
    }

    @Override
    public void observe(int[] selected, int n, float[] gradient, int sliceSize) {
        for (int j = 0; j < n; j++) {
            double sq = 0;
            for (int i = j * sliceSize, end = i + sliceSize; i < end; i++) {
                sq += (double) gradient[i] * gradient[i];
            }
            sq /= sliceSize;
            int c = selected[j];
            ema[c] = seen[c] ? DECAY * ema[c] + (1 - DECAY) * sq : sq;
            seen[c] = true;
        }
    }

    /** Current sampling probability of each channel (a copy, for tests and diagnostics). */
    double[] probabilities() {
        updateProbabilities();
        return probability.clone();
    }

    private void updateProbabilities() {
        double[] score = keys; // scratch: resample() overwrites keys afterwards
        double[] p = probability;
        double best = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < channels; c++) {
            if (seen[c]) {
                score[c] = Math.log(Math.max(ema[c], Double.MIN_NORMAL)) / temperature;
                best = Math.max(best, score[c]);
            }
        }
        if (best == Double.NEGATIVE_INFINITY) {
            best = 0;
        }
        double sum = 0;
        for (int c = 0; c < channels; c++) {
            p[c] = Math.exp((seen[c] ? score[c] : best) - best);
            sum += p[c];
        }
        for (int c = 0; c < channels; c++) {
            p[c] = (1 - FLOOR) * p[c] / sum + FLOOR / channels;
        }
    }

    @Override
    void choose(long window, int[] current) {
        updateProbabilities();
        double[] p = probability;
        for (int c = 0; c < channels; c++) {
            double u = 1.0 - random.nextDouble(); // in (0, 1]
            keys[c] = -Math.log(u) / p[c]; // the negated key: smallest wins
        }
        System.arraycopy(keys, 0, sortedKeys, 0, channels);
        Arrays.sort(sortedKeys);
        double threshold = sortedKeys[count - 1];
        int n = 0;
        for (int c = 0; c < channels; c++) {
            if (keys[c] < threshold) {
                current[n++] = c;
            }
        }
        // Ties at the threshold (measure zero) go to the lower channel indices, for determinism.
        for (int c = 0; c < channels && n < count; c++) {
            if (keys[c] == threshold) {
                current[n++] = c;
            }
        }
        Arrays.sort(current, 0, count);
    }
}
