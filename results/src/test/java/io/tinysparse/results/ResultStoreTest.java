package io.tinysparse.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.results.Warehouse.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultStoreTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("ResultStoreTest");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** A complete run record; every column set by name. */
    static RunRecord run(String id, String search, int gen, double acc, long bytes) {
        return RunRecord.builder(search, gen)
                .set(RunsTable.RUN_ID, id)
                .set(RunsTable.FIDELITY, 0)
                .set(RunsTable.ITERATIONS, 100)
                .set(RunsTable.POLICY_JSON, "{\"n_bias_update\":4}")
                .set(RunsTable.BIAS_LAYERS, 4)
                .set(RunsTable.WEIGHT_LAYERS, List.of(48))
                .set(RunsTable.WEIGHT_RATIOS, List.of(0.5))
                .set(RunsTable.SELECTION, "cyclic")
                .set(RunsTable.MODEL, "mbv2-w0.35")
                .set(RunsTable.RESOLUTION, 128)
                .set(RunsTable.NUM_CLASSES, 10)
                .set(RunsTable.DATASET, "mnist")
                .set(RunsTable.DEVICE, "generic-256kb")
                .set(RunsTable.SEED, 7L)
                .set(RunsTable.TEST_ACCURACY, acc)
                .set(RunsTable.VAL_ACCURACY, List.of(0.5, acc))
                .set(RunsTable.LIN2022_BYTES, bytes - 1000)
                .set(RunsTable.ARENA_BYTES, bytes)
                .set(RunsTable.BUDGET_BYTES, 262144L)
                .set(RunsTable.FEASIBLE, bytes <= 262144L)
                .set(RunsTable.BREAKDOWN, List.of(new RunRecord.BreakdownEntry(48, "saved_input", 4096L)))
                .set(RunsTable.UPDATED_FRACTION, 0.1)
                .set(RunsTable.COVERAGE, 0.6)
                .set(RunsTable.TRAIN_MACS, 123456L)
                .set(RunsTable.DEVICE_TIME_MS, 12.5)
                .set(RunsTable.WALL_TIME_MS, 800.0)
                .set(RunsTable.BACKBONE_HASH, "abc")
                .set(RunsTable.TINYSPARSE_VERSION, "0.1.0")
                .set(RunsTable.GIT_COMMIT, "deadbeef")
                .set(RunsTable.CREATED_AT, new Timestamp(1_700_000_000_000L))
                .build();
    }

    static SearchRecord commit(String search, int gen) {
        Timestamp t = new Timestamp(1_700_000_000_000L);
        return new SearchRecord(search, gen, "running", "{}", "{\"generation\":" + gen + "}", 2L * (gen + 1), 3, 5, t, t);
    }

    static FrontRecord front(String search, int gen, double hv, RunRecord... members) {
        return new FrontRecord(search, gen, 0, hv, 262144L, Stream.of(members)
                .map(r -> new FrontRecord.Member(r.runId(), r.testAccuracy(), r.arenaBytes(), r.deviceTimeMs(), r.policyJson(),
                        r.validationAccuracy(), null, null, null, null, 1, null, r.get(RunsTable.LIN2022_BYTES)))
                .toList(), null);
    }

    @Test
    void runsAndFrontsUpToAGenerationLeaveOutTheLaterOnes() {
        ResultStore store = new ResultStore(spark, dir.toString());
        RunRecord a = run("r1", "s", 0, 0.81, 100_000);
        RunRecord b = run("r2", "s", 1, 0.85, 200_000);
        assertTrue(store.commitGeneration(commit("s", 0), List.of(a), List.of(front("s", 0, 1.0, a))));
        assertTrue(store.commitGeneration(commit("s", 1), List.of(b), List.of(front("s", 1, 2.0, a, b))));
        assertEquals(List.of("r1"), store.runsOf("s", 0).stream().map(RunRecord::runId).toList());
        assertEquals(List.of(0), store.frontsOf("s", 0).stream().map(FrontRecord::generation).toList());
        assertEquals(2, store.runsOf("s").size());
        assertEquals(2, store.frontsOf("s").size());
    }

    @Test
    void committedRunsReadBackIdenticallyWithPartitionColumnsTyped() {
        ResultStore store = new ResultStore(spark, dir.toString());
        RunRecord a = run("r1", "42", 0, 0.81, 100_000);
        RunRecord b = run("r2", "42", 0, 0.85, 200_000);
        assertTrue(store.commitGeneration(commit("42", 0), List.of(a, b), List.of(front("42", 0, 1.0, a, b))));

        List<RunRecord> back = store.runsOf("42");
        assertEquals(2, back.size());
        RunRecord r1 = back.stream().filter(r -> r.runId().equals("r1")).findFirst().orElseThrow();
        assertEquals(a, r1);
        assertEquals("42", store.latestCommit("42").orElseThrow().searchId());
    }

    @Test
    void recommittingAGenerationWritesNothingTwice() {
        ResultStore store = new ResultStore(spark, dir.toString());
        RunRecord a = run("r1", "s", 0, 0.8, 100_000);
        assertTrue(store.commitGeneration(commit("s", 0), List.of(a), List.of(front("s", 0, 1.0, a))));
        assertFalse(store.commitGeneration(commit("s", 0), List.of(a), List.of(front("s", 0, 1.0, a))));
        store.registerViews();
        assertEquals(1L, spark.sql("SELECT count(*) FROM runs").first().getLong(0));
        assertEquals(1L, spark.sql("SELECT count(*) FROM fronts_log").first().getLong(0));
        assertEquals(1L, spark.sql("SELECT count(*) FROM searches_log").first().getLong(0));
    }

    @Test
    void viewsShowTheLatestCommitAndTheLatestFront() {
        ResultStore store = new ResultStore(spark, dir.toString());
        RunRecord a = run("r1", "s", 0, 0.80, 100_000);
        RunRecord b = run("r2", "s", 1, 0.90, 150_000);
        store.commitGeneration(commit("s", 0), List.of(a), List.of(front("s", 0, 1.0, a)));
        store.commitGeneration(commit("s", 1), List.of(b), List.of(front("s", 1, 2.0, a, b)));
        store.registerViews();

        assertEquals(2L, spark.sql("SELECT count(*) FROM runs WHERE search_id = 's'").first().getLong(0));
        Row latest = spark.sql("SELECT generation, runs_done FROM searches").first();
        assertEquals(1, latest.getInt(0));
        List<Row> pareto = spark.sql("SELECT run_id, generation FROM pareto ORDER BY arena_bytes").collectAsList();
        assertEquals(List.of("r1", "r2"), pareto.stream().map(r -> r.getString(0)).toList());
        assertEquals(1, pareto.get(0).getInt(1));
        List<Row> hv = spark.sql("SELECT generation, hypervolume, front_size, hypervolume_fraction FROM hypervolume"
                + " ORDER BY generation").collectAsList();
        assertEquals(2, hv.size());
        assertEquals(2.0, hv.get(1).getDouble(1));
        assertEquals(2, hv.get(1).getInt(2));
        assertEquals(2.0 / 262_144, hv.get(1).getDouble(3), 1e-15, "the hypervolume over the box of accuracy 1 x budget");
    }

    @Test
    void searchesAndTheirFrontsSayTheirPrecisionFromTheConfiguration() {
        ResultStore store = new ResultStore(spark, dir.toString());
        RunRecord a = run("r1", "fp", 0, 0.80, 100_000);
        RunRecord b = run("r2", "q", 0, 0.70, 100_000);
        RunRecord c = run("r3", "noqas", 0, 0.40, 100_000);
        store.commitGeneration(commit("fp", 0), List.of(a), List.of(front("fp", 0, 1.0, a)));
        store.commitGeneration(withConfig(commit("q", 0), "{\"quantization\":{\"precision\":\"int8\",\"qas\":true,"
                + "\"calibration_dataset\":\"fashion-mnist\",\"calibration_samples\":256}}"), List.of(b),
                List.of(front("q", 0, 1.0, b)));
        store.commitGeneration(withConfig(commit("noqas", 0), "{\"quantization\":{\"precision\":\"int8\","
                + "\"qas\":false}}"), List.of(c), List.of(front("noqas", 0, 1.0, c)));
        store.registerViews();
        assertEquals(List.of("fp fp32", "noqas int8", "q int8+qas"), spark.sql("SELECT search_id, precision FROM"
                + " searches ORDER BY search_id").collectAsList().stream().map(r -> r.getString(0) + " "
                + r.getString(1)).toList());
        assertEquals(List.of("r1 fp32", "r2 int8+qas", "r3 int8"), spark.sql("SELECT run_id, precision FROM pareto"
                + " ORDER BY run_id").collectAsList().stream().map(r -> r.getString(0) + " " + r.getString(1))
                .toList());
    }

    @Test
    void aSearchOverPrunedBackbonesListsItsRatiosAndEachFrontMemberSaysItsRatio() {
        ResultStore store = new ResultStore(spark, dir.toString());
        RunRecord unpruned = run("r1", "p", 0, 0.80, 150_000);
        RunRecord pruned = withBackbone(run("r2", "p", 0, 0.75, 90_000), "h50");
        RunRecord plain = run("r3", "plain", 0, 0.80, 150_000);
        store.commitGeneration(withConfig(commit("p", 0), "{\"prune_ratios\":[0.0,0.5],\"backbone_hashes\":[\"abc\","
                + "\"h50\"]}"), List.of(unpruned, pruned), List.of(front("p", 0, 1.0, unpruned, pruned)));
        store.commitGeneration(commit("plain", 0), List.of(plain), List.of(front("plain", 0, 1.0, plain)));
        store.registerViews();
        assertEquals(List.of("p [0.0, 0.5] [abc, h50]", "plain null null"), spark.sql("SELECT search_id, prune_ratios,"
                + " backbone_hashes FROM searches ORDER BY search_id").collectAsList().stream().map(r -> r.getString(0)
                + " " + (r.isNullAt(1) ? null : r.getList(1)) + " " + (r.isNullAt(2) ? null : r.getList(2))).toList());
        assertEquals(List.of("r1 0.0", "r2 0.5", "r3 null"), spark.sql("SELECT run_id, prune_ratio FROM pareto"
                + " ORDER BY run_id").collectAsList().stream().map(r -> r.getString(0) + " "
                + (r.isNullAt(1) ? null : r.getDouble(1))).toList());
    }

    private static RunRecord withBackbone(RunRecord r, String hash) {
        return r.toBuilder(r.searchId(), r.generation()).set(RunsTable.BACKBONE_HASH, hash).build();
    }

    private static SearchRecord withConfig(SearchRecord r, String configJson) {
        return new SearchRecord(r.searchId(), r.generation(), r.status(), configJson, r.stateJson(), r.runsDone(),
                r.infeasibleRejected(), r.candidatesConsidered(), r.startedAt(), r.updatedAt());
    }

    @Test
    void viewsOfAnEmptyWarehouseAreEmptyNotErrors() {
        ResultStore store = new ResultStore(spark, dir.resolve("nothing-yet").toString());
        store.registerViews();
        assertEquals(0L, spark.sql("SELECT count(*) FROM pareto").first().getLong(0));
        assertTrue(store.latestCommit("x").isEmpty());
        assertTrue(store.runsOf("x").isEmpty());
    }

    @Test
    void aStagingDirectoryLeftByACrashIsInvisibleAndRemovable() throws Exception {
        ResultStore store = new ResultStore(spark, dir.toString());
        RunRecord a = run("r1", "s", 0, 0.8, 100_000);
        store.commitGeneration(commit("s", 0), List.of(a), List.of());
        Path stale = dir.resolve("runs/_staging/s/crashed");
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("part-0.parquet"), "half-written");
        store.registerViews();
        assertEquals(1L, spark.sql("SELECT count(*) FROM runs").first().getLong(0));
        store.warehouse().removeStaging("s");
        assertFalse(Files.exists(stale));
        assertEquals(List.of(0), store.warehouse().committedGenerations(Table.RUNS, "s"));
    }

    @Test
    void badSearchIdsAreRejectedWithTheirValue() {
        ResultStore store = new ResultStore(spark, dir.toString());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> store.commitGeneration(commit("../etc", 0), List.of(), List.of()));
        assertTrue(e.getMessage().contains("'../etc'"), e.getMessage());
    }

    @Test
    void rowsOfANewerSchemaVersionAreRefusedWithAnErrorNamingTheVersion() {
        ResultStore store = new ResultStore(spark, dir.toString());
        Row row = RunsTable.SCHEMA.toFileRow(run("r1", "s", 0, 0.8, 100_000));
        Object[] values = new Object[row.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        int newer = RunsTable.VERSION + 1;
        values[row.size() - 1] = newer;
        store.warehouse().commitPartition(Table.RUNS, "s", 0,
                spark.createDataFrame(List.of(RowFactory.create(values)), RunsTable.SCHEMA.fileSchema()));

        InvalidInputException read = assertThrows(InvalidInputException.class, () -> store.runsOf("s"));
        assertTrue(read.getMessage().contains("schema version " + newer + ","), read.getMessage());
        assertTrue(read.getMessage().contains("search 's' generation 0"), read.getMessage());
        InvalidInputException views = assertThrows(InvalidInputException.class, store::registerViews);
        assertTrue(views.getMessage().contains("runs has schema version " + newer + ","), views.getMessage());
    }

    @Test
    void aStoredRowWithoutARequiredColumnIsABadInputNamingTheColumn() {
        ResultStore store = new ResultStore(spark, dir.toString());
        Dataset<Row> rows = spark.createDataFrame(List.of(RunsTable.SCHEMA.toFileRow(run("r1", "s", 3, 0.8, 100_000))),
                RunsTable.SCHEMA.fileSchema());
        store.warehouse().commitPartition(Table.RUNS, "s", 3, rows.drop("coverage"));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> store.runsOf("s"));
        assertTrue(e.getMessage().contains("column 'coverage' is required"), e.getMessage());
        assertTrue(e.getMessage().contains("search 's' generation 3"), e.getMessage());
    }

    @Test
    void frontsAndSearchCommitsReadBackIdentically() {
        ResultStore store = new ResultStore(spark, dir.toString());
        RunRecord a = run("r1", "s", 0, 0.81, 100_000);
        RunRecord b = run("r2", "s", 0, 0.85, 200_000);
        FrontRecord f = front("s", 0, 1.5, a, b);
        SearchRecord c = commit("s", 0);
        store.commitGeneration(c, List.of(a, b), List.of(f));
        assertEquals(List.of(f), store.frontsOf("s"));
        assertEquals(c, store.latestCommit("s").orElseThrow());
    }

    @Test
    void aThreeObjectiveFrontKeepsItsTimeEdgeAndTheViewsGiveItsFractionBesideTwoObjectiveFronts() {
        ResultStore store = new ResultStore(spark, dir.toString());
        RunRecord a = run("r1", "t", 0, 0.81, 100_000);
        FrontRecord two = front("s", 0, 0.5 * 262_144, a);
        FrontRecord f = front("t", 0, 0.5 * 262_144 * 0.8, a);
        FrontRecord three = new FrontRecord("t", 0, 0, f.hypervolume(), f.budgetBytes(), f.members(), null, 800.0);
        store.commitGeneration(commit("s", 0), List.of(run("r1", "s", 0, 0.81, 100_000)), List.of(two));
        store.commitGeneration(commit("t", 0), List.of(a), List.of(three));
        assertEquals(List.of(three), store.frontsOf("t"));
        assertEquals(0.5, store.frontsOf("t").get(0).hypervolumeFraction(), 1e-12);
        store.registerViews();
        List<Row> hv = spark.sql("SELECT search_id, objectives, time_reference_ms, hypervolume_fraction FROM hypervolume"
                + " ORDER BY search_id").collectAsList();
        assertEquals("accuracy,memory", hv.get(0).getString(1));
        assertTrue(hv.get(0).isNullAt(2));
        assertEquals(0.5, hv.get(0).getDouble(3), 1e-12);
        assertEquals("accuracy,memory,time", hv.get(1).getString(1));
        assertEquals(800.0, hv.get(1).getDouble(2));
        assertEquals(0.5, hv.get(1).getDouble(3), 1e-12, "accuracy x bytes x seconds over 1 x budget x 0.8 s");
    }
}
