package io.tinysparse.jobs;

import io.tinysparse.datasets.InvalidInputException;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.datasets.cli.CommandRunner;
import io.tinysparse.datasets.install.DatasetInstaller;
import io.tinysparse.results.ResultStore;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.Warehouse;
import io.tinysparse.results.WarehouseSearchLog;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.driver.GenerationDriver;
import io.tinysparse.search.driver.RunFront;
import io.tinysparse.search.driver.SearchDefinition;
import io.tinysparse.search.driver.SearcherKind;
import io.tinysparse.search.driver.SearcherSettings;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.search.space.PolicySpaceJson;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.train.LinearProbe;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.pretrain.BackboneCheckpoint;
import io.tinysparse.simulator.pretrain.Backbones;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.Normalisation;
import io.tinysparse.simulator.run.TrainingBudget;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tinysparse search} / {@code spark-submit --class io.tinysparse.jobs.SearchJob}: a
 * policy search whose runs Spark evaluates in parallel, one generation at a time, committed to
 * the warehouse after each generation so that the same command with the same search id resumes
 * where it stopped and never trains or writes a run twice.
 *
 * <p>This class is the wiring: options, then the backbone and the space, a
 * {@link SearchDefinition}, the search's lease, and a {@link GenerationDriver} with Spark as its
 * {@link SparkBatchEvaluator batch evaluator} and the warehouse as its
 * {@link WarehouseSearchLog log}.
 */
@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Searches sparse-update policies with Spark: accuracy vs SRAM under the device budget.")
public final class SearchJob implements Callable<Integer> {
    @Option(names = "--search-id", paramLabel = "ID",
            description = "Search id; the same id resumes (default: quick-HASH of the configuration with --quick, else default).")
    String searchId;

    @Option(names = "--backbone", paramLabel = "FILE",
            description = "Pretrained network file (default: the default pretraining on Fashion-MNIST from the"
                    + " backbone store, pretrained once and reused).")
    Path backboneFile;

    @Option(names = "--quick", description = "The README's main job: install the bundled datasets if missing, then"
            + " search with the defaults (search id 'quick' unless given).")
    boolean quick;

    @Option(names = "--space", paramLabel = "FILE",
            description = "Policy space JSON (default: biases of any depth, expand/project convs of the last 4 blocks,"
                    + " ratios {0,1/8,1/4,1/2,1}, magnitude/cyclic/dynamic-random selection).")
    Path spaceFile;

    @Option(names = "--searcher", paramLabel = "NAME", defaultValue = "nsga2",
            description = "nsga2, random, grid (the space in order), halving (Pareto-aware successive halving over"
                    + " training budget) or contribution (Lin et al.'s contribution analysis) (default: ${DEFAULT-VALUE}).")
    String searcherName;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "200",
            description = "Runs to evaluate in all; with halving, the candidates of each bracket's first rung; ignored by"
                    + " contribution, whose run count follows from the space (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--rungs", paramLabel = "N", defaultValue = "3",
            description = "halving: rungs, at 1, eta, eta^2, ... times --iterations (default: ${DEFAULT-VALUE}).")
    int rungs;

    @Option(names = "--eta", paramLabel = "N", defaultValue = "3",
            description = "halving: 1/eta of a rung is promoted to the next (default: ${DEFAULT-VALUE}).")
    int eta;

    @Option(names = "--brackets", paramLabel = "N", defaultValue = "1",
            description = "halving: brackets, each with fresh candidates (default: ${DEFAULT-VALUE}).")
    int brackets;

    @Option(names = "--finalists", paramLabel = "N", defaultValue = "5",
            description = "contribution: best predicted combinations trained at the end (default: ${DEFAULT-VALUE}).")
    int finalists;

    @Option(names = "--population", paramLabel = "N", defaultValue = "40",
            description = "Candidates per generation (default: ${DEFAULT-VALUE}).")
    int population;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = "Target dataset (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--train-samples", paramLabel = "N", defaultValue = "200",
            description = "Training samples per run (default: ${DEFAULT-VALUE}).")
    int trainSamples;

    @Option(names = "--val-samples", paramLabel = "N", defaultValue = "1000",
            description = "Validation samples, from the training split and disjoint from the training subset: every"
                    + " decision (ranking, promotion, fronts) is made on them (default: ${DEFAULT-VALUE}).")
    int valSamples;

    @Option(names = "--test-samples", paramLabel = "N", defaultValue = "500",
            description = "Test samples: reported beside every run, never used for a decision (default: ${DEFAULT-VALUE}).")
    int testSamples;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "600",
            description = "Training steps per run at batch 1 (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "0.05",
            description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--lr-grid", paramLabel = "X,...", split = ",",
            description = "Further peak learning rates: every run is trained at --lr and at each of these and keeps"
                    + " the one best on validation (default: none; docs/EXPERIMENTS.md).")
    List<Double> lrGrid = new ArrayList<>();

    @Option(names = "--linear-probe", paramLabel = "ITERATIONS", defaultValue = "0",
            description = "Fit each run's classifier on the frozen features of its training samples first (a linear"
                    + " probe warm start), with this many gradient steps (default: ${DEFAULT-VALUE}, none).")
    int probeIterations;

    @Option(names = "--probe-l2", paramLabel = "X", defaultValue = "1e-4",
            description = "L2 penalty of the linear probe (default: ${DEFAULT-VALUE}).")
    double probeL2;

    @Option(names = "--device", paramLabel = "NAME", defaultValue = DeviceProfile.DEFAULT,
            description = "Device profile whose SRAM is the hard budget (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Search seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--warehouse", paramLabel = "PATH",
            description = "Warehouse path, local or Hadoop (default: ${DEFAULT-VALUE}).")
    String warehouse = TinysparseHome.warehouse();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory, readable from every executor (default: TINYSPARSE_DATA or ~/.tinysparse/data).")
    String dataDir;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: from spark-submit, else local[*]).")
    String master;

    @Override
    public Integer call() throws Exception {
        long tStart = System.nanoTime();
        if (searchId != null) {
            Warehouse.checkSearchId(searchId);
        }
        SearcherKind kind = SearcherKind.byName(searcherName);
        if (valSamples < 1) {
            throw new InvalidInputException("--val-samples " + valSamples + ": a search decides on validation"
                    + " accuracy, give at least 1 (1000 or more for a standard error under a point)");
        }
        SearcherSettings settings = new SearcherSettings(seed, runs, population, rungs, eta, brackets, finalists);
        DeviceProfile profile = DeviceProfile.preset(device);
        DataDirectory home = DataDirectory.resolve(dataDir);
        if (quick) {
            System.out.println("data directory: " + home);
            new DatasetInstaller(home, new PrintWriter(System.out, true)).installBundled();
        }
        Network raw;
        Normalisation statistics;
        if (backboneFile != null) {
            raw = Backbones.load(backboneFile);
            statistics = Backbones.statistics(backboneFile).orElse(null);
            if (statistics == null) {
                System.err.println("tinysparse: warning: " + backboneFile + " has no pretraining provenance (FILE.json):"
                        + " target images are normalised with their training subset's own statistics");
            }
        } else {
            BackboneCheckpoint ckpt = Backbones.defaultPretrained(home, System.out);
            raw = ckpt.network();
            statistics = ckpt.provenance().inputNormalisation();
        }
        PolicySpace fileSpace = spaceFile == null ? null : PolicySpaceJson.read(spaceFile);
        int classes = DatasetCatalog.describe(dataset).classNames().size();
        int resolution = fileSpace == null ? raw.spec().resolution() : fileSpace.model().resolution();
        Network backbone = raw.withResolution(resolution).fold().withNewClassifier(classes, seed);
        PolicySpace space = fileSpace == null ? PolicySpace.defaultFor(backbone.spec())
                : fileSpace.forBackbone(backbone.spec());
        MemoryBudget budget = new MemoryBudget(space, new ArenaEstimator(space.table(), ArenaConfig.DEFAULT),
                profile.sramBytes());
        SearchDefinition definition = new SearchDefinition(kind, settings, budget,
                dataSpec().withNormalisation(statistics), trainingBudget(),
                device, backbone.parameterHash());
        // --quick names its search after its configuration, so changed defaults start a new search.
        String id = searchId != null ? searchId : quick ? definition.fingerprintId("quick") : "default";
        ByteArrayOutputStream serialised = new ByteArrayOutputStream();
        backbone.write(serialised);

        SparkSession spark = SparkSessions.create("tinysparse-search-" + id, master, false);
        try {
            ResultStore store = new ResultStore(spark, warehouse);
            try (SearchLease lease = SearchLease.acquire(store.warehouse().fileSystem(), store.warehouse().root(), id,
                    Duration.ofMinutes(30))) {
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                SparkBatchEvaluator evaluator = new SparkBatchEvaluator(jsc, jsc.broadcast(serialised.toByteArray()),
                        id, dataDir, BuildInfo.version(), BuildInfo.gitCommit());
                long t0 = System.nanoTime();
                GenerationDriver.Summary<RunRecord> summary = new GenerationDriver<>(definition.driverSettings(id),
                        definition::newSearcher, evaluator, new WarehouseSearchLog(store, id, profile.sramBytes()),
                        System.out).run();
                System.out.printf(Locale.ROOT, "search %s: %d runs trained in %.1f s (setup %.1f s, generations and"
                        + " commits %.1f s)%n", id, summary.trained(), (System.nanoTime() - tStart) / 1e9,
                        (t0 - tStart) / 1e9, (System.nanoTime() - t0) / 1e9);
                printSummary(id, summary, profile.sramBytes());
            }
        } finally {
            spark.stop();
        }
        return CommandRunner.OK;
    }

    /** The task every run of the search trains and tests on. */
    DataSpec dataSpec() {
        return new DataSpec(dataset, trainSamples, valSamples, testSamples, seed);
    }

    /**
     * The base training budget of a run: batch 1, no momentum, 5 % warm-up, 2 validation points,
     * and the learning-rate grid and linear probe if asked for.
     */
    TrainingBudget trainingBudget() {
        if (probeIterations < 0) {
            throw new InvalidInputException("--linear-probe must be >= 0, got " + probeIterations);
        }
        return new TrainingBudget(iterations, 1, lr, 0, Math.max(0, iterations / 20), 2, lrGrid,
                probeIterations == 0 ? null : new LinearProbe(probeIterations, probeL2), false);
    }

    private void printSummary(String id, GenerationDriver.Summary<RunRecord> summary, long budgetBytes) {
        if (!summary.fronts().isEmpty()) {
            RunFront<RunRecord> f = summary.fronts().get(summary.fronts().size() - 1);
            System.out.printf(Locale.ROOT, "Pareto front of %s after generation %d%s, on validation accuracy (hypervolume %.4g):%n", id,
                    summary.lastGeneration(), f.fidelity() > 0 ? ", fidelity level " + f.fidelity() : "",
                    f.hypervolume());
            System.out.printf(Locale.ROOT, "  %-9s %-9s %-12s %s%n", "val acc", "test acc", "SRAM (KiB)", "policy");
            for (RunRecord m : f.members()) {
                System.out.printf(Locale.ROOT, "  %-9.4f %-9.4f %-12.1f %s%n", m.validationAccuracy(), m.testAccuracy(),
                        m.arenaBytes() / 1024.0,
                        m.policyJson().replaceAll("\\s+", ""));
            }
        }
        SearchStats st = summary.stats();
        long infeasible = st.repaired() + st.rejectedInfeasible();
        long generated = st.told() + st.rejectedInfeasible();
        System.out.printf(Locale.ROOT, "infeasible at %d bytes (never trained): %d of %d candidates generated"
                        + " (%.1f%%; %d repaired into feasible ones, %d discarded)%n",
                budgetBytes, infeasible, generated, generated == 0 ? 0.0 : 100.0 * infeasible / generated,
                st.repaired(), st.rejectedInfeasible());
        System.out.println("tables: " + warehouse + " (runs, fronts, searches); query with"
                + " 'tinysparse sql --warehouse " + warehouse + " \"SELECT * FROM pareto\"'");
    }

    public static void main(String[] args) {
        CommandRunner.main(new SearchJob(), args);
    }
}
