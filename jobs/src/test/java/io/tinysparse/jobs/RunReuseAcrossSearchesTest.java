package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.results.ResultStore;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.RunsTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search over runs another search of the warehouse has stored takes them instead of training
 * them: stored in its own partitions with {@code trained_by} naming the search that trained them,
 * the same fronts as training them, and a damaged partition of the other search skipped (its runs
 * trained) rather than used or failing the search. One small search {@code a} (with replicates and
 * the dense reference, so report and reference runs are reused too) is made once and copied for
 * each case.
 */
class RunReuseAcrossSearchesTest {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static Path backbone;
    /** The warehouse holding search {@code a} alone. */
    static Path first;

    @BeforeAll
    static void searchOnce() throws Exception {
        if (SearchJobTest.mnistInstalled()) {
            backbone = SearchJobTest.smallBackbone(shared);
            first = shared.resolve("wh");
            search(args(first, "a"));
        }
    }

    /** Two generations of 3 runs, then the report (2 replicates) with the dense reference. */
    static String[] args(Path warehouse, String id, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("--backbone", backbone.toString(), "--search-id", id,
                "--warehouse", warehouse.toString(), "--runs", "6", "--population", "3", "--iterations", "8",
                "--train-samples", "20", "--val-samples", "10", "--test-samples", "20", "--report-test-samples", "20",
                "--replicates", "2", "--master", "local[2]"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /** A copy of the warehouse holding search {@code a}, with its times (the released lease is marked by its age). */
    Path copy() throws IOException {
        Path to = dir.resolve("wh");
        SchemaVersion1WarehouseTest.copyTree(first, to, StandardCopyOption.COPY_ATTRIBUTES);
        return to;
    }

    /** Runs {@code search} with {@code args}, asserting exit 0; its console output. */
    static String search(String... args) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(console, true));
        try {
            assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), args), console.toString());
        } finally {
            System.setOut(stdout);
        }
        return console.toString();
    }

    /** Reads {@code query} against the warehouse's views. */
    static <T> T withStore(Path warehouse, java.util.function.BiFunction<SparkSession, ResultStore, T> query) {
        SparkSession spark = SparkSessions.create("reuse", "local[1]", false);
        try {
            return query.apply(spark, new ResultStore(spark, warehouse.toString()));
        } finally {
            spark.stop();
        }
    }

    static Map<String, RunRecord> runsOf(Path warehouse, String search) {
        return withStore(warehouse, (spark, store) -> SchemaVersion1WarehouseTest.byRunId(store.runsOf(search)));
    }

    /** The fronts of a search as they compare across searches: generation, fidelity, hypervolume, members, reference. */
    static List<List<Object>> fronts(Path warehouse, String search) {
        return withStore(warehouse, (spark, store) -> store.frontsOf(search).stream()
                .map(f -> List.<Object>of(f.generation(), f.fidelity(), f.hypervolume(), f.members(),
                        String.valueOf(f.reference())))
                .toList());
    }

    /** Run {@code r} of search {@code a} as search {@code b} stores it when it takes it. */
    static RunRecord takenFrom(RunRecord r, String b) {
        return r.toBuilder(b, r.generation()).set(RunsTable.TRAINED_BY, r.searchId()).build();
    }

    @Test
    void aSecondSearchOfTheSameSpaceTakesEveryRunOfTheFirstTrainsNoneAndEndsWithItsFronts() throws Exception {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path wh = copy();
        String console = search(args(wh, "b"));

        Map<String, RunRecord> a = runsOf(wh, "a");
        Map<String, RunRecord> b = runsOf(wh, "b");
        assertTrue(a.size() > 6, "searched, report and reference runs: " + a.size());
        assertEquals(a.keySet(), b.keySet(), "the same runs");
        for (RunRecord r : a.values()) {
            assertEquals("a", r.get(RunsTable.TRAINED_BY), "a search's own runs are trained by it");
            // Equal in every column (created_at and wall_time_ms included: a copy, not a retraining).
            assertEquals(takenFrom(r, "b"), b.get(r.runId()));
        }
        assertTrue(console.contains("search b: 0 runs trained in"), console);
        assertTrue(console.contains("search b: " + a.size() + " runs reused from other searches, not trained ("
                + a.size() + " from a)"), console);
        assertTrue(console.contains("(0 trained now, 3 reused, 3 of them from other searches)"), console);
        assertEquals(fronts(wh, "a"), fronts(wh, "b"), "the same fronts, generation by generation");

        List<Row> usage = withStore(wh, (spark, store) -> {
            store.registerViews();
            return spark.sql("SELECT DISTINCT first_trained_by, CAST(trainers AS STRING), CAST(used_by AS STRING),"
                    + " searches FROM run_usage").collectAsList();
        });
        assertEquals(1, usage.size(), usage.toString());
        assertEquals(List.of("a", "[a]", "[a, b]", 2L), List.of(usage.get(0).get(0), usage.get(0).get(1),
                usage.get(0).get(2), usage.get(0).get(3)));
    }

    @Test
    void withoutReuseTheSecondSearchTrainsEveryRunItselfAndTheUsageViewNamesBothTrainers() throws Exception {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path wh = copy();
        String console = search(args(wh, "c", "--no-reuse-runs"));
        assertFalse(console.contains("from other searches"), console);

        Map<String, RunRecord> a = runsOf(wh, "a");
        Map<String, RunRecord> c = runsOf(wh, "c");
        assertEquals(a.keySet(), c.keySet());
        for (RunRecord r : c.values()) {
            assertEquals("c", r.trainedBy());
            assertEquals(a.get(r.runId()).get(RunsTable.VAL_ACCURACY), r.get(RunsTable.VAL_ACCURACY),
                    "trained again, to the same figures");
        }
        List<Row> usage = withStore(wh, (spark, store) -> {
            store.registerViews();
            return spark.sql("SELECT DISTINCT CAST(trainers AS STRING), CAST(used_by AS STRING) FROM run_usage")
                    .collectAsList();
        });
        assertEquals(1, usage.size(), usage.toString());
        assertEquals(List.of("[a, c]", "[a, c]"), List.of(usage.get(0).get(0), usage.get(0).get(1)));
    }

    @Test
    void aDamagedPartitionOfTheOtherSearchIsSkippedWithAWarningItsRunsTrainedAndTheFrontsUnchanged() throws Exception {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path wh = copy();
        Path file;
        try (Stream<Path> files = Files.list(wh.resolve("runs/search_id=a/generation=1"))) {
            file = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Files.write(file, new byte[0]);
        String console = search(args(wh, "b"));
        assertTrue(console.contains("search b: warning: runs of search 'a' generation 1 not reused (its file " + file
                + " is damaged: 0 bytes, its manifest records"), console);

        Map<String, RunRecord> undamaged = runsOf(first, "a");
        Map<String, RunRecord> b = runsOf(wh, "b");
        assertEquals(undamaged.keySet(), b.keySet());
        long trainedHere = 0;
        for (RunRecord r : undamaged.values()) {
            RunRecord got = b.get(r.runId());
            if (r.generation() == 1) {
                assertEquals("b", got.trainedBy(), "runs of the damaged partition are trained");
                assertEquals(r.get(RunsTable.VAL_ACCURACY), got.get(RunsTable.VAL_ACCURACY));
                trainedHere++;
            } else {
                assertEquals(takenFrom(r, "b"), got, "runs of sound partitions are taken");
            }
        }
        assertTrue(trainedHere > 0);
        assertTrue(console.contains("search b: " + trainedHere + " runs trained in"), console);
        assertEquals(fronts(first, "a"), fronts(wh, "b"), "the fronts of the undamaged search");
    }
}
