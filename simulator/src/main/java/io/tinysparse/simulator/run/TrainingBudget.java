package io.tinysparse.simulator.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.train.LinearProbe;
import io.tinysparse.simulator.engine.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;

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
 * @param learningRateGrid further peak learning rates to try besides {@code learningRate}
 *     (each &gt; 0, distinct, none equal to it): the run is trained once per rate and the one with
 *     the best final validation accuracy is kept (ties: the earlier rate, {@code learningRate}
 *     first), so no policy class is handicapped by a rate chosen for another; the test split
 *     plays no part. Empty: {@code learningRate} alone (absent from the JSON, so budgets stored
 *     before it keep their run ids)
 * @param linearProbe fit the classifier by this linear probe on the training samples before
 *     fine-tuning ({@link LinearProbe}); null: start from the backbone's classifier (absent from
 *     the JSON, as for the grid)
 * @param runningStatistics for a backbone fine-tuned with its batch norms unfolded: normalise
 *     with their running statistics, held fixed, rather than the batch's (a batch of one sample
 *     estimates them badly); false (absent from the JSON): the batch's. A folded backbone (every
 *     run of a search) has no batch norms, and its evaluator refuses true
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
        @JsonProperty("evaluations") int evaluations,
        @JsonProperty("learning_rate_grid") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Double> learningRateGrid,
        @JsonProperty("linear_probe") @JsonInclude(JsonInclude.Include.NON_NULL) LinearProbe linearProbe,
        @JsonProperty("running_statistics") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean runningStatistics) {

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
        if (evaluations < 1 || evaluations > iterations) {
            throw new InvalidInputException("evaluations must be in [1, " + iterations + "] (at most one per step),"
                    + " got " + evaluations);
        }
        learningRateGrid = learningRateGrid == null ? List.of() : List.copyOf(learningRateGrid);
        List<Double> seen = new ArrayList<>(List.of(learningRate));
        for (double r : learningRateGrid) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new InvalidInputException("learning_rate_grid rates must be > 0, got " + r);
            }
            if (seen.contains(r)) {
                throw new InvalidInputException("learning rate " + r + " is given twice (learning_rate and"
                        + " learning_rate_grid)");
            }
            seen.add(r);
        }
    }

    /** Plain SGD with one learning rate and the backbone's classifier to start from. */
    public TrainingBudget(int iterations, int batchSize, double learningRate, double momentum, int warmupIterations,
            int evaluations) {
        this(iterations, batchSize, learningRate, momentum, warmupIterations, evaluations, List.of(), null, false);
    }

    /** The candidate peak learning rates, {@code learningRate} first. */
    @JsonIgnore
    public List<Double> learningRates() {
        List<Double> all = new ArrayList<>(List.of(learningRate));
        all.addAll(learningRateGrid);
        return List.copyOf(all);
    }

    /** The same budget with {@code grid} as the further learning rates. */
    public TrainingBudget withLearningRateGrid(List<Double> grid) {
        return new TrainingBudget(iterations, batchSize, learningRate, momentum, warmupIterations, evaluations, grid,
                linearProbe, runningStatistics);
    }

    /** The same budget with batch norms normalised by their running statistics when training (or not). */
    public TrainingBudget withRunningStatistics(boolean on) {
        return new TrainingBudget(iterations, batchSize, learningRate, momentum, warmupIterations, evaluations,
                learningRateGrid, linearProbe, on);
    }

    /** The same budget with a linear-probe warm start ({@code null}: none). */
    public TrainingBudget withLinearProbe(LinearProbe probe) {
        return new TrainingBudget(iterations, batchSize, learningRate, momentum, warmupIterations, evaluations,
                learningRateGrid, probe, runningStatistics);
    }

    /** The same budget with another number of iterations (warm-up scaled along). */
    public TrainingBudget withIterations(int newIterations) {
        int warm = (int) Math.min(newIterations - 1L, Math.round((double) warmupIterations * newIterations / iterations));
        return new TrainingBudget(newIterations, batchSize, learningRate, momentum, Math.max(0, warm), evaluations,
                learningRateGrid, linearProbe, runningStatistics);
    }

    /**
     * The engine settings of this budget for a run seeded with {@code seed}, at
     * {@code learningRate} (a grid's other rates: {@link TrainingConfig#withLearningRate}):
     * {@code evaluations} become an interval of {@code ceil(iterations / evaluations)} steps; no
     * weight decay.
     */
    public TrainingConfig trainingConfig(long seed) {
        long interval = (iterations + evaluations - 1) / evaluations;
        return new TrainingConfig(iterations, batchSize, learningRate, momentum, 0, warmupIterations, interval,
                TrainingConfig.DEFAULT_EVALUATION_BATCH, seed, linearProbe, runningStatistics);
    }
}
