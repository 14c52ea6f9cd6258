package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.core.cli.OptionDefaults;
import io.tinysparse.core.provenance.BuildInfo;
import io.tinysparse.core.text.PlainDecimal;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.datasets.cli.DataDirOption;
import io.tinysparse.datasets.install.DatasetInstaller;
import io.tinysparse.results.ResultStore;
import io.tinysparse.results.SearchRecord;
import io.tinysparse.results.Warehouse;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.cli.SearcherOptions;
import io.tinysparse.search.driver.CommitInterval;
import io.tinysparse.search.driver.DenseReference;
import io.tinysparse.search.driver.GenerationDriver;
import io.tinysparse.search.driver.SearchDefinition;
import io.tinysparse.search.driver.SearchRules;
import io.tinysparse.search.driver.SearcherKind;
import io.tinysparse.search.driver.SearcherSettings;
import io.tinysparse.search.driver.PrunedBackbones;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.search.space.PolicySpaceJson;
import io.tinysparse.search.space.PolicySpaces;
import io.tinysparse.simulator.memory.MemoryEstimator;
import io.tinysparse.simulator.cli.DataSpecOptions;
import io.tinysparse.simulator.cli.DeviceOption;
import io.tinysparse.simulator.cli.PrecisionOptions;
import io.tinysparse.simulator.cli.ModelOption;
import io.tinysparse.simulator.cli.TrainingBudgetOptions;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.pretrain.Backbones;
import io.tinysparse.simulator.prune.BackbonePruner;
import io.tinysparse.simulator.pretrain.PretrainSpec;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.Quantization;
import io.tinysparse.simulator.run.TaskData;
import io.tinysparse.simulator.run.TrainingBudget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tinysparse search} / {@code spark-submit --class io.tinysparse.jobs.SearchJob}: a
 * policy search whose runs Spark evaluates in parallel, one generation at a time, committed to
 * the warehouse after each generation so that the same command with the same search id resumes
 * where it stopped and never trains or writes a run twice. With {@code --steady-state} there is
 * no generation barrier: runs start one by one as Spark slots free up ({@link SparkRunSlots}),
 * and commits come every {@code --commit-every} results or {@code --commit-seconds}.
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
        description = "Searches sparse-update policies with Spark: accuracy vs SRAM (and device time) under the device"
                + " budget.")
public final class SearchJob implements Callable<Integer> {
    @Option(names = "--search-id", paramLabel = "ID",
            description = "Search id; the same id resumes (default: quick-HASH of the configuration with --quick, else default).")
    String searchId;

    @Option(names = "--backbone", paramLabel = "FILE",
            description = "Pretrained network file (default: the default pretraining on Fashion-MNIST from the"
                    + " backbone store, pretrained once and reused).")
    Path backboneFile;

    @Mixin
    ModelOption model;

    @Option(names = "--prune-ratios", paramLabel = "R[,R...]", split = ",",
            description = "Search the backbone pruned by each ratio in [0, 1) (0: unpruned) in one search whose"
                    + " genome has the ratio as a gene, traded against the policy (default search id"
                    + " default-pR_R...): each ratio's backbone is made once as 'prune' makes it with its defaults and"
                    + " taken from the store after that, and each ratio's policies are costed on its shapes (default:"
                    + " none, the backbone as it is).")
    List<Double> pruneRatios;

    /** What --quick changes unless a flag or a defaults file says otherwise (one place, printed in --help). */
    static final String QUICK_PRESET = "--train-samples 500 --iterations 1500 --lr 0.03 --evaluations 1 --replicates 3";

    boolean quick;

    @Option(names = "--quick", description = "The README's main job: install the bundled datasets if missing, then"
            + " search with " + QUICK_PRESET + " unless given otherwise (search id quick-HASH unless given).")
    void quick(boolean on) {
        quick = on;
        if (on) {
            OptionDefaults.usePreset(spec, QUICK_PRESET);
        }
    }

    @Option(names = "--space", paramLabel = "FILE",
            description = "Policy space file, JSON or YAML (default: biases of any depth, expand/project convs of the"
                    + " last 4 blocks, ratios {0,1/8,1/4,1/2,1}, magnitude/cyclic/dynamic-random selection).")
    Path spaceFile;

    @Option(names = "--replicates", paramLabel = "K", defaultValue = "1",
            description = "Runs per policy of the final front: the finished search retrains its front's policies"
                    + " under K - 1 more replicate seeds and reports the front on their means, with sd, 95 %% interval"
                    + " and ties (default: ${DEFAULT-VALUE}).")
    int replicates;

    @Option(names = "--report-test-samples", paramLabel = "N", description = "Test samples of the final front's"
            + " report runs (default: the whole test split).")
    Integer reportTestSamples;

    @Option(names = "--dense-reference", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Train dense fine-tuning (every parameter, batch norm unfolded with its running statistics,"
                    + " lr " + DenseReference.DEFAULT_LEARNING_RATE + ") under the final front's replicate seeds and"
                    + " report it beside the front as the upper bound (default: on; a search started without one"
                    + " resumes without one).")
    boolean denseReference;

    @Option(names = "--reuse-runs", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Take a run that another search of the warehouse has stored (the same run id: the same"
                    + " spec, so the same result) instead of training it again; it is stored in this search too, with"
                    + " trained_by naming that search (default: on).")
    boolean reuseRuns;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Search seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    SearcherOptions searcher;

    @Mixin
    SteadyStateOptions steady;

    @Mixin
    DataSpecOptions data;

    @Mixin
    TrainingBudgetOptions training;

    @Mixin
    DeviceOption device;

    @Mixin
    PrecisionOptions precision;

    @Mixin
    SparkOptions spark;

    @Mixin
    DataDirOption dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return search(pruneRatios == null ? null : checkPruneRatios());
    }

    /**
     * Every --prune-ratios value is a ratio of this backbone, before anything runs: in [0, 1),
     * given once, leaving every channel group of the network a channel. The ratios, ascending (the
     * order of the backbone gene's values).
     */
    private List<Double> checkPruneRatios() throws IOException {
        if (pruneRatios.isEmpty()) {
            throw new InvalidInputException("--prune-ratios needs at least one ratio");
        }
        for (int i = 0; i < pruneRatios.size(); i++) {
            double r = pruneRatios.get(i);
            if (!(r >= 0 && r < 1)) {
                throw new InvalidInputException("--prune-ratios " + r + " must be in [0, 1)");
            }
            if (pruneRatios.subList(0, i).contains(r)) {
                throw new InvalidInputException("--prune-ratios " + r + " is given twice");
            }
        }
        searcher.kind().requireSupportsBackbones(pruneRatios.size());
        ModelSpec network = backboneFile != null ? Backbones.load(backboneFile).spec()
                : model.spec() != null ? model.spec() : PretrainSpec.defaults().model();
        ChannelGroups groups = ChannelGroups.of(network.architecture());
        for (double r : pruneRatios) {
            if (r > 0) {
                groups.pruned(r);
            }
        }
        return pruneRatios.stream().sorted().toList();
    }

    /**
     * The default search id of a search over pruned backbones: the id without pruning, suffixed
     * {@code -p} and the ratios ({@code default-p0_0.25_0.5}), so that it does not meet the search
     * of the unpruned backbone or of other ratios.
     */
    static String prunedSearchId(String id, List<Double> ratios) {
        StringBuilder sb = new StringBuilder(id).append("-p");
        for (int i = 0; i < ratios.size(); i++) {
            sb.append(i == 0 ? "" : "_").append(PlainDecimal.of(ratios.get(i)));
        }
        return sb.length() > 64 ? sb.substring(0, 56) + "-" + io.tinysparse.core.hash.ContentHash.of(sb.toString())
                .substring(0, 7) : sb.toString();
    }

    /**
     * Refuses to resume search {@code named}, stored with configuration {@code stored}, over other
     * pruning ratios than {@code ratios} (null: none): the same refusal as any other setting that
     * differs, but made before a backbone is pruned for a ratio the search does not have.
     */
    static void checkStoredPruneRatios(String named, Optional<String> stored, List<Double> ratios) throws IOException {
        if (stored.isEmpty()) {
            return;
        }
        List<Double> storedRatios = PrunedBackbones.ratiosIn(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(stored.get()));
        if (!java.util.Objects.equals(storedRatios, ratios)) {
            throw GenerationDriver.otherConfiguration(named, "setting 'prune_ratios' differs: stored "
                    + (storedRatios == null ? "none" : storedRatios) + ", given " + (ratios == null ? "none" : ratios));
        }
    }

    /** One backbone of the search: the network as stored, unfolded and folded, and its space. */
    private record SearchedBackbone(Backbones.Selected raw, Network unfolded, Network folded,
            PolicySpace space) {}

    /** The search, of the backbone as it is ({@code ratios} null) or pruned by each of {@code ratios}. */
    private int search(List<Double> ratios) throws Exception {
        long tStart = System.nanoTime();
        if (searchId != null) {
            Warehouse.checkSearchId(searchId);
        }
        SearcherKind kind = searcher.kind();
        ObjectiveMode objectives = searcher.objectives();
        CommitInterval commits = steady.check();
        SearcherSettings settings = searcher.settings(seed).withSteadyState(commits != null);
        DataSpec task = SearchDefinition.requireValidation(dataSpec());
        // The budget (warm-up, rates, evaluations) and the replicates, before any lease or backbone.
        trainingBudget();
        if (replicates < 1) {
            throw new InvalidInputException("--replicates " + replicates + " must be >= 1");
        }
        // Everything the command line names is checked here, on the driver, before a backbone is
        // pretrained or Spark starts: found on an executor, bad input would be a task failure.
        spark.checkForWriting();
        PolicySpace fileSpace = spaceFile == null ? null : PolicySpaceJson.read(spaceFile);
        DataDirectory home = dataDir.resolve();
        if (quick) {
            System.out.println("data directory: " + home);
            new DatasetInstaller(home, new PrintWriter(System.out, true)).installBundled();
        }
        // A resumed search may need no data at all (every run stored): its data is checked when
        // a run needs it, on the driver for the report's test subset, on the executors otherwise.
        ModelSpec modelSpec = model.spec();
        Quantization quantization = precision.quantization(backboneFile == null
                ? (modelSpec == null ? PretrainSpec.defaults() : PretrainSpec.defaultsFor(modelSpec)).dataset()
                : Backbones.sourceDataset(backboneFile).orElse(null));
        if (quantization != null && trainingBudget().linearProbe() != null) {
            throw new InvalidInputException("--linear-probe cannot start an int8 search's runs (the probe is fitted on"
                    + " fp32 features)");
        }
        String named = searchId != null ? searchId : quick ? null
                : ratios == null ? defaultSearchId(modelSpec) : prunedSearchId(defaultSearchId(modelSpec), ratios);
        if (named == null || !WarehouseLocation.hasSearch(spark.warehouse(), named)) {
            TaskData.check(DatasetCatalog.local(home), task);
            if (quantization != null) {
                TaskData.checkCalibration(DatasetCatalog.local(home), quantization, task);
            }
            TaskData.reportTestSamples(DatasetCatalog.local(home), task.dataset(), reportTestSamples);
        }
        SparkSession session = spark.session("tinysparse-search" + (searchId == null ? "" : "-" + searchId));
        try {
            ResultStore store = new ResultStore(session, spark.warehouse());
            // A search keeps the rules it was started under (an older one resumes exactly as it would have).
            Optional<String> stored = named == null ? Optional.empty()
                    : store.latestCommit(named).map(SearchRecord::configJson);
            // Other ratios are another search: refused before a backbone is pruned for them.
            checkStoredPruneRatios(named, stored, ratios);
            int classes = DatasetCatalog.describe(task.dataset()).classNames().size();
            List<SearchedBackbone> searched = new ArrayList<>();
            for (double ratio : ratios == null ? List.of(0.0) : ratios) {
                Backbones.Selected raw = ratio > 0
                        ? BackbonePruner.selectPruned(backboneFile, modelSpec, ratio, home, System.out)
                        : Backbones.select(backboneFile, modelSpec, home, System.out, System.err);
                int resolution = fileSpace == null ? raw.network().spec().resolution() : fileSpace.model().resolution();
                Network unfolded = raw.network().withResolution(resolution).withNewClassifier(classes, seed);
                Network backbone = raw.network().withResolution(resolution).fold().withNewClassifier(classes, seed);
                PolicySpace space = fileSpace == null ? PolicySpace.defaultFor(backbone.spec())
                        : ratio == 0 ? fileSpace.forBackbone(backbone.spec()) : fileSpace.forPruned(backbone.spec());
                // Every run of the search takes the first backbone's normalisation: a pruned backbone keeps its parent's.
                if (!searched.isEmpty() && !(raw.statistics().mean().equals(searched.get(0).raw().statistics().mean())
                        && raw.statistics().std().equals(searched.get(0).raw().statistics().std()))) {
                    throw new IllegalStateException("pruned backbones of one parent normalise their input alike");
                }
                searched.add(new SearchedBackbone(raw, unfolded, backbone, space));
            }
            SearchedBackbone first = searched.get(0);
            Backbones.Selected raw = first.raw();
            Network unfolded = first.unfolded();
            Network backbone = first.folded();
            long sramBytes = device.profile().sramBytes();
            MemoryBudget budget = new MemoryBudget(PolicySpaces.of(searched.stream().map(SearchedBackbone::space).toList()),
                    searched.stream().map(b -> (MemoryEstimator) new ArenaEstimator(b.space().table(), ArenaConfig.DEFAULT))
                            .toList(), sramBytes);
            PrunedBackbones pruned = ratios == null ? null : new PrunedBackbones(ratios,
                    searched.stream().map(b -> b.folded().parameterHash()).toList());
            SearchRules rules = stored.map(SearchRules::ofConfig).orElse(SearchRules.CURRENT);
            DenseReference reference = denseReference && rules.pairedSeeds()
                    && stored.map(DenseReference::configured).orElse(true)
                    ? new DenseReference(unfolded.parameterHash(), DenseReference.DEFAULT_LEARNING_RATE) : null;
            SearchDefinition definition = new SearchDefinition(kind, settings, budget,
                    rules.backboneStatistics() ? task.withNormalisation(raw.statistics()) : task,
                    trainingBudget(), device.profile(), backbone.parameterHash(),
                    rules == SearchRules.LEGACY ? task.testSamples() : TaskData.reportTestSamples(
                            DatasetCatalog.local(home), task.dataset(), reportTestSamples), replicates, rules,
                    reference, quantization, objectives, pruned);
            // --quick names its search after its configuration, so changed defaults start a new search.
            String id = named != null ? named : definition.fingerprintId("quick");
            if (quantization != null) {
                System.out.println("search " + id + ": " + quantization.label() + " runs (the backbone quantized with"
                        + " activation ranges from " + quantization.calibrationSamples() + " "
                        + quantization.calibrationDataset() + " images; QAS " + (quantization.qas() ? "on" : "off")
                        + "); the dense reference stays fp32");
            }
            if (pruned != null && ratios.size() > 1) {
                System.out.println("search " + id + ": one search over pruning ratios " + ratios.stream()
                        .map(PlainDecimal::of).toList() + " (backbones " + pruned.hashes().stream()
                        .map(h -> h.substring(0, 8)).toList() + "), the ratio a gene of every candidate");
            }
            if (rules == SearchRules.LEGACY) {
                System.out.println("search " + id + ": started under legacy rules (decisions on test accuracy, unpaired"
                        + " seeds); resumed under them. Start a new search for validated, paired numbers.");
            }
            try (SearchLease lease = SearchLease.acquire(store.warehouse().fileSystem(), store.warehouse().root(), id,
                    Duration.ofMinutes(30))) {
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session.sparkContext());
                Map<String, Broadcast<byte[]>> backbones = new HashMap<>();
                for (SearchedBackbone b : searched) {
                    backbones.put(b.folded().parameterHash(), jsc.broadcast(serialised(b.folded())));
                }
                if (reference != null) {
                    backbones.put(reference.backboneHash(), jsc.broadcast(serialised(unfolded)));
                }
                SparkBatchEvaluator evaluator = new SparkBatchEvaluator(jsc, backbones, id, dataDir.given(),
                        BuildInfo.current().version(), BuildInfo.current().commit());
                long t0 = System.nanoTime();
                WarehouseSearchLog log = new WarehouseSearchLog(store, id, definition.searchObjectives(), reuseRuns,
                        System.out);
                GenerationDriver.Summary<StoredRun> summary;
                try (SparkRunSlots slots = commits == null ? null : new SparkRunSlots(jsc,
                        steady.slots(jsc.defaultParallelism()), backbones, id, dataDir.given(),
                        BuildInfo.current().version(), BuildInfo.current().commit())) {
                    summary = new GenerationDriver<>(definition.driverSettings(id), definition::newSearcher,
                            evaluator, slots, commits, log, System.out).run();
                }
                SearchSummaryReport.print(System.out, id, summary, (t0 - tStart) / 1e9, (System.nanoTime() - t0) / 1e9,
                        definition.searchObjectives(), spark.warehouse(), pruned);
                log.reuseSummary().ifPresent(System.out::println);
            }
        } finally {
            session.stop();
        }
        return CommandRunner.OK;
    }

    private static byte[] serialised(Network network) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        network.write(out);
        return out.toByteArray();
    }

    /** The task every run of the search trains and tests on; its subsets are drawn with the search seed unless --subset-seed. */
    /**
     * The search id without {@code --search-id} or {@code --quick}: {@code default}, or for a
     * {@code --model} other than the default one {@code default-NAME}, so searches of different
     * networks do not meet under one id.
     */
    static String defaultSearchId(ModelSpec modelSpec) {
        if (modelSpec == null || modelSpec.architecture().equals(PretrainSpec.defaults().model().architecture())) {
            return "default";
        }
        String id = "default-" + modelSpec.architecture().name();
        return id.length() > 64 ? id.substring(0, 64) : id;
    }

    DataSpec dataSpec() {
        return data.dataSpec(seed);
    }

    /** The base training budget of a run (fidelity 1), as the device trains: batch 1, plain SGD. */
    TrainingBudget trainingBudget() {
        return training.budget();
    }

    public static void main(String[] args) {
        CommandRunner.main(new SearchJob(), args);
    }
}
