package io.tinysparse.search.bench;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.core.cli.OptionDefaults;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.driver.SearchDefinition;
import io.tinysparse.search.driver.SearcherKind;
import io.tinysparse.search.driver.SearcherSettings;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.simulator.cli.DataSpecOptions;
import io.tinysparse.simulator.cli.TrainingBudgetOptions;
import io.tinysparse.simulator.run.TrainingBudget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The searcher comparison of issue 13 (item 4), run by {@code bench/searchers.sh}: tinysparse's
 * searchers and Optuna's samplers over the default policy space of the default backbone, on the
 * product's own evaluator, with one accounting ({@link RunAccounting}) and one memo of trained
 * runs ({@link EvaluationMemo}) for all, and the hypervolume after 32, 64, ... counted runs as a
 * table ({@link ComparisonTable}).
 *
 * <p>Seeds run one after another (one backbone and task in memory at a time); the searchers of a
 * seed run on {@code --threads} threads. Everything a seed's searchers train is in the memo, so a
 * re-run with the same memo retrains nothing and reproduces the trajectories (every searcher and
 * sampler is seeded).
 */
@Command(name = "bench/searchers.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Hypervolume after N counted runs of tinysparse's searchers and Optuna's samplers, on the"
                + " product's evaluator: search --quick's setting with " + SearcherComparison.PRESET + " unless given"
                + " otherwise.")
public final class SearcherComparison implements Callable<Integer> {
    @Option(names = "--searchers", split = ",", paramLabel = "NAME,...",
            defaultValue = "model,nsga2,random,optuna-nsga2,optuna-tpe",
            description = "Searchers: any search --searcher that trains base-budget runs (model, nsga2, random, grid,"
                    + " contribution, and any added later), optuna-nsga2, optuna-tpe (default: ${DEFAULT-VALUE}).")
    List<String> searchers;

    @Option(names = "--seeds", split = ",", paramLabel = "S,...", defaultValue = "1,2,3",
            description = "Benchmark seeds: the search seed of each searcher, of the task's subsets, of the"
                    + " classifier's initialisation and of the runs (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "160",
            description = "Counted runs per searcher and seed (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--checkpoints", split = ",", paramLabel = "N,...", defaultValue = "32,64,96,128,160",
            description = "Counted runs at which the hypervolume is reported, each at most --runs"
                    + " (default: ${DEFAULT-VALUE}).")
    List<Integer> checkpoints;

    @Option(names = "--population", paramLabel = "N", defaultValue = "16",
            description = "NSGA-II population (both), and the candidates asked at a time of the other tinysparse"
                    + " searchers (default: ${DEFAULT-VALUE}).")
    int population;

    /** What the benchmark's task and budget are unless a flag says otherwise: search --quick's, 300 steps. */
    static final String PRESET = "--train-samples 500 --iterations 300 --lr 0.03 --evaluations 1";

    @Mixin
    DataSpecOptions data;

    @Mixin
    TrainingBudgetOptions training;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "${sys:tinysparse.root:-.}/bench/results/searchers",
            description = "Results directory: table.md, hypervolume.csv, trajectories.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--memo", paramLabel = "FILE",
            description = "Trained runs, JSON lines keyed by seed and genome, shared by every searcher; a re-run"
                    + " resumes from it (default: OUT/memo.jsonl).")
    Path memoFile;

    @Option(names = "--backbone", paramLabel = "FILE",
            description = "Pretrained backbone file (a stored backbone.tsnw) instead of the default backbone of"
                    + " $TINYSPARSE_HOME, e.g. to extend a memo made on an earlier default.")
    Path backbone;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Searchers of a seed run at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-trials", paramLabel = "N", defaultValue = "4000",
            description = "An Optuna trajectory stops after this many trials even if short of --runs"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxTrials;

    @Option(names = "--python", paramLabel = "FILE", defaultValue = "/usr/bin/python3",
            description = "Python with Optuna 3.1 (Debian's python3-optuna; default: ${DEFAULT-VALUE}).")
    Path python;

    @Option(names = "--optuna-script", paramLabel = "FILE", defaultValue = "${sys:tinysparse.root:-.}/bench/optuna_searchers.py",
            description = "The Optuna side (default: ${DEFAULT-VALUE}).")
    Path optunaScript;

    @Override
    public Integer call() throws Exception {
        int[] points = checkedCheckpoints();
        checkSearchers();
        if (seeds.isEmpty() || new HashSet<>(seeds).size() != seeds.size()) {
            throw new InvalidInputException("--seeds " + seeds + " must list distinct seeds");
        }
        if (population < 1 || threads < 1 || maxTrials < runs) {
            throw new InvalidInputException("--population " + population + " and --threads " + threads
                    + " must be >= 1 and --max-trials " + maxTrials + " >= --runs " + runs);
        }
        String optuna = searchers.stream().anyMatch(OptunaTrajectory.NAMES::contains) ? optunaVersion() : "";
        TrainingBudget budget = training.budget(); // bad budget values fail here, before any loading
        SearchDefinition.requireValidation(data.dataSpec(0));
        // The first seed's task is loaded before anything is written: data that do not fit the
        // options (a subset larger than the split, a missing dataset) fail with nothing left behind.
        QuickTask first = QuickTask.load(backbone, seeds.get(0), data.dataSpec(seeds.get(0)), budget, System.out);
        Files.createDirectories(out);
        Path memoPath = memoFile != null ? memoFile : out.resolve("memo.jsonl");
        Instant started = Instant.now();
        String loadAtStart = loadAverage();
        long t0 = System.nanoTime();
        List<Trajectory> trajectories = new ArrayList<>();
        try (EvaluationMemo memo = EvaluationMemo.open(memoPath)) {
            System.out.printf(Locale.ROOT, "memo %s: %d runs stored%n", memoPath, memo.loaded());
            List<Long> done = new ArrayList<>();
            for (long seed : seeds) {
                long ts = System.nanoTime();
                QuickTask task = seed == seeds.get(0) ? first : QuickTask.load(backbone, seed, data.dataSpec(seed), budget,
                        System.out);
                trajectories.addAll(runSeed(task, memo));
                done.add(seed);
                double wall = (System.nanoTime() - t0) / 1e9;
                // Written after every seed, so a benchmark stopped early still leaves the seeds it finished.
                new ComparisonReport(trajectories, points, task.budget(), population).write(out,
                        header(started, wall, memo, optuna, done, loadAtStart, task));
                System.out.printf(Locale.ROOT, "seed %d: done in %.0f s; %.0f s in all, %d runs trained by this"
                        + " invocation, %d stored before; %s%n", seed, (System.nanoTime() - ts) / 1e9, wall,
                        memo.trained(), memo.loaded(), out.resolve("table.md"));
            }
        }
        return CommandRunner.OK;
    }

    private List<Trajectory> runSeed(QuickTask task, EvaluationMemo memo) throws InterruptedException, IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Trajectory>> futures = new ArrayList<>();
            for (String name : searchers) {
                futures.add(pool.submit(() -> trajectory(name, task, memo)));
            }
            List<Trajectory> done = new ArrayList<>();
            for (Future<Trajectory> f : futures) {
                Trajectory t = f.get();
                System.out.printf(Locale.ROOT, "seed %d %s: %d counted of %d proposals (%d infeasible, %d duplicates),"
                        + " %.0f s%s%n", t.seed(), t.searcher(), t.counted().size(), t.proposals(), t.infeasible(),
                        t.duplicates(), t.wallSeconds(), t.note().isEmpty() ? "" : "; " + t.note());
                done.add(t);
            }
            return done;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private Trajectory trajectory(String name, QuickTask task, EvaluationMemo memo) throws Exception {
        RunAccounting accounting = new RunAccounting(task.seed(), task.budget(), task.budget(), memo, task);
        if (OptunaTrajectory.NAMES.contains(name)) {
            return new OptunaTrajectory(python, optunaScript).run(name, task.budget(), accounting, population, runs,
                    maxTrials);
        }
        return AskTellTrajectory.run(name, searcher(SearcherKind.byName(name), task.budget(), task.seed(), runs, population),
                accounting, population, runs);
    }

    /**
     * A fresh tinysparse searcher over {@code budget} as {@code search --searcher NAME --runs RUNS
     * --population POP --seed S} creates it; contribution analysis gets as many finalists as fill
     * the runs after its measurements.
     */
    static Searcher searcher(SearcherKind kind, MemoryBudget budget, long seed, int runs, int population) {
        SearcherSettings s = new SearcherSettings(seed, runs, population, 3, 3, 1, 5);
        if (kind == SearcherKind.CONTRIBUTION) {
            long measurements = kind.create(budget, s).plannedRuns() - s.finalists();
            s = new SearcherSettings(seed, runs, population, 3, 3, 1, (int) Math.max(1, runs - measurements));
        }
        return kind.create(budget, s);
    }

    private int[] checkedCheckpoints() {
        int[] points = checkpoints.stream().mapToInt(Integer::intValue).toArray();
        if (runs < 1 || points.length == 0) {
            throw new InvalidInputException("--runs " + runs + " must be >= 1 with at least one --checkpoints");
        }
        for (int i = 0; i < points.length; i++) {
            if (points[i] < 1 || points[i] > runs || (i > 0 && points[i] <= points[i - 1])) {
                throw new InvalidInputException("--checkpoints " + checkpoints + " must ascend within [1, --runs "
                        + runs + "]");
            }
        }
        return points;
    }

    private void checkSearchers() {
        if (searchers.isEmpty() || new HashSet<>(searchers).size() != searchers.size()) {
            throw new InvalidInputException("--searchers " + searchers + " must list distinct searchers");
        }
        for (String name : searchers) {
            if (OptunaTrajectory.NAMES.contains(name)) {
                continue;
            }
            SearcherKind kind;
            try {
                kind = SearcherKind.byName(name);
            } catch (InvalidInputException e) {
                throw new InvalidInputException("--searchers '" + name + "' is not one of " + SearcherKind.names()
                        + ", " + String.join(", ", OptunaTrajectory.NAMES));
            }
            if (kind == SearcherKind.HALVING) {
                throw new InvalidInputException("--searchers halving: successive halving trains promoted candidates at"
                        + " 3x and 9x the budget, which this benchmark's one-run-per-candidate accounting cannot count");
            }
        }
    }

    /** Optuna's version as the given Python sees it; bad input in one line if it has none. */
    private String optunaVersion() throws IOException, InterruptedException {
        if (!Files.isRegularFile(optunaScript)) {
            throw new InvalidInputException("--optuna-script " + optunaScript + " does not exist");
        }
        Process p;
        try {
            p = new ProcessBuilder(python.toString(), "-c", "import optuna; print(optuna.__version__)")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new InvalidInputException("--python " + python + " cannot be run: " + e.getMessage());
        }
        String said;
        try (InputStream in = p.getInputStream()) {
            said = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (p.waitFor() != 0) {
            throw new InvalidInputException("Optuna is not installed for " + python
                    + " (apt-get install -y python3-optuna), needed by --searchers " + String.join(",", searchers));
        }
        return said;
    }

    private Map<String, Object> header(Instant started, double wallSeconds, EvaluationMemo memo, String optuna,
            List<Long> seedsDone, String loadAtStart, QuickTask task) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("started", started.toString());
        h.put("processors", Runtime.getRuntime().availableProcessors());
        h.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        h.put("load_average_at_start", loadAtStart);
        h.put("load_average_at_write", loadAverage());
        h.put("wall_seconds", Math.round(wallSeconds));
        h.put("runs_trained_by_this_invocation", memo.trained());
        h.put("runs_in_memo_before", memo.loaded());
        h.put("optuna", optuna);
        h.put("searchers", searchers);
        h.put("seeds", seedsDone);
        h.put("runs", runs);
        h.put("population", population);
        h.put("space", task.budget().space().toString());
        h.put("budget_bytes", task.budget().budgetBytes());
        h.put("data", task.planner().data().toString());
        h.put("training", task.planner().base().toString());
        h.put("memo", memo.file().toString());
        return h;
    }

    /** The 1, 5 and 15 minute load averages (Linux), for the record of how shared the machine was. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    public static void main(String[] args) {
        CommandLine cl = CommandRunner.commandLine(new SearcherComparison());
        OptionDefaults.usePreset(cl.getCommandSpec(), PRESET);
        System.exit(cl.execute(args));
    }
}
