package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.results.Column;
import io.tinysparse.results.FrontRecord;
import io.tinysparse.results.ResultStore;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.RunsTable;
import io.tinysparse.search.driver.SearchRules;
import io.tinysparse.results.SearchRecord;
import io.tinysparse.results.TableSchema;
import io.tinysparse.results.Warehouse.Table;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse written by the tinysparse of commit 3fd7914 (every table at schema version 1), kept
 * in {@code src/test/resources/warehouse-schema1} with the crash it describes in its README: read by
 * today's code value for value, and its interrupted search resumed without training again.
 */
class SchemaVersion1WarehouseTest {
    static final Path FIXTURE = Paths.get("src/test/resources/warehouse-schema1");
    static final String SEARCH = "old-nsga2";

    @TempDir
    Path dir;

    /** Copies every directory and file under {@code from} to the same place under {@code to}. */
    static void copyTree(Path from, Path to, java.nio.file.CopyOption... options) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, options);
                }
            }
        }
    }

    /** A copy of the fixture to write into, and the backbone it was written with (rebuilt: initialisation is seeded). */
    Path warehouse() throws IOException {
        Path wh = dir.resolve("wh");
        copyTree(FIXTURE, wh);
        Network.initialize(new ModelSpec(0.35, 32, 10, false, 1), 3).save(dir.resolve("b.tsn"));
        return wh;
    }

    /** The options the fixture's search was written with, on {@code warehouse}, search id {@code id}. */
    String[] options(Path warehouse, String id, String... more) {
        List<String> a = new ArrayList<>(List.of("--backbone", dir.resolve("b.tsn").toString(), "--search-id", id,
                "--warehouse", warehouse.toString(), "--runs", "4", "--population", "2", "--iterations", "8",
                "--train-samples", "20", "--val-samples", "10", "--test-samples", "20", "--master", "local[2]",
                "--seed", "7"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void everyTableOfTheOldWarehouseReadsBackValueForValue() throws Exception {
        Path wh = warehouse();
        SparkSession spark = SparkSessions.create("schema1", "local[1]", false);
        try {
            ResultStore store = new ResultStore(spark, wh.toString());
            List<RunRecord> runs = store.runsOf(SEARCH);
            assertEquals(4, runs.size());
            assertReadExactly(spark, wh, RunsTable.SCHEMA, runs);
            List<FrontRecord> fronts = store.frontsOf(SEARCH);
            assertEquals(List.of(0, 1), fronts.stream().map(FrontRecord::generation).toList());
            // Fronts are at version 3 now: the version-1 member fields read exactly, the added ones are null.
            List<Row> frontFiles = spark.read().parquet(wh.resolve(FrontRecord.SCHEMA.table().dir()).toString())
                    .orderBy("generation").collectAsList();
            for (int g = 0; g < fronts.size(); g++) {
                List<Row> stored = frontFiles.get(g).getList(frontFiles.get(g).fieldIndex("members"));
                List<FrontRecord.Member> read = fronts.get(g).members();
                assertEquals(stored.size(), read.size());
                for (int i = 0; i < read.size(); i++) {
                    FrontRecord.Member m = read.get(i);
                    Row r = stored.get(i);
                    assertEquals(List.of(r.getString(0), r.getDouble(1), r.getLong(2), r.getDouble(3), r.getString(4)),
                            List.of(m.runId(), m.testAccuracy(), m.arenaBytes(), m.deviceTimeMs(), m.policyJson()));
                    assertEquals(Arrays.asList(null, null, null, null, null, null, null, null),
                            Arrays.asList(m.validationAccuracy(), m.validationSd(), m.validationCi95(), m.testSd(),
                                    m.testCi95(), m.replicates(), m.tiedWith(), m.lin2022Bytes()));
                }
                assertEquals(null, fronts.get(g).reference());
            }
            SearchRecord commit = store.latestCommit(SEARCH).orElseThrow();
            assertEquals(List.of(0, "running", 2L), List.of(commit.generation(), commit.status(), commit.runsDone()));
            assertReadExactly(spark, wh, SearchRecord.SCHEMA, List.of(commit));

            Set<String> runIds = runs.stream().map(RunRecord::runId).collect(Collectors.toSet());
            for (FrontRecord f : fronts) {
                assertTrue(f.members().stream().allMatch(m -> runIds.contains(m.runId())), f.toString());
            }
            store.registerViews();
            assertEquals(4L, spark.sql("SELECT count(DISTINCT run_id) FROM runs").first().getLong(0));
            assertTrue(spark.sql("SELECT count(*) FROM pareto").first().getLong(0) >= 1);
        } finally {
            spark.stop();
        }
    }

    /** The old warehouse has no manifests and reads (above), but a 0-byte Parquet file is refused even there. */
    @Test
    void aZeroByteFileInTheOldWarehouseIsRefusedNamingIt() throws Exception {
        Path wh = warehouse();
        Path file;
        try (Stream<Path> files = Files.list(wh.resolve("runs/search_id=" + SEARCH + "/generation=1"))) {
            file = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Files.write(file, new byte[0]);
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = CommandRunner.commandLine(new SqlJob()).setErr(new java.io.PrintWriter(err, true))
                .execute("--warehouse", wh.toString(), "--master", "local[1]", "SELECT count(*) FROM runs");
        assertEquals(CommandRunner.BAD_INPUT, exit, err.toString());
        assertEquals("tinysparse: error: warehouse file " + file + " is damaged: 0 bytes (a Parquet file never is"
                + " empty) (runs of search 'old-nsga2' generation 1); drop that generation and the later ones with"
                + " 'tinysparse repair --search-id old-nsga2 --warehouse " + wh + "', then run the search again to"
                + " recompute them", err.toString().strip());
    }

    /**
     * The records equal what Spark reads from the table's files on its own (schema inferred from
     * the files): the files' columns are this code's columns in the same order with the same
     * types, less the columns added after the files were written, which are nullable and read as
     * null; and the rows are the same.
     */
    static <R> void assertReadExactly(SparkSession spark, Path wh, TableSchema<R> schema, List<R> records) {
        Dataset<Row> files = spark.read().parquet(wh.resolve(schema.table().dir()).toString());
        Function<StructField, String> column = f -> f.name() + " " + f.dataType().simpleString();
        Set<String> stored = Set.of(files.schema().fieldNames());
        List<StructField> added = Arrays.stream(schema.tableSchema().fields())
                .filter(f -> !stored.contains(f.name())).toList();
        assertTrue(added.stream().allMatch(StructField::nullable), "columns added later are nullable: " + added);
        assertEquals(Arrays.stream(schema.tableSchema().fields()).filter(f -> stored.contains(f.name())).map(column)
                .toList(), Arrays.stream(files.schema().fields()).map(column).toList(), schema.table().dir() + " columns");
        // Both sides collected by Spark, so that values compare in one representation (arrays as Scala sequences).
        Dataset<Row> records0 = spark.createDataFrame(records.stream().map(schema::toTableRow).toList(),
                schema.tableSchema());
        for (StructField f : added) {
            assertEquals(0L, records0.filter(records0.col(f.name()).isNotNull()).count(),
                    f.name() + " reads as null in rows written before it");
        }
        // schema_version: what wrote the row (the files), not what reads it (toTableRow stamps this code's).
        String[] compared = Arrays.stream(files.schema().fieldNames())
                .filter(c -> !c.equals(TableSchema.SCHEMA_VERSION)).toArray(String[]::new);
        List<Row> read = records0.selectExpr(compared).collectAsList();
        assertEquals(sorted(files.selectExpr(compared).collectAsList()), sorted(read), schema.table().dir() + " rows");
    }

    static List<Row> sorted(List<Row> rows) {
        return rows.stream().sorted(Comparator.comparing(Row::toString)).toList();
    }

    @Test
    void theInterruptedSearchResumesWithoutTrainingItsStoredRunsAgain() throws Exception {
        Path wh = warehouse();
        Map<String, byte[]> before = contents(wh);
        // With no data, any run trained would fail: the resume must take generation 1's runs from the table.
        Path noData = Files.createDirectories(dir.resolve("no-data"));
        assertEquals(CommandRunner.OK,
                CommandRunner.execute(new SearchJob(), options(wh, SEARCH, "--data-dir", noData.toString())));

        Map<String, byte[]> after = contents(wh);
        for (Map.Entry<String, byte[]> e : before.entrySet()) {
            assertTrue(Arrays.equals(e.getValue(), after.get(e.getKey())), e.getKey() + " was changed");
        }
        SparkSession spark = SparkSessions.create("schema1", "local[1]", false);
        try {
            ResultStore store = new ResultStore(spark, wh.toString());
            SearchRecord commit = store.latestCommit(SEARCH).orElseThrow();
            assertEquals(List.of(1, "finished", 4L), List.of(commit.generation(), commit.status(), commit.runsDone()));
            assertEquals(List.of(0, 1), store.warehouse().committedGenerations(Table.RUNS, SEARCH));
            assertEquals(List.of(0, 1), store.warehouse().committedGenerations(Table.SEARCHES, SEARCH));
            store.registerViews();
            Row counts = spark.sql("SELECT count(*), count(DISTINCT run_id) FROM runs").first();
            assertEquals(List.of(4L, 4L), List.of(counts.getLong(0), counts.getLong(1)));
        } finally {
            spark.stop();
        }
    }

    /**
     * A twin of the old search (its generation 0 copied under another id, interrupted before
     * generation 1's runs were stored) resumes with no data: generation 1's runs can only come from
     * the old search's version-1 rows, which it takes, recording the old search as their trainer.
     */
    @Test
    void aTwinOfTheOldSearchTakesItsVersion1RunsInsteadOfTrainingThem() throws Exception {
        Path wh = warehouse();
        for (String table : List.of("runs", "fronts", "searches")) {
            copyTree(wh.resolve(table + "/search_id=" + SEARCH + "/generation=0"),
                    wh.resolve(table + "/search_id=old-twin/generation=0"));
        }
        Path noData = Files.createDirectories(dir.resolve("no-data"));
        assertEquals(CommandRunner.OK,
                CommandRunner.execute(new SearchJob(), options(wh, "old-twin", "--data-dir", noData.toString())));

        SparkSession spark = SparkSessions.create("schema1", "local[1]", false);
        try {
            ResultStore store = new ResultStore(spark, wh.toString());
            assertEquals(List.of(1, "finished", 4L), List.of(store.latestCommit("old-twin").orElseThrow().generation(),
                    store.latestCommit("old-twin").orElseThrow().status(),
                    store.latestCommit("old-twin").orElseThrow().runsDone()));
            Map<String, RunRecord> old = byRunId(store.runsOf(SEARCH));
            List<RunRecord> taken = store.runsOf("old-twin").stream().filter(r -> r.generation() == 1).toList();
            assertEquals(2, taken.size());
            for (RunRecord r : taken) {
                RunRecord original = old.get(r.runId());
                assertEquals(1, original.generation());
                assertEquals(null, original.get(RunsTable.TRAINED_BY), "version 1 rows have no trained_by");
                assertEquals(SEARCH, original.trainedBy(), "and were trained by their own search");
                assertEquals(original.toBuilder("old-twin", 1).set(RunsTable.TRAINED_BY, SEARCH)
                        .set(RunsTable.ROLE, "search").build(), r, "the old row, taken");
            }
            store.registerViews();
            List<Row> usage = spark.sql("SELECT first_trained_by, CAST(used_by AS STRING) FROM run_usage WHERE run_id IN ('"
                    + taken.get(0).runId() + "', '" + taken.get(1).runId() + "')").collectAsList();
            assertEquals(2, usage.size());
            for (Row u : usage) {
                assertEquals(List.of(SEARCH, "[old-nsga2, old-twin]"), List.of(u.getString(0), u.getString(1)));
            }
        } finally {
            spark.stop();
        }
    }

    /**
     * A new search beside the old one is made under today's rules (decisions on validation, paired
     * seeds), recorded in its configuration; the old one keeps its own. Both are queryable together.
     */
    @Test
    void aNewSearchBesideTheOldOneIsMadeUnderTodaysRulesAndBothAreQueryable() throws Exception {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path wh = warehouse();
        assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(),
                options(wh, "new-nsga2", "--report-test-samples", "20", "--no-dense-reference")));

        SparkSession spark = SparkSessions.create("schema1", "local[1]", false);
        try {
            ResultStore store = new ResultStore(spark, wh.toString());
            assertEquals(SearchRules.LEGACY, SearchRules.ofConfig(store.latestCommit(SEARCH).orElseThrow().configJson()));
            assertEquals(SearchRules.CURRENT,
                    SearchRules.ofConfig(store.latestCommit("new-nsga2").orElseThrow().configJson()));
            Map<String, RunRecord> fresh = byRunId(store.runsOf("new-nsga2"));
            assertEquals(4, fresh.size());
            assertEquals(1L, fresh.values().stream().map(r -> r.get(RunsTable.SEED)).distinct().count(),
                    "paired: every policy of the new search shares its run seed");
            assertTrue(byRunId(store.runsOf(SEARCH)).values().stream().map(r -> r.get(RunsTable.SEED)).distinct()
                    .count() > 1, "the old search's seeds were per policy");
            store.registerViews();
            assertEquals(8L, spark.sql("SELECT count(*) FROM runs").first().getLong(0));
            assertEquals(2L, spark.sql("SELECT count(DISTINCT search_id) FROM pareto").first().getLong(0));
        } finally {
            spark.stop();
        }
    }

    static Map<String, RunRecord> byRunId(List<RunRecord> runs) {
        return runs.stream().collect(Collectors.toMap(RunRecord::runId, r -> r, (a, b) -> {
            throw new AssertionError("run " + a.runId() + " stored twice");
        }, TreeMap::new));
    }

    static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
