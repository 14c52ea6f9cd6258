package io.tinysparse.simulator.engine.train;

import io.tinysparse.core.InvalidInputException;

/**
 * The training budget and optimiser settings of one run.
 *
 * @param iterations          training steps (mini-batches), &gt;= 1 (per-step metrics are kept in
 *                            arrays, so at most about 2^31)
 * @param batchSize           samples per step, &gt;= 1 (1 is what a microcontroller does)
 * @param learningRate        peak learning rate of the cosine schedule, finite, &gt; 0
 * @param momentum            SGD momentum in {@code [0, 1)} (0: plain SGD, no momentum buffer,
 *                            as in Lin et al.'s memory model)
 * @param weightDecay         L2 coefficient added to each computed gradient, &gt;= 0
 * @param warmupIterations    linear warm-up steps, in {@code [0, iterations]}
 * @param evaluationInterval  validation accuracy every this many steps (and after the last);
 *                            0: only after the last
 * @param evaluationBatchSize samples per forward pass when evaluating (speed only: results do
 *                            not depend on it), &gt;= 1
 * @param seed                seed of every random choice of the run (data order, channels)
 * @param linearProbe         fit the classifier by a {@link LinearProbe} on the training samples
 *                            before the first step; null: start from the network's classifier
 * @param runningStatistics   for an unfolded network: normalise training steps with the batch
 *                            norms' running statistics, held fixed (only their scale and shift
 *                            learn), instead of the batch's; ignored for a folded network
 */
public record TrainingConfig(long iterations, int batchSize, double learningRate, double momentum,
        double weightDecay, long warmupIterations, long evaluationInterval, int evaluationBatchSize, long seed,
        LinearProbe linearProbe, boolean runningStatistics) {

    /** Evaluation batch used by {@link #of}. */
    public static final int DEFAULT_EVALUATION_BATCH = 64;

    public TrainingConfig {
        if (iterations < 1 || iterations > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("iterations must be in [1, " + (Integer.MAX_VALUE - 8) + "], got "
                    + iterations);
        }
        if (batchSize < 1) {
            throw new InvalidInputException("batch size must be >= 1, got " + batchSize);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InvalidInputException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new InvalidInputException("weight decay must be finite and >= 0, got " + weightDecay);
        }
        if (evaluationInterval < 0) {
            throw new InvalidInputException("evaluation interval must be >= 0, got " + evaluationInterval);
        }
        if (evaluationBatchSize < 1) {
            throw new InvalidInputException("evaluation batch size must be >= 1, got " + evaluationBatchSize);
        }
        new CosineSchedule(learningRate, 0, warmupIterations, iterations); // validates the rest
    }

    /** Settings without a linear-probe warm start. */
    public TrainingConfig(long iterations, int batchSize, double learningRate, double momentum, double weightDecay,
            long warmupIterations, long evaluationInterval, int evaluationBatchSize, long seed) {
        this(iterations, batchSize, learningRate, momentum, weightDecay, warmupIterations, evaluationInterval,
                evaluationBatchSize, seed, null, false);
    }

    /** Plain SGD (no momentum, no weight decay, no warm-up), evaluated only at the end. */
    public static TrainingConfig of(long iterations, int batchSize, double learningRate, long seed) {
        return new TrainingConfig(iterations, batchSize, learningRate, 0, 0, 0, 0, DEFAULT_EVALUATION_BATCH, seed);
    }

    /** Steps that make {@code epochs} passes over {@code trainSize} samples: {@code ceil(epochs * size / batch)}. */
    public static long iterationsForEpochs(double epochs, int trainSize, int batchSize) {
        if (!(epochs > 0) || Double.isInfinite(epochs)) {
            throw new InvalidInputException("epochs must be finite and > 0, got " + epochs);
        }
        return Math.max(1, (long) Math.ceil(epochs * trainSize / batchSize));
    }

    /** The same settings with another momentum. */
    public TrainingConfig withMomentum(double newMomentum) {
        return new TrainingConfig(iterations, batchSize, learningRate, newMomentum, weightDecay, warmupIterations,
                evaluationInterval, evaluationBatchSize, seed, linearProbe, runningStatistics);
    }

    /** The same settings with another seed. */
    public TrainingConfig withSeed(long newSeed) {
        return new TrainingConfig(iterations, batchSize, learningRate, momentum, weightDecay, warmupIterations,
                evaluationInterval, evaluationBatchSize, newSeed, linearProbe, runningStatistics);
    }

    /** The same settings with another evaluation interval. */
    public TrainingConfig withEvaluationInterval(long interval) {
        return new TrainingConfig(iterations, batchSize, learningRate, momentum, weightDecay, warmupIterations,
                interval, evaluationBatchSize, seed, linearProbe, runningStatistics);
    }

    /** The same settings with another peak learning rate. */
    public TrainingConfig withLearningRate(double rate) {
        return new TrainingConfig(iterations, batchSize, rate, momentum, weightDecay, warmupIterations,
                evaluationInterval, evaluationBatchSize, seed, linearProbe, runningStatistics);
    }

    /** The same settings with batch norms normalised by their running statistics when training (or not). */
    public TrainingConfig withRunningStatistics(boolean on) {
        return new TrainingConfig(iterations, batchSize, learningRate, momentum, weightDecay, warmupIterations,
                evaluationInterval, evaluationBatchSize, seed, linearProbe, on);
    }

    /** The same settings with a linear-probe warm start ({@code null}: none). */
    public TrainingConfig withLinearProbe(LinearProbe probe) {
        return new TrainingConfig(iterations, batchSize, learningRate, momentum, weightDecay, warmupIterations,
                evaluationInterval, evaluationBatchSize, seed, probe, runningStatistics);
    }

    /** The learning-rate schedule: cosine to 0 after the warm-up. */
    public CosineSchedule schedule() {
        return new CosineSchedule(learningRate, 0, warmupIterations, iterations);
    }
}
