package io.tinysparse.simulator.cli;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.datasets.cli.DataDirOption;
import io.tinysparse.simulator.calibration.Calibration;
import io.tinysparse.simulator.calibration.CalibrationBudget;
import io.tinysparse.simulator.calibration.CalibrationReport;
import io.tinysparse.simulator.calibration.CalibrationRun;
import io.tinysparse.simulator.calibration.IntervalReport;
import io.tinysparse.simulator.calibration.ReferencePolicy;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.train.LinearProbe;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.pretrain.BackboneCheckpoint;
import io.tinysparse.simulator.pretrain.Backbones;
import io.tinysparse.simulator.run.Normalisation;
import io.tinysparse.simulator.run.TrainingBudget;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tinysparse calibrate}: measures whether a quick training budget ranks policies like a
 * converged one (issue 11 items 5 and 6). Trains the {@link ReferencePolicy#referenceSet
 * reference set} at the quick budget and at a long budget (learning rate selected on validation
 * from a grid), K paired replicates each, and prints per policy the mean and sd of validation and
 * test accuracy at both, Spearman's rho between the two rankings on validation means, and the
 * quick budget's cost per run; then, per budget, the {@link IntervalReport}: 95 % t intervals,
 * updated fraction, coverage, SRAM and feature memory by both estimators, and paired differences
 * (issue 11 item 7, with the {@link ReferencePolicy#seedClaims seed policies} given by
 * {@code --policies}).
 */
@Command(
        name = "calibrate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Trains a reference set of policies at a quick and a converged budget (paired replicates) and"
                + " prints their accuracies and the rank correlation of the two rankings (on validation)."})
public final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--backbone", paramLabel = "FILE",
            description = "Pretrained network file, unfolded, with its FILE.json provenance (default: the default"
                    + " pretraining from the backbone store, pretrained once and reused).")
    Path backboneFile;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = "Target dataset (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--replicates", paramLabel = "K", defaultValue = "3",
            description = "Replicate seeds per policy and budget (default: ${DEFAULT-VALUE}).")
    int replicates;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the first replicate; replicate r uses S + r as its run seed, classifier seed and"
                    + " subset seed, for every policy and both budgets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--val-samples", paramLabel = "N", defaultValue = "1000",
            description = "Validation samples, disjoint from training (default: ${DEFAULT-VALUE}).")
    int valSamples;

    @Option(names = "--test-samples", paramLabel = "N", defaultValue = "2000",
            description = "Test samples (default: ${DEFAULT-VALUE}).")
    int testSamples;

    @Option(names = "--quick-train-samples", paramLabel = "N", defaultValue = "200",
            description = "Quick budget: training samples (default: ${DEFAULT-VALUE}, the search's).")
    int quickTrainSamples;

    @Option(names = "--quick-iterations", paramLabel = "N", defaultValue = "600",
            description = "Quick budget: steps at batch 1 (default: ${DEFAULT-VALUE}, the search's).")
    int quickIterations;

    @Option(names = "--quick-lr", paramLabel = "X", defaultValue = "0.05",
            description = "Quick budget: peak learning rate (default: ${DEFAULT-VALUE}, the search's).")
    double quickLr;

    @Option(names = "--quick-lr-grid", paramLabel = "X,...", split = ",",
            description = "Quick budget: further learning rates, the best on validation kept per run (default: none).")
    List<Double> quickLrGrid = new ArrayList<>();

    @Option(names = "--quick-probe", paramLabel = "ITERATIONS", defaultValue = "0",
            description = "Quick budget: linear-probe warm start of the classifier with this many gradient steps"
                    + " (default: ${DEFAULT-VALUE}, none).")
    int quickProbe;

    @Option(names = "--probe-l2", paramLabel = "X", defaultValue = "1e-4",
            description = "L2 penalty of the linear probe (default: ${DEFAULT-VALUE}).")
    double probeL2;

    @Option(names = "--long-train-samples", paramLabel = "N", defaultValue = "2000",
            description = "Converged budget: training samples (default: ${DEFAULT-VALUE}).")
    int longTrainSamples;

    @Option(names = "--long-epochs", paramLabel = "E", defaultValue = "2",
            description = "Converged budget: epochs at batch 1 (default: ${DEFAULT-VALUE}).")
    double longEpochs;

    @Option(names = "--long-lr", paramLabel = "X", defaultValue = "0.03",
            description = "Converged budget: peak learning rate (default: ${DEFAULT-VALUE}).")
    double longLr;

    @Option(names = "--long-lr-grid", paramLabel = "X,...", split = ",", defaultValue = "0.01,0.1",
            description = "Converged budget: further learning rates, tried on the first replicate and selected per policy"
                    + " on its validation accuracy; the other replicates train at the selected rate (default: ${DEFAULT-VALUE}).")
    List<Double> longLrGrid;

    @Option(names = "--long-probe", paramLabel = "ITERATIONS", defaultValue = "0",
            description = "Converged budget: linear-probe warm start steps (default: ${DEFAULT-VALUE}, none).")
    int longProbe;

    @Option(names = "--policies", paramLabel = "NAME,...", split = ",",
            description = "Reference policies to train (default: all: classifier, bias-25, dense-folded, 99kb-static,"
                    + " 99kb-cyclic, 99kb-random, early-blocks, all-bias+early, dense-bn, dense-bn-running). Also"
                    + " selectable, never by default: seed-dynamic, seed-static (the seed paper's claim).")
    List<String> policyNames;

    @Option(names = "--converged-from", paramLabel = "FILE",
            description = "Take the converged runs from this --runs-out file of an earlier calibration instead of"
                    + " training them (same backbone, seeds and policies).")
    Path convergedFrom;

    @Option(names = "--skip-converged", description = "Train the quick budget only (no rank correlation).")
    boolean skipConverged;

    @Option(names = "--skip-quick",
            description = "Train the converged budget only (no rank correlation); with --converged-from, train nothing"
                    + " and report the file's converged runs.")
    boolean skipQuick;

    @Option(names = "--runs-out", paramLabel = "FILE",
            description = "Write every run (both budgets) to FILE, tab-separated.")
    Path runsOut;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Runs trained at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--device", paramLabel = "NAME", defaultValue = DeviceProfile.DEFAULT,
            description = "Device profile (default: ${DEFAULT-VALUE}).")
    String device;

    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        checkOptions();
        DeviceProfile.preset(device);
        DataDirectory home = dataDir.resolve();
        PrintStream out = System.out;
        Network raw;
        Normalisation statistics;
        if (backboneFile != null) {
            raw = Backbones.load(backboneFile);
            statistics = Backbones.statistics(backboneFile).orElse(null);
        } else {
            BackboneCheckpoint ckpt = Backbones.defaultPretrained(home, out);
            raw = ckpt.network();
            statistics = ckpt.provenance().inputNormalisation();
        }
        if (raw.isFolded()) {
            throw new InvalidInputException("backbone " + backboneFile + " is folded: the calibration trains dense-bn"
                    + " on its batch norms; give an unfolded network (as 'tinysparse pretrain' writes)");
        }
        List<ReferencePolicy> policies = selectedPolicies(raw.layers());
        CalibrationBudget quick = new CalibrationBudget(CalibrationBudget.QUICK, quickTrainSamples,
                budget(quickIterations, quickLr, quickLrGrid, quickProbe, 2));
        int longSteps = (int) Math.max(1, Math.round(longEpochs * longTrainSamples));
        CalibrationBudget converged = new CalibrationBudget(CalibrationBudget.CONVERGED, longTrainSamples,
                budget(longSteps, longLr, longLrGrid, longProbe, 2));
        out.printf(Locale.ROOT, "calibrating on %s: %d policies x %d replicates (seeds %d..%d), %d validation and %d"
                + " test samples%n", dataset, policies.size(), replicates, seed, seed + replicates - 1, valSamples,
                testSamples);
        out.printf(Locale.ROOT, "quick:     %d train, %s%n", quick.trainSamples(), quick.budget());
        out.printf(Locale.ROOT, "converged: %d train, %s%n", converged.trainSamples(), converged.budget());

        Calibration calibration = new Calibration(raw, statistics, DatasetCatalog.local(home), dataset, valSamples,
                testSamples, device, threads, out);
        List<CalibrationRun> convergedRuns = new ArrayList<>();
        if (convergedFrom != null) {
            convergedRuns = readConverged(policies);
            for (CalibrationRun c : convergedRuns) {
                ReferencePolicy p = policies.stream().filter(x -> x.name().equals(c.policy())).findFirst().orElseThrow();
                if (!calibration.backboneHash(p, c.seed()).equals(c.backboneHash())) {
                    throw new InvalidInputException("--converged-from " + convergedFrom + ": the converged run of "
                            + c.policy() + ", replicate " + c.replicate() + ", fine-tuned backbone " + c.backboneHash()
                            + ", not this calibration's");
                }
            }
        }
        long t0 = System.nanoTime();
        List<CalibrationRun> quickRuns = skipQuick ? List.of()
                : calibration.train(quick, policies, seed, replicates, false);
        double quickSeconds = (System.nanoTime() - t0) / 1e9;
        if (convergedFrom == null && !skipConverged) {
            convergedRuns = calibration.train(converged, policies, seed, replicates, true);
        }
        double allSeconds = (System.nanoTime() - t0) / 1e9;
        if (runsOut != null) {
            List<String> lines = new ArrayList<>(List.of(CalibrationRun.TSV_HEADER));
            quickRuns.forEach(r -> lines.add(r.toTsv()));
            convergedRuns.forEach(r -> lines.add(r.toTsv()));
            Files.write(runsOut, lines, StandardCharsets.UTF_8);
        }
        List<String> names = policies.stream().map(ReferencePolicy::name).toList();
        List<String> ranked = policies.stream().filter(p -> !p.unfolded()).map(ReferencePolicy::name).toList();
        out.println();
        out.print(new CalibrationReport(names, quickRuns, convergedRuns, ranked).format());
        for (List<CalibrationRun> runs : List.of(quickRuns, convergedRuns)) {
            if (!runs.isEmpty()) {
                out.println();
                out.print(new IntervalReport(runs.get(0).budget(), policies, raw.layers(), runs).format());
            }
        }
        out.printf(Locale.ROOT, "wall time: quick budget %.1f s, all %.1f s, %d threads%n", quickSeconds, allSeconds,
                threads);
        return CommandRunner.OK;
    }

    private void checkOptions() {
        if (replicates < 1) {
            throw new InvalidInputException("--replicates must be >= 1, got " + replicates);
        }
        if (valSamples < 1) {
            throw new InvalidInputException("--val-samples must be >= 1 (rankings are on validation), got " + valSamples);
        }
        if (threads < 1) {
            throw new InvalidInputException("--threads must be >= 1, got " + threads);
        }
        if (!(longEpochs > 0) || Double.isInfinite(longEpochs)) {
            throw new InvalidInputException("--long-epochs must be > 0, got " + longEpochs);
        }
        if (quickProbe < 0 || longProbe < 0) {
            throw new InvalidInputException("--quick-probe and --long-probe must be >= 0, got " + quickProbe + " and "
                    + longProbe);
        }
        if (convergedFrom != null && skipConverged) {
            throw new InvalidInputException("give --converged-from or --skip-converged, not both");
        }
        if (skipQuick && skipConverged) {
            throw new InvalidInputException("give --skip-quick or --skip-converged, not both (nothing would be trained)");
        }
    }

    private TrainingBudget budget(int steps, double lr, List<Double> grid, int probe, int evaluations) {
        return new TrainingBudget(steps, 1, lr, 0, steps / 20, evaluations, grid == null ? List.of() : grid,
                probe == 0 ? null : new LinearProbe(probe, probeL2), false);
    }

    private List<ReferencePolicy> selectedPolicies(LayerTable layers) {
        if (policyNames == null || policyNames.isEmpty()) {
            return ReferencePolicy.referenceSet(layers);
        }
        List<ReferencePolicy> all = ReferencePolicy.selectable(layers);
        List<ReferencePolicy> chosen = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : policyNames) {
            ReferencePolicy p = all.stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new InvalidInputException("--policies: unknown reference policy '" + name
                            + "' (known: " + all.stream().map(ReferencePolicy::name).toList() + ")"));
            if (seen.add(name)) {
                chosen.add(p);
            }
        }
        return chosen;
    }

    private List<CalibrationRun> readConverged(List<ReferencePolicy> policies) throws IOException {
        if (!Files.isRegularFile(convergedFrom)) {
            throw new InvalidInputException("--converged-from " + convergedFrom + " does not exist");
        }
        List<CalibrationRun> runs = new ArrayList<>();
        List<String> lines = Files.readAllLines(convergedFrom, StandardCharsets.UTF_8);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            CalibrationRun r = CalibrationRun.fromTsv(line);
            if (r.budget().equals(CalibrationBudget.CONVERGED)
                    && policies.stream().anyMatch(p -> p.name().equals(r.policy()))
                    && r.replicate() < replicates && r.seed() == seed + r.replicate()) {
                runs.add(r);
            }
        }
        for (ReferencePolicy p : policies) {
            long n = runs.stream().filter(r -> r.policy().equals(p.name())).count();
            if (n != replicates) {
                throw new InvalidInputException("--converged-from " + convergedFrom + " has " + n
                        + " converged runs of " + p.name() + " with seeds " + seed + ".." + (seed + replicates - 1)
                        + ", expected " + replicates);
            }
        }
        return runs;
    }

    public static void main(String[] args) {
        CommandRunner.main(new CalibrateCommand(), args);
    }
}
