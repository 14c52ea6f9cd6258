package io.tinysparse.jobs;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.jobs.cluster.StandaloneCluster;
import io.tinysparse.results.ResultStore;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.driver.PlannedRun;
import io.tinysparse.search.driver.RunPlanner;
import io.tinysparse.search.driver.SearchRules;
import io.tinysparse.search.sampling.RandomConfig;
import io.tinysparse.search.sampling.RandomSearcher;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.pretrain.BackboneStore;
import io.tinysparse.simulator.pretrain.PretrainSpec;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.RunEvaluator;
import io.tinysparse.simulator.run.TaskData;
import io.tinysparse.simulator.run.TrainingBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * The Spark benchmark of issue 6 ({@code bench/spark.sh}): runs per core-hour of the quick-search
 * workload (the default backbone, the default space, the {@code search --quick} data and budget)
 * through Spark against the same runs in a plain Java loop, and the search on a standalone
 * cluster with one and with two one-core workers.
 *
 * <p><b>local</b>: the {@code --runs} feasible policies a random search with {@code --seed} asks
 * for are evaluated (a) in a plain loop on {@code k} threads sharing one {@link RunEvaluator},
 * and (b) by {@link SearchJob} itself on Spark {@code local[k]}, generations of
 * {@code --population}, timed from the command's start to its end (session start, broadcast,
 * fan-out, fronts, Parquet commits: all of it is overhead against the loop). A warm-up pass of each
 * kind comes first (JIT, data and cut activations in memory), and every timed pass is repeated;
 * the best pass of each kind is reported (the least disturbed by other load).
 *
 * <p><b>cluster</b>: {@link SearchJob} submitted through SparkSubmit to a standalone master with
 * one, then two, one-core workers, {@code --runs} random runs; the search's own time (first to last
 * commit, from the {@code searches} table) and the whole submission's wall time are reported.
 */
public final class SparkThroughputBench {
    /** The quick search's task and budget as flags of {@code search}. */
    private static List<String> taskFlags;

    private SparkThroughputBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>(Map.of("--runs", "60", "--population", "20", "--repeats", "2",
                "--part", "all", "--seed", "11", "--cores", "1,2"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!opt.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + opt.keySet());
            }
            opt.put(args[i], args[i + 1]);
        }
        int runs = Integer.parseInt(opt.get("--runs"));
        int population = Integer.parseInt(opt.get("--population"));
        int repeats = Integer.parseInt(opt.get("--repeats"));
        long seed = Long.parseLong(opt.get("--seed"));
        String part = opt.get("--part");
        int[] cores = java.util.Arrays.stream(opt.get("--cores").split(",")).mapToInt(Integer::parseInt).toArray();
        Path work = Files.createTempDirectory("tinysparse-spark-bench");

        DataDirectory dataDir = DataDirectory.resolve(null);
        Network raw = BackboneStore.atHome(dataDir).getOrPretrain(PretrainSpec.defaults(), (p, t) -> { }).network();
        // The quick search's task and budget: SearchJob's --quick preset over its option defaults, given
        // explicitly to the searches below (which are not --quick: no replicates, their own ids).
        SearchJob quick = new SearchJob();
        new CommandLine(quick).parseArgs("--quick", "--seed", String.valueOf(seed));
        DataSpec data = quick.dataSpec();
        TrainingBudget budget = quick.trainingBudget();
        taskFlags = List.of("--train-samples", String.valueOf(data.trainSamples()), "--val-samples",
                String.valueOf(data.valSamples()), "--test-samples", String.valueOf(data.testSamples()),
                "--report-test-samples", String.valueOf(data.testSamples()), "--no-dense-reference", // no report phase: the same runs as the loop
                "--iterations", String.valueOf(budget.iterations()));
        int classes = DatasetCatalog.describe(data.dataset()).classNames().size();
        Network backbone = raw.fold().withNewClassifier(classes, seed);
        System.out.printf(Locale.ROOT, "machine: %d cores, %s; runs %d, population %d, repeats %d%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"), runs, population,
                repeats);

        Path file = work.resolve("backbone.tsnw");
        raw.save(file);
        if (part.equals("all") || part.equals("local")) {
            local(file, backbone, data, budget, runs, population, repeats, seed, dataDir, work, cores);
        }
        if (part.equals("all") || part.equals("cluster")) {
            cluster(file, runs, population, seed, dataDir, work);
        }
    }

    private static void local(Path backboneFile, Network backbone, DataSpec data, TrainingBudget budget, int runs, int population,
            int repeats, long seed, DataDirectory dataDir, Path work, int[] coreCounts) throws Exception {
        PolicySpace space = PolicySpace.defaultFor(backbone.spec());
        MemoryBudget memory = new MemoryBudget(space, new ArenaEstimator(space.table(), ArenaConfig.DEFAULT),
                DeviceProfile.preset(DeviceProfile.DEFAULT).sramBytes());
        RandomSearcher sampler = new RandomSearcher(memory.problem(ObjectiveMode.ACCURACY_MEMORY),
                RandomConfig.of(seed, runs));
        RunPlanner planner = new RunPlanner(space, backbone.parameterHash(), data, data, budget,
                DeviceProfile.preset(DeviceProfile.DEFAULT), seed,
                SearchRules.CURRENT);
        List<PlannedRun> specs = new ArrayList<>();
        for (Candidate c : sampler.ask(runs)) {
            specs.add(planner.plan(c));
        }
        RunEvaluator evaluator = new RunEvaluator(backbone, TaskData.load(DatasetCatalog.local(dataDir), data,
                backbone.spec()), RunEvaluator.defaultFeatureCache());
        int most = java.util.Arrays.stream(coreCounts).max().orElse(1);
        plain(evaluator, specs, most);
        spark(backboneFile, specs, population, most, seed, work.resolve("wh"), "warm", dataDir);
        Map<String, Double> best = new LinkedHashMap<>();
        for (int rep = 0; rep < repeats; rep++) {
            for (int cores : coreCounts) {
                double p = plain(evaluator, specs, cores);
                double s = spark(backboneFile, specs, population, cores, seed, work.resolve("wh"),
                        "r" + rep + "c" + cores, dataDir);
                System.out.printf(Locale.ROOT, "pass %d, %d core(s): plain %.1f s, spark %.1f s%n", rep, cores, p, s);
                best.merge("plain" + cores, p, Math::min);
                best.merge("spark" + cores, s, Math::min);
            }
        }
        System.out.println();
        System.out.println("| cores | plain Java loop: s | runs/core-hour | Spark local[k]: s | runs/core-hour | Spark overhead |");
        System.out.println("|---|---|---|---|---|---|");
        for (int cores : coreCounts) {
            double p = best.get("plain" + cores);
            double s = best.get("spark" + cores);
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.0f | %.1f | %.0f | %+.1f %% |%n", cores, p,
                    runs * 3600.0 / (p * cores), s, runs * 3600.0 / (s * cores), 100.0 * (s - p) / p);
        }
    }

    /** Seconds to evaluate every spec on {@code threads} threads sharing one evaluator. */
    private static double plain(RunEvaluator evaluator, List<PlannedRun> runs, int threads) {
        long t0 = System.nanoTime();
        new LocalBatchEvaluator(evaluator, threads, "plain", "bench", "bench").evaluate(0, runs);
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Seconds for {@link SearchJob} itself, in-process on {@code local[cores]}: a random search of
     * the same runs (same seed, space, data and budget, so the same run ids; checked), from the
     * command's start to its end: Spark session start, broadcast, fan-out, fronts, Parquet commits.
     */
    private static double spark(Path backbone, List<PlannedRun> specs, int population, int cores, long seed,
            Path warehouse, String searchId, DataDirectory dataDir) {
        long t0 = System.nanoTime();
        List<String> args = new java.util.ArrayList<>(List.of("--backbone", backbone.toString(), "--warehouse",
                warehouse.toString(), "--data-dir", dataDir.root().toString(), "--searcher", "random", "--runs",
                String.valueOf(specs.size()), "--population", String.valueOf(population), "--seed",
                String.valueOf(seed), "--search-id", searchId, "--master", "local[" + cores + "]"));
        args.addAll(taskFlags);
        int rc = CommandRunner.execute(new SearchJob(), args.toArray(new String[0]));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (rc != CommandRunner.OK) {
            throw new IllegalStateException("search exited " + rc);
        }
        SparkSession session = SparkSessions.create("check", "local[1]", false);
        try {
            new ResultStore(session, warehouse.toString()).registerViews();
            Set<String> done = new TreeSet<>(session.sql("SELECT run_id FROM runs WHERE search_id = '" + searchId + "'")
                    .as(Encoders.STRING()).collectAsList());
            Set<String> expected = new TreeSet<>();
            specs.forEach(sp -> expected.add(sp.runId()));
            if (!done.equals(expected)) {
                throw new IllegalStateException("the search ran other runs than the plain loop: " + done.size()
                        + " vs " + expected.size());
            }
        } finally {
            session.stop();
        }
        return seconds;
    }

    private static void cluster(Path backbone, int runs, int population, long seed, DataDirectory dataDir, Path work)
            throws Exception {
        Path app = StandaloneCluster.appJar(work.resolve("app.jar"));
        System.out.println();
        System.out.println("| workers (1 core each) | search: s | runs/hour | runs/core-hour | submission wall: s |");
        System.out.println("|---|---|---|---|---|");
        for (int workers : new int[] {1, 2}) {
            Path warehouse = work.resolve("cluster-wh-" + workers);
            List<String> args = new java.util.ArrayList<>(List.of("--backbone", backbone.toString(), "--warehouse",
                    warehouse.toString(), "--data-dir", dataDir.root().toString(), "--searcher", "random", "--runs",
                    String.valueOf(runs), "--population", String.valueOf(population), "--seed", String.valueOf(seed),
                    "--search-id", "w" + workers));
            args.addAll(taskFlags);
            long t0 = System.nanoTime();
            try (StandaloneCluster cluster = StandaloneCluster.start(System.getProperty("java.class.path"),
                    StandaloneCluster.SPARK_FLAGS, work.resolve("cluster-" + workers), workers)) {
                Path log = work.resolve("submit-" + workers + ".log");
                int rc = cluster.submit("io.tinysparse.jobs.SearchJob", app,
                        List.of("spark.executor.memory=2g", "spark.executorEnv.OMP_NUM_THREADS=1"), args, log,
                        Duration.ofMinutes(30));
                if (rc != 0) {
                    throw new IllegalStateException("spark-submit exited " + rc + "; see " + log);
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            SparkSession session = SparkSessions.create("check", "local[1]", false);
            double search;
            try {
                new ResultStore(session, warehouse.toString()).registerViews();
                Row r = session.sql("SELECT min(started_at), max(updated_at), max(runs_done) FROM searches_log").first();
                search = (r.getTimestamp(1).getTime() - r.getTimestamp(0).getTime()) / 1e3;
            } finally {
                session.stop();
            }
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.0f | %.0f | %.1f |%n", workers, search,
                    runs * 3600.0 / search, runs * 3600.0 / (search * workers), wall);
        }
    }
}
