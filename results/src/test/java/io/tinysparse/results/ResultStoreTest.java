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
import org.apache.spark.sql.Row;
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
        spark = SparkSession.builder()
                .master("local[1]")
                .appName("ResultStoreTest")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "1")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    static RunRecord run(String id, String search, int gen, double acc, long bytes) {
        return new RunRecord(id, search, gen, 0, 100, "{\"n_bias_update\":4}", 4, List.of(48), List.of(0.5),
                "cyclic", "mbv2-w0.35", 128, 10, "mnist", "generic-256kb", 7L, acc, List.of(0.5, acc),
                bytes - 1000, bytes, 262144L, bytes <= 262144L,
                List.of(new RunRecord.BreakdownEntry(48, "saved_input", 4096L)), 0.1, 0.6, 123456L, 12.5, 800.0,
                "abc", "0.1.0", "deadbeef", new Timestamp(1_700_000_000_000L));
    }

    static SearchRecord commit(String search, int gen) {
        Timestamp t = new Timestamp(1_700_000_000_000L);
        return new SearchRecord(search, gen, "running", "{}", "{\"generation\":" + gen + "}", 2L * (gen + 1), 3, 5, t, t);
    }

    static FrontRecord front(String search, int gen, double hv, RunRecord... members) {
        return new FrontRecord(search, gen, 0, hv, 262144L, Stream.of(members)
                .map(r -> new FrontRecord.Member(r.runId(), r.testAccuracy(), r.arenaBytes(), r.deviceTimeMs(), r.policyJson()))
                .toList());
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
        List<Row> hv = spark.sql("SELECT generation, hypervolume, front_size FROM hypervolume ORDER BY generation")
                .collectAsList();
        assertEquals(2, hv.size());
        assertEquals(2.0, hv.get(1).getDouble(1));
        assertEquals(2, hv.get(1).getInt(2));
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
}
