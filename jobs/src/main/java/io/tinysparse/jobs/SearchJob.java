package io.tinysparse.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.datasets.cli.FetchCommand;
import io.tinysparse.simulator.pretrain.BackboneCheckpoint;
import io.tinysparse.simulator.pretrain.BackboneStore;
import io.tinysparse.simulator.pretrain.PretrainSpec;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.core.hash.ContentHash;
import io.tinysparse.core.provenance.BuildInfo;
import io.tinysparse.results.FrontRecord;
import io.tinysparse.results.ResultStore;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.SearchRecord;
import io.tinysparse.results.Warehouse;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Objectives;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.Genome;
import io.tinysparse.search.contribution.ContributionAnalysisSearcher;
import io.tinysparse.search.contribution.ContributionConfig;
import io.tinysparse.search.fidelity.HalvingConfig;
import io.tinysparse.search.fidelity.SuccessiveHalvingSearcher;
import io.tinysparse.search.nsga2.Nsga2Config;
import io.tinysparse.search.nsga2.Nsga2Searcher;
import io.tinysparse.search.pareto.ParetoFront;
import io.tinysparse.core.random.Seeds;
import io.tinysparse.search.sampling.GridConfig;
import io.tinysparse.search.sampling.GridSearcher;
import io.tinysparse.search.sampling.RandomConfig;
import io.tinysparse.search.sampling.RandomSearcher;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.search.space.PolicySpaceJson;
import io.tinysparse.search.state.SearchCheckpoint;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.RunSpec;
import io.tinysparse.simulator.run.TrainingBudget;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tinysparse search} / {@code spark-submit --class io.tinysparse.jobs.SearchJob}: a
 * policy search whose runs Spark evaluates in parallel, one generation at a time, committed to
 * the warehouse after each generation so that the same command with the same search id resumes
 * where it stopped and never trains or writes a run twice.
 *
 * <p>Per generation: the driver asks the searcher for a batch (every candidate already passed
 * the memory model's hard budget check), turns each into a {@link RunSpec} whose seed derives
 * from (search seed, policy hash), skips the runs already stored for this search, fans the rest
 * out as Spark tasks (backbone broadcast once; data read on executors from the data directory),
 * tells the results back, and commits runs, front and searcher state.
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

    @Option(names = "--val-samples", paramLabel = "N", defaultValue = "100",
            description = "Validation samples (default: ${DEFAULT-VALUE}).")
    int valSamples;

    @Option(names = "--test-samples", paramLabel = "N", defaultValue = "500",
            description = "Test samples (default: ${DEFAULT-VALUE}).")
    int testSamples;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "600",
            description = "Training steps per run at batch 1 (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "0.05",
            description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

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
        if (!SEARCHERS.contains(searcherName)) {
            throw new InvalidInputException("--searcher '" + searcherName + "' is not one of " + String.join(", ", SEARCHERS));
        }
        if (runs < 1 || population < 1) {
            throw new InvalidInputException("--runs " + runs + " and --population " + population + " must be >= 1");
        }
        if (rungs < 1 || eta < 2 || brackets < 1 || finalists < 1) {
            throw new InvalidInputException("--rungs " + rungs + ", --brackets " + brackets + ", --finalists " + finalists
                    + " must be >= 1 and --eta " + eta + " >= 2");
        }
        DeviceProfile profile = DeviceProfile.preset(device);
        if (quick) {
            List<String> fetchArgs = dataDir == null ? List.of() : List.of("--data-dir", dataDir);
            int rc = CommandRunner.commandLine(new FetchCommand()).execute(fetchArgs.toArray(new String[0]));
            if (rc != CommandRunner.OK) {
                return rc;
            }
        }
        Network raw;
        if (backboneFile != null) {
            raw = io.tinysparse.simulator.cli.RunCommand.loadBackbone(backboneFile);
        } else {
            BackboneStore backbones = BackboneStore.atHome(DataDirectory.resolve(dataDir));
            BackboneCheckpoint ckpt = backbones.getOrPretrain(PretrainSpec.defaults(),
                    (point, total) -> System.out.printf(Locale.ROOT,
                            "pretraining the backbone on %s: step %d/%d, loss %.3f%n",
                            PretrainSpec.defaults().dataset(), point.step(), total, point.meanLoss()));
            System.out.printf(Locale.ROOT, "backbone %s: pretrained on %s, held-out accuracy %.4f%n",
                    ckpt.provenance().parameterHash().substring(0, 12), ckpt.provenance().spec().dataset(),
                    ckpt.provenance().heldOutAccuracy());
            raw = ckpt.network();
        }
        PolicySpace fileSpace = spaceFile == null ? null : PolicySpaceJson.read(spaceFile);
        DataSpec data = dataSpec();
        int classes = DatasetCatalog.describe(dataset).classNames().size();
        int resolution = fileSpace == null ? raw.spec().resolution() : fileSpace.model().resolution();
        Network backbone = raw.withResolution(resolution).fold().withNewClassifier(classes, seed);
        // The classifier is sized by the dataset, whatever class count a space file declares: the memory
        // model must cost the classifier that is really trained.
        PolicySpace runSpace = fileSpace == null ? defaultSpace(backbone.spec())
                : new PolicySpace(fileSpace.model().withClasses(classes), fileSpace.biasDepths(),
                        fileSpace.weightLayers(), fileSpace.ratios(), fileSpace.selections(), fileSpace.trainClassifier());
        if (!backbone.spec().equals(runSpace.model().withClasses(classes))) {
            throw new InvalidInputException("space model " + runSpace.model().label() + " does not match backbone "
                    + backbone.spec().label());
        }
        ByteArrayOutputStream serialised = new ByteArrayOutputStream();
        backbone.write(serialised);
        byte[] backboneBytes = serialised.toByteArray();
        String backboneHash = backbone.parameterHash();
        MemoryBudget budget = new MemoryBudget(runSpace,
                new ArenaEstimator(runSpace.table(), ArenaConfig.DEFAULT), profile.sramBytes());
        SearchProblem problem = budget.problem(ObjectiveMode.ACCURACY_MEMORY);
        TrainingBudget training = trainingBudget();

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("searcher", searcherName);
        config.put("runs", runs);
        if (searcherName.equals("halving")) {
            config.put("halving", Map.of("rungs", rungs, "eta", eta, "brackets", brackets));
        } else if (searcherName.equals("contribution")) {
            config.put("finalists", finalists);
        }
        config.put("population", population);
        config.put("space", PolicySpaceJson.write(runSpace));
        config.put("data", data);
        config.put("budget", training);
        config.put("device", device);
        config.put("seed", seed);
        config.put("backbone_hash", backboneHash);
        String configJson = new ObjectMapper().writeValueAsString(config);
        if (searchId == null) {
            // --quick names its search after its configuration, so changed defaults start a new search
            // instead of colliding with an old one.
            searchId = quick ? "quick-" + ContentHash.of(configJson).substring(0, 8)
                    : "default";
        }
        Warehouse.checkSearchId(searchId);

        SparkSession spark = SparkSessions.create("tinysparse-search-" + searchId, master, false);
        ResultStore store = new ResultStore(spark, warehouse);
        try (SearchLease lease = SearchLease.acquire(store.warehouse().fileSystem(), store.warehouse().root(),
                searchId, Duration.ofMinutes(30))) {
            store.warehouse().removeStaging(searchId);

            var latest = store.latestCommit(searchId);
            Searcher searcher;
            int generation;
            Timestamp started;
            if (latest.isPresent()) {
                if (!latest.get().configJson().equals(configJson)) {
                    throw new InvalidInputException("search '" + searchId + "' exists with another configuration;"
                            + " use a new --search-id or the same options");
                }
                searcher = SearchCheckpoint.fromJson(latest.get().stateJson()).restore(problem, budget);
                generation = latest.get().generation() + 1;
                started = latest.get().startedAt();
                System.out.printf(Locale.ROOT, "search %s: resuming after generation %d%n", searchId, generation - 1);
            } else {
                searcher = newSearcher(problem, budget);
                generation = 0;
                started = new Timestamp(System.currentTimeMillis());
            }
            Map<String, RunRecord> stored = new HashMap<>();
            for (RunRecord r : store.runsOf(searchId)) {
                stored.put(r.runId(), r);
            }
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Broadcast<byte[]> shared = jsc.broadcast(backboneBytes);
            String version = BuildInfo.current().version();
            String commit = BuildInfo.current().commit();
            long t0 = System.nanoTime();
            ExecutorService committer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "tinysparse-commit");
                t.setDaemon(true);
                return t;
            });
            Future<?> inFlight = null;
            try {
                long done = 0;
                while (!searcher.isFinished()) {
                    long tGeneration = System.nanoTime();
                    List<Candidate> asked = searcher.ask(population);
                    if (asked.isEmpty()) {
                        break;
                    }
                    List<RunSpec> specs = new ArrayList<>();
                    Map<String, RunSpec> toRun = new LinkedHashMap<>();
                    Map<String, Integer> levelOf = new HashMap<>();
                    for (Candidate c : asked) {
                        RunSpec s = runSpec(c, runSpace, backboneHash, data, training, device, seed);
                        specs.add(s);
                        // Two candidates of one batch can be the same run (a genome promoted twice, say): train it once.
                        if (!stored.containsKey(s.runId())) {
                            toRun.putIfAbsent(s.runId(), s);
                            levelOf.put(s.runId(), c.fidelity().level());
                        }
                    }
                    jsc.setJobDescription(String.format(Locale.ROOT, "search %s generation %d: %d runs", searchId,
                            generation, toRun.size()));
                    List<RunRecord> fresh = evaluate(jsc, shared, toRun.values(), levelOf, searchId, generation,
                            dataDir, version, commit);
                    for (RunRecord r : fresh) {
                        stored.put(r.runId(), r);
                    }
                    List<Evaluation> told = new ArrayList<>();
                    for (int i = 0; i < asked.size(); i++) {
                        RunRecord r = stored.get(specs.get(i).runId());
                        Evaluation e = Evaluation.feasible(asked.get(i), Objectives.of(r.testAccuracy(), r.arenaBytes()));
                        told.add(e);
                    }
                    searcher.tell(told);
                    done += toRun.size();
                    // One front per fidelity over every run of the search so far (including earlier sessions'):
                    // accuracies after different training budgets are not comparable.
                    List<FrontRecord> fronts = fronts(searchId, generation, stored.values(), runSpace, budget,
                            profile.sramBytes());
                    SearchStats st = searcher.stats();
                    String status = searcher.isFinished() ? "finished" : "running";
                    SearchRecord record = new SearchRecord(searchId, generation, status, configJson,
                            SearchCheckpoint.of(searcher).toJson(), st.told(), st.rejectedInfeasible(),
                            st.told() + st.rejectedInfeasible(), started, new Timestamp(System.currentTimeMillis()));
                    // The commit (three small Parquet writes, about a second of driver time) overlaps the next
                    // generation's training instead of idling the executors; commits stay in order, one in flight.
                    awaitCommit(inFlight);
                    inFlight = committer.submit(() -> store.commitGeneration(record, fresh, fronts));
                    double elapsed = (System.nanoTime() - t0) / 1e9;
                    long planned = Math.max(st.told(), plannedRuns(runSpace));
                    double left = done == 0 ? 0 : elapsed / done * Math.max(0, planned - st.told());
                    FrontRecord top = fronts.get(fronts.size() - 1);
                    System.out.printf(Locale.ROOT,
                            "generation %d (%.1f s): runs %d/%d (%d trained now, %d reused), infeasible rejected %d,"
                                    + " front %d, hypervolume %.4g%s, ~%.0f s left%n",
                            generation, (System.nanoTime() - tGeneration) / 1e9, st.told(), planned, fresh.size(),
                            asked.size() - fresh.size(), st.rejectedInfeasible(), top.members().size(), top.hypervolume(),
                            fronts.size() > 1 ? " (fidelity " + top.fidelity() + ")" : "", left);
                    generation++;
                }
                long tLast = System.nanoTime();
                awaitCommit(inFlight);
                inFlight = null;
                System.out.printf(Locale.ROOT, "search %s: %d runs trained in %.1f s (setup %.1f s, generations %.1f s,"
                        + " last commit %.1f s)%n", searchId, done, (System.nanoTime() - tStart) / 1e9,
                        (t0 - tStart) / 1e9, (tLast - t0) / 1e9, (System.nanoTime() - tLast) / 1e9);
            } finally {
                committer.shutdown();
                if (inFlight != null) {
                    // Failing already: let the commit in flight finish (it is atomic either way) before the
                    // lease is released, so a successor never races it.
                    try {
                        inFlight.get();
                    } catch (InterruptedException | ExecutionException ignored) {
                        // the first failure is the one reported
                    }
                }
            }
            printFront(store, searchId);
            SearchStats st = searcher.stats();
            long infeasible = st.repaired() + st.rejectedInfeasible();
            long generated = st.told() + st.rejectedInfeasible();
            System.out.printf(Locale.ROOT, "infeasible at %d bytes (never trained): %d of %d candidates generated"
                            + " (%.1f%%; %d repaired into feasible ones, %d discarded)%n",
                    profile.sramBytes(), infeasible, generated, generated == 0 ? 0.0 : 100.0 * infeasible / generated,
                    st.repaired(), st.rejectedInfeasible());
            System.out.println("tables: " + store.warehouse().root() + " (runs, fronts, searches); query with"
                    + " 'tinysparse sql --warehouse " + warehouse + " \"SELECT * FROM pareto\"'");
        } finally {
            spark.stop();
        }
        return CommandRunner.OK;
    }

    /**
     * The run of candidate {@code c}: its policy in {@code space}, trained for the base budget times
     * the candidate's fidelity multiplier, with a seed derived from the search seed, the policy and
     * the multiplier (so the same policy at the same fidelity is the same run, whatever asked it).
     */
    static RunSpec runSpec(Candidate c, PolicySpace space, String backboneHash, DataSpec data, TrainingBudget base,
            String device, long searchSeed) {
        SparseUpdatePolicy p = space.toPolicy(c.genome());
        long runSeed = Seeds.derive(searchSeed, p.contentHash().hashCode(), c.fidelity().multiplier());
        return new RunSpec(space.model(), p, backboneHash, data,
                base.withIterations(base.iterations() * c.fidelity().multiplier()), device, runSeed);
    }

    /**
     * Evaluates runs as Spark tasks, one per run: each executor deserialises the broadcast backbone
     * and loads the data once ({@link ExecutorContext}), and records come back as JSON. The tasks
     * are handed out longest first ({@link RunSpec#engineMacs()}), so a generation does not end
     * waiting on one long run started last (longest-processing-time-first scheduling).
     *
     * @param levels fidelity level of each run id
     */
    static List<RunRecord> evaluate(JavaSparkContext jsc, Broadcast<byte[]> backbone, java.util.Collection<RunSpec> runs,
            Map<String, Integer> levels, String searchId, int generation, String dataDir, String version,
            String commit) {
        if (runs.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> lv = new HashMap<>(levels);
        List<String> specs = runs.stream()
                .sorted(java.util.Comparator.comparingLong(RunSpec::engineMacs).reversed())
                .map(RunSpec::toJson)
                .toList();
        List<String> json = jsc.parallelize(specs, specs.size())
                .map(j -> {
                    RunSpec s = RunSpec.fromJson(j);
                    var ev = ExecutorContext.evaluator(backbone.value(), s.backboneHash(), s.data(), dataDir);
                    return RunRecords.toJson(RunRecords.of(ev.evaluate(s), searchId, generation,
                            lv.getOrDefault(s.runId(), 0), version, commit));
                })
                .collect();
        List<RunRecord> out = new ArrayList<>();
        for (String j : json) {
            out.add(RunRecords.fromJson(j));
        }
        return out;
    }

    /** The task every run of the search trains and tests on. */
    DataSpec dataSpec() {
        return new DataSpec(dataset, trainSamples, valSamples, testSamples, seed);
    }

    /** The base training budget of a run: batch 1, no momentum, 5 % warm-up, 2 validation points. */
    TrainingBudget trainingBudget() {
        return new TrainingBudget(iterations, 1, lr, 0, Math.max(0, iterations / 20), 2);
    }

    /** Waits for a generation's commit; its failure fails the search. */
    private static void awaitCommit(Future<?> commit) throws InterruptedException {
        if (commit == null) {
            return;
        }
        try {
            commit.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("commit failed", e.getCause());
        }
    }

    /** The searchers {@code --searcher} accepts. */
    static final List<String> SEARCHERS = List.of("nsga2", "random", "grid", "halving", "contribution");

    private Searcher newSearcher(SearchProblem problem, MemoryBudget budget) {
        PolicySpace space = budget.space();
        return switch (searcherName) {
            case "nsga2" -> new Nsga2Searcher(problem, Nsga2Config.of(seed, population, runs));
            case "random" -> new RandomSearcher(problem, RandomConfig.of(seed, runs));
            case "grid" -> new GridSearcher(problem, new GridConfig(runs));
            case "halving" -> {
                HalvingConfig g = HalvingConfig.geometric(seed, rungs, eta, runs);
                yield new SuccessiveHalvingSearcher(problem, new HalvingConfig(seed, g.multipliers(), runs, eta,
                        brackets, g.maxAttempts()));
            }
            case "contribution" -> {
                // Every gene at its first value: bias depth and ratios are set by the analysis, and the first
                // selection of the space (the default space's: Lin et al.'s static magnitude) is used by all runs.
                Genome base = Genome.of(new int[space.genomeSpace().dimensions()]);
                yield new ContributionAnalysisSearcher(problem, new ContributionConfig(space.contributionLayout(),
                        base, -1, budget.budgetBytes(), finalists), budget);
            }
            default -> throw new InvalidInputException("--searcher '" + searcherName + "' is not one of "
                    + String.join(", ", SEARCHERS));
        };
    }

    /**
     * Runs the search is expected to tell in all, for the progress line: the budget for nsga2, random
     * and grid; rung sizes for halving; the measurement runs still queued plus the finalists for
     * contribution analysis, an upper bound: one per bias depth and per (layer, non-zero ratio), less
     * the infeasible ones, which are never asked, plus the finalists.
     */
    private long plannedRuns(PolicySpace space) {
        return switch (searcherName) {
            case "halving" -> {
                long perBracket = 0;
                long n = runs;
                for (int r = 0; r < rungs; r++) {
                    perBracket += n;
                    n = Math.max(1, n / eta);
                }
                yield perBracket * brackets;
            }
            case "contribution" -> space.biasDepths().size()
                    + (long) space.weightLayers().size() * (space.ratios().size() - 1) + finalists;
            default -> runs;
        };
    }

    /** One Pareto front per fidelity level over {@code runs}, lowest level first. */
    static List<FrontRecord> fronts(String searchId, int generation, java.util.Collection<RunRecord> runs,
            PolicySpace space, MemoryBudget budget, long budgetBytes) {
        java.util.TreeMap<Integer, List<RunRecord>> byLevel = new java.util.TreeMap<>();
        for (RunRecord r : runs) {
            byLevel.computeIfAbsent(r.fidelity(), k -> new ArrayList<>()).add(r);
        }
        List<FrontRecord> out = new ArrayList<>();
        for (var level : byLevel.entrySet()) {
            List<RunRecord> rs = level.getValue();
            rs.sort((a, b) -> a.runId().compareTo(b.runId()));
            List<EvaluatedCandidate> evaluated = new ArrayList<>();
            for (int i = 0; i < rs.size(); i++) {
                RunRecord r = rs.get(i);
                Candidate c = new Candidate(i, space.toGenome(PolicyJson.read(r.policyJson())), Fidelity.BASE);
                evaluated.add(new EvaluatedCandidate(c,
                        Evaluation.feasible(c, Objectives.of(r.testAccuracy(), r.arenaBytes()))));
            }
            ParetoFront front = ParetoFront.of(ObjectiveMode.ACCURACY_MEMORY, evaluated);
            List<FrontRecord.Member> members = new ArrayList<>();
            for (EvaluatedCandidate m : front.members()) {
                RunRecord r = rs.get((int) m.candidate().id());
                members.add(new FrontRecord.Member(r.runId(), r.testAccuracy(), r.arenaBytes(), r.deviceTimeMs(),
                        r.policyJson()));
            }
            members.sort((a, b) -> Long.compare(a.arenaBytes(), b.arenaBytes()));
            out.add(new FrontRecord(searchId, generation, level.getKey(), front.hypervolume(budget.reference()),
                    budgetBytes, members));
        }
        return out;
    }

    private static void printFront(ResultStore store, String searchId) {
        List<FrontRecord> fronts = store.frontsOf(searchId);
        if (fronts.isEmpty()) {
            return;
        }
        FrontRecord f = fronts.get(fronts.size() - 1);
        System.out.printf(Locale.ROOT, "Pareto front of %s after generation %d%s (hypervolume %.4g):%n", searchId,
                f.generation(), f.fidelity() > 0 ? ", fidelity level " + f.fidelity() : "", f.hypervolume());
        System.out.printf(Locale.ROOT, "  %-9s %-12s %s%n", "accuracy", "SRAM (KiB)", "policy");
        for (FrontRecord.Member m : f.members()) {
            System.out.printf(Locale.ROOT, "  %-9.4f %-12.1f %s%n", m.testAccuracy(), m.arenaBytes() / 1024.0,
                    m.policyJson().replaceAll("\\s+", ""));
        }
    }

    /** The default space: any bias depth, expand and project convs of the last 4 blocks, three selections. */
    static PolicySpace defaultSpace(ModelSpec model) {
        var table = model.layers();
        int n = table.convCount();
        List<Integer> depths = new ArrayList<>();
        for (int d = 0; d <= Math.min(n, 30); d++) {
            depths.add(d);
        }
        List<Integer> layers = new ArrayList<>();
        for (int i = Math.max(0, n - 12); i < n; i++) {
            if (!table.conv(i).depthwise()) {
                layers.add(i);
            }
        }
        return new PolicySpace(model, depths, layers, PolicySpace.DEFAULT_RATIOS,
                List.of(ChannelSelection.DEFAULT, ChannelSelection.dynamic(SelectionStrategy.CYCLIC, 1),
                        ChannelSelection.dynamic(SelectionStrategy.DYNAMIC_RANDOM, 10)), true);
    }

    public static void main(String[] args) {
        CommandRunner.main(new SearchJob(), args);
    }
}
