package io.tinysparse.simulator.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.train.TrainingConfig;

/**
 * How long and how a run fine-tunes: plain SGD (optionally with momentum) on a cosine
 * learning-rate schedule with linear warm-up, as Lin et al. fine-tune.
 *
 * @param iterations optimisation steps, at least 1
 * @param batchSize samples per step, at least 1 (an MCU uses 1)
 * @param learningRate peak learning rate, &gt; 0
 * @param momentum SGD momentum in [0, 1) (0 = plain SGD, as on the device)
 * @param warmupIterations linear warm-up steps, in [0, iterations)
 * @param evaluations how many times validation accuracy is measured during the run (evenly
 *     spaced, the last at the end), at least 1
 *
 * <p>This is the run's value (part of {@link RunSpec} and so of its run id); the engine is
 * given the {@link TrainingConfig} it maps to ({@link #trainingConfig}), so that the engine
 * does not depend on the run layer.
 */
public record TrainingBudget(
        @JsonProperty("iterations") int iterations,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("momentum") double momentum,
        @JsonProperty("warmup_iterations") int warmupIterations,
        @JsonProperty("evaluations") int evaluations) {

    /** The warm-up a run gets unless told otherwise, in percent of its steps. */
    public static final int DEFAULT_WARMUP_PERCENT = 5;

    /** The default warm-up of a run of {@code iterations} steps: {@value #DEFAULT_WARMUP_PERCENT} % of them, rounded down. */
    public static int defaultWarmup(int iterations) {
        return (int) Math.max(0, (long) iterations * DEFAULT_WARMUP_PERCENT / 100);
    }

    public TrainingBudget {
        if (iterations < 1) {
            throw new InvalidInputException("iterations must be >= 1, got " + iterations);
        }
        if (batchSize < 1) {
            throw new InvalidInputException("batch_size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new InvalidInputException("learning_rate must be > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InvalidInputException("momentum must be in [0, 1), got " + momentum);
        }
        if (warmupIterations < 0 || warmupIterations >= iterations) {
            throw new InvalidInputException("warmup_iterations must be in [0, " + iterations + "), got "
                    + warmupIterations);
        }
        if (evaluations < 1) {
            throw new InvalidInputException("evaluations must be >= 1, got " + evaluations);
        }
    }

    /** The same budget with another number of iterations (warm-up scaled along). */
    public TrainingBudget withIterations(int newIterations) {
        int warm = (int) Math.min(newIterations - 1L, Math.round((double) warmupIterations * newIterations / iterations));
        return new TrainingBudget(newIterations, batchSize, learningRate, momentum, Math.max(0, warm), evaluations);
    }

    /**
     * The engine settings of this budget for a run seeded with {@code seed}: {@code evaluations}
     * become an interval of {@code ceil(iterations / evaluations)} steps; no weight decay.
     */
    public TrainingConfig trainingConfig(long seed) {
        long interval = (iterations + evaluations - 1) / evaluations;
        return new TrainingConfig(iterations, batchSize, learningRate, momentum, 0, warmupIterations, interval,
                TrainingConfig.DEFAULT_EVALUATION_BATCH, seed);
    }
}
