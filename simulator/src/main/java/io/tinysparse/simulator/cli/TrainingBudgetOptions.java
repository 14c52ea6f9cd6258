package io.tinysparse.simulator.cli;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.OptionRange;
import io.tinysparse.simulator.engine.train.LinearProbe;
import io.tinysparse.simulator.run.TrainingBudget;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How long and how fast every command that fine-tunes trains a run
 * ({@code @Mixin TrainingBudgetOptions training;}), as a {@link TrainingBudget}. Each default is
 * declared here and nowhere else; the warm-up rule is {@link TrainingBudget#defaultWarmup}'s.
 * Batch size and momentum are not here: a search trains as the device does (batch 1, plain SGD),
 * {@code run} has its own options for them. Each value is checked as it is set
 * ({@link OptionRange}: a negative, zero or NaN value where it means nothing is bad input naming
 * the option); {@code --warmup} against the steps when the budget is made.
 */
public final class TrainingBudgetOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "600",
            description = "Training steps per run (default: ${DEFAULT-VALUE}).")
    void iterations(int n) {
        iterations = OptionRange.atLeast(command, "--iterations", n, 1);
    }

    int iterations;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "0.05",
            description = "Peak learning rate of the cosine schedule (default: ${DEFAULT-VALUE}).")
    void lr(double x) {
        lr = OptionRange.positive(command, "--lr", x);
    }

    double lr;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Linear warm-up steps (default: " + TrainingBudget.DEFAULT_WARMUP_PERCENT
                    + " %% of the steps, rounded down).")
    void warmup(Integer n) {
        warmup = n == null ? null : OptionRange.atLeast(command, "--warmup", n, 0);
    }

    Integer warmup;

    @Option(names = "--evaluations", paramLabel = "N", defaultValue = "2",
            description = "Validation points along a run, evenly spaced, the last at the end (default: ${DEFAULT-VALUE}).")
    void evaluations(int n) {
        evaluations = OptionRange.atLeast(command, "--evaluations", n, 1);
    }

    int evaluations;

    @Option(names = "--lr-grid", paramLabel = "X,...", split = ",",
            description = "Further peak learning rates: each run is trained at each and the one best on validation is"
                    + " kept (default: none).")
    List<Double> lrGrid = new ArrayList<>();

    @Option(names = "--linear-probe", paramLabel = "ITERATIONS", defaultValue = "0",
            description = "Fit the classifier on the frozen features of the training samples first (a linear probe"
                    + " warm start), with this many gradient steps (default: ${DEFAULT-VALUE}, none).")
    void probeIterations(int n) {
        probeIterations = OptionRange.atLeast(command, "--linear-probe", n, 0);
    }

    int probeIterations;

    @Option(names = "--probe-l2", paramLabel = "X", defaultValue = "1e-4",
            description = "L2 penalty of the linear probe (default: ${DEFAULT-VALUE}).")
    void probeL2(double x) {
        probeL2 = OptionRange.nonNegative(command, "--probe-l2", x);
    }

    double probeL2;

    /** The budget of a run as the device trains it: {@code --iterations} steps of batch 1, plain SGD. */
    public TrainingBudget budget() {
        return budget(iterations, 1, 0);
    }

    /** The budget of {@code steps} steps of {@code batch} samples, SGD with {@code momentum}, and these options' rest. */
    public TrainingBudget budget(int steps, int batch, double momentum) {
        for (double r : lrGrid) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new InvalidInputException("--lr-grid " + r + " must be a finite number > 0");
            }
        }
        if (warmup != null && warmup >= steps) {
            throw new InvalidInputException("--warmup " + warmup + " must be less than the " + steps + " training steps");
        }
        return new TrainingBudget(steps, batch, lr, momentum, warmup != null ? warmup : TrainingBudget.defaultWarmup(steps),
                evaluations, lrGrid, probeIterations == 0 ? null : new LinearProbe(probeIterations, probeL2), false);
    }

    /** The steps per run. */
    public int iterations() {
        return iterations;
    }

    /** Whether {@code --iterations} was given on the command line (a command's alternative to it gives way then). */
    public boolean iterationsGiven() {
        return command.commandLine().getParseResult().hasMatchedOption("--iterations");
    }
}
