package io.tinysparse.search.driver;

import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Objectives;
import io.tinysparse.search.pareto.ReferencePoint;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.engine.train.SparseTrainer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.policy.TrainingWork;
import java.util.Objects;

/**
 * What a search trades off and the corner of its hypervolume box: accuracy against peak SRAM
 * ({@link ObjectiveMode#ACCURACY_MEMORY}, the default), or also against the estimated device time
 * of one training step ({@link ObjectiveMode#ACCURACY_MEMORY_TIME}).
 *
 * <p>The box spans accuracy 0..1, 0..budget bytes and, in three dimensions, 0..the device time of
 * one <b>dense</b> training step of the model (every convolution's weights and biases and the
 * classifier trained) on the search's device. Device time grows with every bias layer and every
 * channel a policy adds, so no policy of any space is slower than dense: the box holds every
 * policy, and it depends on the model and the device only, so fractions of it compare across
 * spaces and searchers. Device time is exact, like memory: a model of the policy's arithmetic
 * ({@link DeviceProfile#secondsPerStep}), not a measurement.
 *
 * @param mode      the objectives
 * @param reference the hypervolume's reference point; with {@code deviceSeconds} in 3-D mode
 */
public record SearchObjectives(ObjectiveMode mode, ReferencePoint reference) {
    public SearchObjectives {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reference, "reference");
        reference.minimised(mode); // a 3-D mode needs the reference's time
    }

    /** Accuracy against memory, with the budget's reference point. */
    public static SearchObjectives accuracyMemory(MemoryBudget budget) {
        return new SearchObjectives(ObjectiveMode.ACCURACY_MEMORY, budget.reference());
    }

    /**
     * {@code mode} for a search of {@code budget}'s space on {@code device}: the budget's reference
     * point, and in 3-D mode the device time of a dense step (see the class comment; of the slowest
     * backbone in a search over pruned backbones, so the box holds every backbone's policies).
     */
    public static SearchObjectives of(ObjectiveMode mode, MemoryBudget budget, DeviceProfile device) {
        if (mode.dimensions() == 2) {
            return accuracyMemory(budget);
        }
        return new SearchObjectives(mode, ReferencePoint.forBudget(budget.budgetBytes(),
                budget.spaces().all().stream().mapToDouble(s -> denseStepSeconds(s.table(), device)).max()
                        .orElseThrow()));
    }

    /** Estimated device seconds of one dense training step of {@code table}'s model on {@code device}. */
    public static double denseStepSeconds(LayerTable table, DeviceProfile device) {
        return device.secondsPerStep(TrainingWork.of(table, SparseTrainer.densePolicy(table)));
    }

    /** Whether device time is an objective. */
    public boolean hasTime() {
        return mode.dimensions() == 3;
    }

    /** The box's time edge in milliseconds (device time of a dense step), or null in 2-D. */
    public Double timeReferenceMs() {
        return hasTime() ? reference.deviceSeconds() * 1000.0 : null;
    }

    /**
     * What a run scored under these objectives with {@code accuracy} decided on: its accuracy and
     * arena bytes, and in 3-D its device seconds per step. A 2-D search tells exactly what it
     * told before time existed, so its checkpoints and candidates are unchanged.
     */
    public Objectives of(double accuracy, RunOutcome run) {
        return hasTime() ? new Objectives(accuracy, run.arenaBytes(), run.deviceTimeMs() / 1000.0)
                : Objectives.of(accuracy, run.arenaBytes());
    }

    /** The minimised vector of a front member: mean accuracy, bytes and (3-D) device seconds of its runs. */
    double[] vector(double accuracy, RunOutcome run) {
        return mode.minimised(of(accuracy, run));
    }

    /** {@code hypervolume} (in the mode's units: accuracy x bytes [x seconds]) as a fraction of the box. */
    public double boxFraction(double hypervolume) {
        return hypervolume / reference.boxVolume(mode);
    }
}
