package io.tinysparse.simulator.run;

import io.tinysparse.simulator.memory.MemoryReport;
import java.util.List;
import java.util.Objects;

/**
 * What one simulated MCU training run measured.
 *
 * @param runId {@link RunSpec#runId()} of {@code spec}
 * @param spec the run
 * @param testAccuracy top-1 accuracy on the test subset after fine-tuning, in [0, 1]
 * @param validationCurve validation accuracy at each evaluation point, in [0, 1]
 * @param lin2022 SRAM of one training step by the Lin et al. 2022 formula
 * @param arena SRAM of one training step by the arena simulation (peak and breakdown)
 * @param budgetBytes the device's SRAM
 * @param feasible whether the arena peak fits the device's SRAM and the model its Flash
 * @param updatedFraction mean fraction of conv weights updated per iteration
 * @param coverage fraction of updatable conv weights changed at least once during the run
 * @param trainMacs multiply-accumulates of one training step at batch 1 (forward of the whole
 *     network plus the sparse backward), as the device would execute it
 * @param deviceTimeMs estimated on-device time of one training step, milliseconds
 * @param wallTimeMs wall-clock time of the simulated run, milliseconds (not part of the result's
 *     identity: it varies between machines)
 * @param learningRate the peak learning rate of the run reported: the budget's only rate, or
 *     the one of its grid selected on validation
 */
public record RunResult(
        String runId,
        RunSpec spec,
        double testAccuracy,
        List<Double> validationCurve,
        MemoryReport lin2022,
        MemoryReport arena,
        long budgetBytes,
        boolean feasible,
        double updatedFraction,
        double coverage,
        long trainMacs,
        double deviceTimeMs,
        double wallTimeMs,
        double learningRate) {

    public RunResult {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(spec, "spec");
        validationCurve = List.copyOf(validationCurve);
    }
}
