package io.tinysparse.jobs;

import io.tinysparse.results.FrontRecord;
import io.tinysparse.results.ResultStore;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.RunsTable;
import io.tinysparse.results.SearchRecord;
import io.tinysparse.search.pareto.Hypervolume;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;

/**
 * A small halving-like search written to a warehouse for the report's tests, without training:
 * three generations of 8 runs at fidelity 0 (three channel selections), 4 of them promoted to
 * fidelity 1 in the last generation, the fronts of every generation and fidelity, and a dense
 * reference beside the final front. Values are drawn from a fixed seed; what the report must
 * show of them is returned. With time, the fronts are over accuracy, SRAM and device time per step
 * (the 3-D hypervolume up to {@link #TIME_REFERENCE_MS}), as a search with
 * {@code --objectives accuracy,memory,time} stores them.
 *
 * @param searchId        the search
 * @param runsByFidelity  runs stored per fidelity level (the reference not counted)
 * @param frontByFidelity members of the latest front per fidelity level
 * @param fronts          fronts committed (every generation and level)
 * @param best            breakdown entries and validation points of the run the page shows first
 */
record ReportSearchFixture(String searchId, List<Integer> runsByFidelity, List<Integer> frontByFidelity, int fronts,
        int bestBreakdownEntries, int bestCurvePoints) {
    static final long BUDGET = 262_144;
    /** The time edge of a 3-objective fixture's box, ms. */
    static final double TIME_REFERENCE_MS = 30;
    private static final String[] STRATEGIES = {"magnitude", "dynamic-random", "cyclic"};
    private static final double[] RATIOS = {0.125, 0.25, 0.5, 1.0};

    /** Writes search {@code searchId} into {@code warehouse}. */
    static ReportSearchFixture write(Path warehouse, String searchId) {
        return write(warehouse, searchId, false);
    }

    /** Writes search {@code searchId} into {@code warehouse}, with device time as a third objective if {@code time}. */
    static ReportSearchFixture write(Path warehouse, String searchId, boolean time) {
        Random random = new Random(14);
        SparkSession spark = SparkSessions.create("report-fixture", "local[1]", false);
        try {
            ResultStore store = new ResultStore(spark, warehouse.toString());
            List<RunRecord> all = new ArrayList<>();
            int fronts = 0;
            List<FrontRecord> last = List.of();
            for (int g = 0; g < 3; g++) {
                List<RunRecord> generation = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    generation.add(run(random, searchId, g, 0, "search"));
                }
                if (g == 2) {
                    List<RunRecord> best = all.stream().sorted(Comparator.comparingDouble(RunRecord::validationAccuracy)
                            .reversed()).limit(4).toList();
                    for (RunRecord r : best) {
                        generation.add(promoted(r, searchId, g));
                    }
                }
                all.addAll(generation);
                RunRecord dense = g == 2 ? run(random, searchId, g, 1, "reference") : null;
                if (dense != null) {
                    generation.add(dense);
                }
                List<FrontRecord> fs = new ArrayList<>();
                for (int level : new TreeSet<>(all.stream().map(RunRecord::fidelity).toList())) {
                    List<RunRecord> atLevel = all.stream().filter(r -> r.fidelity() == level).toList();
                    fs.add(time ? frontWithTime(searchId, g, level, atLevel, level == 1 ? dense : null)
                            : front(searchId, g, level, atLevel, level == 1 ? dense : null));
                }
                fronts += fs.size();
                last = fs;
                Timestamp t = new Timestamp(1_764_500_000_000L + g * 60_000L);
                store.commitGeneration(new SearchRecord(searchId, g, g == 2 ? "finished" : "running",
                        "{\"searcher\":\"halving\",\"budget_bytes\":" + BUDGET + "}", "{}", all.size(), 5L * g,
                        all.size() + 5L * g, new Timestamp(1_764_500_000_000L), t), generation, fs);
            }
            FrontRecord top = last.get(last.size() - 1);
            FrontRecord.Member shown = top.members().stream().max(Comparator.comparingDouble(m -> m.validationAccuracy()))
                    .orElseThrow();
            RunRecord shownRun = all.stream().filter(r -> r.runId().equals(shown.runId())).findFirst().orElseThrow();
            return new ReportSearchFixture(searchId,
                    List.of((int) all.stream().filter(r -> r.fidelity() == 0).count(),
                            (int) all.stream().filter(r -> r.fidelity() == 1).count()),
                    last.stream().map(f -> f.members().size()).toList(), fronts,
                    shownRun.get(RunsTable.BREAKDOWN).size(), shownRun.get(RunsTable.VAL_ACCURACY).size());
        } finally {
            spark.stop();
        }
    }

    /** A run drawn from {@code random}: a policy of two of the last 15 layers, its accuracy growing with its memory. */
    static RunRecord run(Random random, String searchId, int generation, int fidelity, String role) {
        boolean dense = role.equals("reference");
        int bias = dense ? 51 : 4 + random.nextInt(22);
        String strategy = STRATEGIES[random.nextInt(STRATEGIES.length)];
        List<Integer> layers = new ArrayList<>(new TreeSet<>(List.of(36 + random.nextInt(15), 36 + random.nextInt(15))));
        List<Double> ratios = new ArrayList<>();
        StringBuilder weights = new StringBuilder();
        for (int layer : layers) {
            double ratio = RATIOS[random.nextInt(RATIOS.length)];
            ratios.add(ratio);
            weights.append(weights.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"layer\":%d,\"ratio\":%s}", layer, ratio));
        }
        String policy = String.format(Locale.ROOT, "{\"bias_layers\":%d,\"selection\":{\"refresh_period\":%d,"
                + "\"strategy\":\"%s\"},\"train_classifier\":true,\"weights\":[%s]}", bias,
                strategy.equals("magnitude") ? 0 : 1 + random.nextInt(10), strategy, weights);
        long bytes = dense ? 1_507_336 : 60_000 + random.nextInt(190_000);
        double accuracy = dense ? 0.91 : Math.min(0.95, 0.55 + 0.3 * bytes / BUDGET + 0.1 * random.nextDouble());
        List<RunRecord.BreakdownEntry> breakdown = new ArrayList<>();
        breakdown.add(new RunRecord.BreakdownEntry(-1, "activation", 3 * 32 * 32));
        for (int layer : layers) {
            breakdown.add(new RunRecord.BreakdownEntry(layer, "saved_input", 4_000 + random.nextInt(20_000)));
            breakdown.add(new RunRecord.BreakdownEntry(layer, "trainable_weights", 2_000 + random.nextInt(8_000)));
            breakdown.add(new RunRecord.BreakdownEntry(layer, "relu_mask", 200 + random.nextInt(800)));
        }
        breakdown.add(new RunRecord.BreakdownEntry(50, "activation_gradient", 8_000));
        breakdown.add(new RunRecord.BreakdownEntry(51, "classifier", 4_520));
        String id = String.format(Locale.ROOT, "%016x%016x", random.nextLong(), random.nextLong());
        return RunRecord.builder(searchId, generation)
                .set(RunsTable.RUN_ID, id)
                .set(RunsTable.FIDELITY, fidelity)
                .set(RunsTable.ITERATIONS, fidelity == 0 ? 300 : 900)
                .set(RunsTable.POLICY_JSON, policy)
                .set(RunsTable.BIAS_LAYERS, bias)
                .set(RunsTable.WEIGHT_LAYERS, layers)
                .set(RunsTable.WEIGHT_RATIOS, ratios)
                .set(RunsTable.SELECTION, strategy)
                .set(RunsTable.MODEL, "mbv2-w0.35")
                .set(RunsTable.RESOLUTION, 32)
                .set(RunsTable.NUM_CLASSES, 10)
                .set(RunsTable.DATASET, "mnist")
                .set(RunsTable.DEVICE, "generic-256kb")
                .set(RunsTable.SEED, 99L)
                .set(RunsTable.TEST_ACCURACY, accuracy - 0.01)
                .set(RunsTable.VAL_ACCURACY, List.of(accuracy - 0.2, accuracy - 0.05, accuracy))
                .set(RunsTable.LIN2022_BYTES, bytes / 2)
                .set(RunsTable.ARENA_BYTES, bytes)
                .set(RunsTable.BUDGET_BYTES, BUDGET)
                .set(RunsTable.FEASIBLE, bytes <= BUDGET)
                .set(RunsTable.BREAKDOWN, breakdown)
                .set(RunsTable.UPDATED_FRACTION, 0.002 + 0.02 * random.nextDouble())
                .set(RunsTable.COVERAGE, strategy.equals("magnitude") ? 0.05 : 0.3 + 0.7 * random.nextDouble())
                .set(RunsTable.TRAIN_MACS, 1_200_000L + random.nextInt(300_000))
                .set(RunsTable.DEVICE_TIME_MS, 7 + 3 * random.nextDouble())
                .set(RunsTable.WALL_TIME_MS, 900.0)
                .set(RunsTable.BACKBONE_HASH, "b0")
                .set(RunsTable.TINYSPARSE_VERSION, "test")
                .set(RunsTable.GIT_COMMIT, "unknown")
                .set(RunsTable.CREATED_AT, new Timestamp(1_764_500_000_000L))
                .set(RunsTable.ROLE, role)
                .set(RunsTable.LEARNING_RATE, dense ? 0.01 : 0.03)
                .set(RunsTable.TRAINED_BY, searchId)
                .build();
    }

    /** {@code r} trained again at fidelity 1 (three times the steps, a little more accurate), as a new run. */
    private static RunRecord promoted(RunRecord r, String searchId, int generation) {
        double accuracy = Math.min(0.97, r.validationAccuracy() + 0.03);
        return r.toBuilder(searchId, generation)
                .set(RunsTable.RUN_ID, new StringBuilder(r.runId()).reverse().toString())
                .set(RunsTable.FIDELITY, 1)
                .set(RunsTable.ITERATIONS, 900)
                .set(RunsTable.VAL_ACCURACY, List.of(accuracy - 0.1, accuracy - 0.03, accuracy))
                .build();
    }

    /** The front of {@code runs} (higher validation accuracy at fewer arena bytes) and its hypervolume. */
    private static FrontRecord front(String searchId, int generation, int fidelity, List<RunRecord> runs,
            RunRecord reference) {
        List<RunRecord> members = new ArrayList<>();
        double bestAccuracy = -1;
        for (RunRecord r : runs.stream().sorted(Comparator.comparingLong(RunRecord::arenaBytes)
                .thenComparing(Comparator.comparingDouble(RunRecord::validationAccuracy).reversed())).toList()) {
            if (r.arenaBytes() <= BUDGET && r.validationAccuracy() > bestAccuracy) {
                members.add(r);
                bestAccuracy = r.validationAccuracy();
            }
        }
        double area = 0;
        for (int i = 0; i < members.size(); i++) {
            long right = i + 1 < members.size() ? members.get(i + 1).arenaBytes() : BUDGET;
            area += members.get(i).validationAccuracy() * (right - members.get(i).arenaBytes());
        }
        return new FrontRecord(searchId, generation, fidelity, area, BUDGET,
                members.stream().map(ReportSearchFixture::member).toList(), reference == null ? null : member(reference));
    }

    /** The front of {@code runs} over accuracy, arena bytes and device time, and its 3-D hypervolume. */
    private static FrontRecord frontWithTime(String searchId, int generation, int fidelity, List<RunRecord> runs,
            RunRecord reference) {
        List<RunRecord> feasible = runs.stream().filter(r -> r.arenaBytes() <= BUDGET).toList();
        List<RunRecord> members = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (RunRecord r : feasible) {
            if (feasible.stream().noneMatch(o -> o != r && o.validationAccuracy() >= r.validationAccuracy()
                    && o.arenaBytes() <= r.arenaBytes() && o.deviceTimeMs() <= r.deviceTimeMs()
                    && (o.validationAccuracy() > r.validationAccuracy() || o.arenaBytes() < r.arenaBytes()
                            || o.deviceTimeMs() < r.deviceTimeMs()))) {
                members.add(r);
                points.add(new double[] {-r.validationAccuracy(), r.arenaBytes(), r.deviceTimeMs() / 1000});
            }
        }
        members.sort(Comparator.comparingLong(RunRecord::arenaBytes));
        double volume = Hypervolume.of3d(points.toArray(double[][]::new),
                new double[] {0, BUDGET, TIME_REFERENCE_MS / 1000});
        return new FrontRecord(searchId, generation, fidelity, volume, BUDGET,
                members.stream().map(ReportSearchFixture::member).toList(), reference == null ? null : member(reference),
                TIME_REFERENCE_MS);
    }

    private static FrontRecord.Member member(RunRecord r) {
        return new FrontRecord.Member(r.runId(), r.testAccuracy(), r.arenaBytes(), r.deviceTimeMs(), r.policyJson(),
                r.validationAccuracy(), null, null, null, null, 1, null, r.get(RunsTable.LIN2022_BYTES));
    }
}
