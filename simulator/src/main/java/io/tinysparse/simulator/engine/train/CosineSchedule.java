package io.tinysparse.simulator.engine.train;

import io.tinysparse.core.InvalidInputException;

/**
 * Learning rate per iteration: linear warm-up from {@code base / warmup} to {@code base} over
 * the first {@code warmup} iterations, then a half cosine from {@code base} towards
 * {@code finalRate}, reached one step after the last.
 *
 * @param baseRate          peak learning rate, finite and &gt; 0
 * @param finalRate         where the cosine ends, in {@code [0, baseRate]}
 * @param warmupIterations  iterations of linear warm-up, in {@code [0, totalIterations]}
 * @param totalIterations   iterations of the run, &gt;= 1
 */
public record CosineSchedule(double baseRate, double finalRate, long warmupIterations, long totalIterations) {
    public CosineSchedule {
        if (!(baseRate > 0) || Double.isInfinite(baseRate)) {
            throw new InvalidInputException("learning rate must be finite and > 0, got " + baseRate);
        }
        if (!(finalRate >= 0 && finalRate <= baseRate)) {
            throw new InvalidInputException("final learning rate must be in [0, " + baseRate + "], got " + finalRate);
        }
        if (totalIterations < 1) {
            throw new InvalidInputException("iterations must be >= 1, got " + totalIterations);
        }
        if (warmupIterations < 0 || warmupIterations > totalIterations) {
            throw new InvalidInputException("warm-up iterations must be in [0, " + totalIterations + "], got "
                    + warmupIterations);
        }
    }

    /** The learning rate of iteration {@code t} (0-based). */
    public double rate(long t) {
        if (t < warmupIterations) {
            return baseRate * (t + 1) / warmupIterations;
        }
        // As PyTorch's per-step cosine annealing: the last step still has a (small) positive rate.
        double progress = (double) (t - warmupIterations) / (totalIterations - warmupIterations);
        return finalRate + 0.5 * (baseRate - finalRate) * (1 + Math.cos(Math.PI * Math.min(progress, 1.0)));
    }
}
