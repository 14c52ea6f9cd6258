package io.tinysparse.simulator.calibration;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.run.TrainingBudget;
import java.util.Objects;

/**
 * One budget a calibration trains the reference set at: how many training samples each run
 * gets and how it trains on them.
 *
 * @param name         {@code quick} (the candidate search budget) or {@code converged}
 * @param trainSamples stratified training samples per run, at least 1
 * @param budget       steps, learning rate (or grid), warm start
 */
public record CalibrationBudget(String name, int trainSamples, TrainingBudget budget) {
    /** Name of the candidate search budget. */
    public static final String QUICK = "quick";
    /** Name of the long budget the quick one is compared with. */
    public static final String CONVERGED = "converged";

    public CalibrationBudget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(budget, "budget");
        if (trainSamples < 1) {
            throw new InvalidInputException("training samples of budget " + name + " must be >= 1, got " + trainSamples);
        }
    }
}
