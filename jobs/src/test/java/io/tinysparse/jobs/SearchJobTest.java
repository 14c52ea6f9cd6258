package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.results.ResultStore;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.search.space.PolicySpaceJson;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search job end to end in local mode, on the installed MNIST files and a small random backbone. */
class SearchJobTest {
    @TempDir
    Path dir;

    /** The random backbone of the small test searches (its initialisation is seeded), saved as {@code dir/b.tsn}. */
    static Path smallBackbone(Path dir) throws java.io.IOException {
        Path b = dir.resolve("b.tsn");
        Network.initialize(new ModelSpec(0.35, 32, 10, false, 1), 3).save(b);
        return b;
    }

    static boolean mnistInstalled() {
        return Files.isRegularFile(DataDirectory.resolve(null).datasetDirectory("mnist").resolve("train-labels-idx1-ubyte"));
    }

    String[] args(Path backbone, String id) {
        return new String[] {"--backbone", backbone.toString(), "--search-id", id, "--warehouse",
            dir.resolve("wh").toString(), "--runs", "6", "--population", "3", "--iterations", "8",
            "--train-samples", "20", "--val-samples", "10", "--test-samples", "20", "--report-test-samples", "20",
            "--no-dense-reference", "--master", "local[2]"};
    }

    @Test
    void aSearchStoresEveryRunOnceAndARerunResumesWithoutDuplicates() throws Exception {
        assumeTrue(mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path backbone = dir.resolve("b.tsn");
        Network.initialize(new ModelSpec(0.35, 32, 10, false, 1), 3).save(backbone);
        assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), args(backbone, "s1")));
        assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), args(backbone, "s1")));

        SparkSession spark = SparkSessions.create("check", "local[1]", false);
        try {
            new ResultStore(spark, dir.resolve("wh").toString()).registerViews();
            Row counts = spark.sql("SELECT count(*), count(DISTINCT run_id) FROM runs WHERE search_id = 's1'").first();
            assertEquals(6L, counts.getLong(0));
            assertEquals(6L, counts.getLong(1));
            List<Row> s = spark.sql("SELECT status, runs_done FROM searches").collectAsList();
            assertEquals("finished", s.get(0).getString(0));
            assertEquals(6L, s.get(0).getLong(1));
            assertTrue(spark.sql("SELECT count(*) FROM pareto").first().getLong(0) >= 1);
            assertTrue(spark.sql("SELECT max(arena_bytes) FROM runs").first().getLong(0) <= 262_144L,
                    "no run above the budget was trained");
        } finally {
            spark.stop();
        }
    }

    /** A small space for the 32 x 32 test backbone: bias depths {0, 4, 8}, the last two project convs, ratios {0, 1/2, 1}. */
    Path smallSpace(ModelSpec model) throws Exception {
        var table = model.layers();
        List<Integer> layers = new java.util.ArrayList<>();
        for (int i = table.convCount() - 1; layers.size() < 2; i--) {
            if (!table.conv(i).depthwise()) {
                layers.add(0, i);
            }
        }
        PolicySpace space = new PolicySpace(model, List.of(0, 4, 8), layers, List.of(0.0, 0.5, 1.0),
                List.of(ChannelSelection.DEFAULT), true);
        Path file = dir.resolve("space.json");
        Files.writeString(file, PolicySpaceJson.write(space));
        return file;
    }

    static List<Row> query(String warehouse, String sql) {
        SparkSession spark = SparkSessions.create("check", "local[1]", false);
        try {
            new ResultStore(spark, warehouse).registerViews();
            return spark.sql(sql).collectAsList();
        } finally {
            spark.stop();
        }
    }

    @Test
    void theModelSearcherRunsOnSparkAndResumesWithoutRetraining() throws Exception {
        assumeTrue(mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        ModelSpec model = new ModelSpec(0.35, 32, 10, false, 1);
        Path backbone = dir.resolve("b.tsn");
        Network.initialize(model, 3).save(backbone);
        List<String> all = new java.util.ArrayList<>(List.of(args(backbone, "m1")));
        // 6 runs in generations of 3 (args), on a space of 3 x 3 x 3 genomes: the design, then
        // proposals fitted to the surrogate (Tribuo, on the jobs classpath).
        all.addAll(List.of("--searcher", "model", "--space", smallSpace(model).toString()));
        assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), all.toArray(new String[0])));
        assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), all.toArray(new String[0])));
        String wh = dir.resolve("wh").toString();
        Row counts = query(wh, "SELECT count(*), count(DISTINCT run_id), count(DISTINCT policy_json) FROM runs"
                + " WHERE role = 'search'").get(0);
        assertEquals(List.of(6L, 6L, 6L), List.of(counts.getLong(0), counts.getLong(1), counts.getLong(2)));
        assertEquals("finished", query(wh, "SELECT status FROM searches").get(0).getString(0));
    }

    @Test
    void successiveHalvingTrainsPromotedPoliciesLongerAndKeepsOneFrontPerFidelity() throws Exception {
        assumeTrue(mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path backbone = dir.resolve("b.tsn");
        Network.initialize(new ModelSpec(0.35, 32, 10, false, 1), 3).save(backbone);
        String[] a = args(backbone, "h1");
        List<String> all = new java.util.ArrayList<>(List.of(a));
        all.addAll(List.of("--searcher", "halving", "--rungs", "2", "--eta", "3"));
        assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), all.toArray(new String[0])));

        String wh = dir.resolve("wh").toString();
        // Rung 0: the 6 candidates of --runs at 8 iterations; rung 1: floor(6 / 3) = 2 of them at 3 x 8.
        List<Row> rungs = query(wh, "SELECT fidelity, iterations, count(*) FROM runs GROUP BY fidelity, iterations"
                + " ORDER BY fidelity");
        assertEquals(2, rungs.size(), rungs.toString());
        assertEquals(List.of(0, 8, 6L), List.of(rungs.get(0).getInt(0), rungs.get(0).getInt(1), rungs.get(0).getLong(2)));
        assertEquals(List.of(1, 24, 2L), List.of(rungs.get(1).getInt(0), rungs.get(1).getInt(1), rungs.get(1).getLong(2)));
        assertEquals(0L, query(wh, "SELECT count(*) FROM runs p WHERE fidelity = 1 AND policy_json NOT IN"
                + " (SELECT policy_json FROM runs WHERE fidelity = 0)").get(0).getLong(0),
                "only policies trained at rung 0 are promoted");
        assertEquals(List.of(0, 1), query(wh, "SELECT DISTINCT fidelity FROM pareto ORDER BY fidelity").stream()
                .map(r -> r.getInt(0)).toList());
    }

    @Test
    void contributionAnalysisMeasuresEveryOptionOnceThenTrainsTheFinalists() throws Exception {
        assumeTrue(mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        ModelSpec model = new ModelSpec(0.35, 32, 10, false, 1);
        Path backbone = dir.resolve("b.tsn");
        Network.initialize(model, 3).save(backbone);
        List<String> all = new java.util.ArrayList<>(List.of(args(backbone, "c1")));
        all.addAll(List.of("--searcher", "contribution", "--finalists", "2", "--space", smallSpace(model).toString()));
        assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), all.toArray(new String[0])));

        String wh = dir.resolve("wh").toString();
        // Measurements: bias-only at each of the 3 depths, and each of 2 layers x 2 non-zero ratios on the
        // reference depth (the shallowest covering both layers): 7 runs; then at most 2 finalists, which
        // may coincide with a measurement (not trained twice).
        List<Row> biasOnly = query(wh, "SELECT bias_layers FROM runs WHERE size(weight_layers) = 0 ORDER BY bias_layers");
        assertEquals(List.of(0, 4, 8), biasOnly.stream().map(r -> r.getInt(0)).toList());
        // The reference depth is 4 (the earlier of the two layers is the third conv from the end).
        long single = query(wh, "SELECT count(DISTINCT weight_layers[0], weight_ratios[0]) FROM runs"
                + " WHERE size(weight_layers) = 1 AND bias_layers = 4").get(0).getLong(0);
        assertEquals(4L, single);
        long total = query(wh, "SELECT count(*), count(DISTINCT run_id) FROM runs").get(0).getLong(0);
        assertTrue(total >= 7 && total <= 9, "7 measurements and at most 2 finalists, got " + total);
        assertEquals("finished", query(wh, "SELECT status FROM searches").get(0).getString(0));
    }

    @Test
    void withReplicatesTheParetoViewGivesEachPolicysMeanSdIntervalAndReplicateCount() throws Exception {
        assumeTrue(mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path backbone = dir.resolve("b.tsn");
        Network.initialize(new ModelSpec(0.35, 32, 10, false, 1), 3).save(backbone);
        List<String> a = new java.util.ArrayList<>(List.of(args(backbone, "r1")));
        a.set(a.indexOf("--report-test-samples") + 1, "200");
        a.addAll(List.of("--replicates", "3"));
        a.remove("--no-dense-reference");
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(console, true));
        try {
            assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), a.toArray(new String[0])));
        } finally {
            System.setOut(stdout);
        }

        String wh = dir.resolve("wh").toString();
        // The dense reference: 3 runs paired with the report runs' seeds, on the report data, beside the front.
        List<Row> ref = query(wh, "SELECT replicates, validation_accuracy, validation_low, validation_high,"
                + " lin2022_bytes, arena_bytes, budget_bytes, run_id FROM dense_reference");
        assertEquals(1, ref.size(), "one reference per finished search");
        assertEquals(3, ref.get(0).getInt(0));
        assertTrue(ref.get(0).getDouble(2) <= ref.get(0).getDouble(1) && ref.get(0).getDouble(1) <= ref.get(0).getDouble(3));
        assertTrue(ref.get(0).getLong(4) > 0 && ref.get(0).getLong(5) > 0);
        assertEquals(3L, query(wh, "SELECT count(*) FROM runs WHERE role = 'reference' AND learning_rate = 0.01"
                + " AND size(weight_layers) > 0 AND seed IN (SELECT seed FROM runs WHERE role = 'report')")
                .get(0).getLong(0), "dense at lr 0.01 under the report runs' replicate seeds");
        assertEquals(0L, query(wh, "SELECT count(*) FROM pareto p JOIN runs r ON p.run_id = r.run_id"
                + " WHERE r.role = 'reference'").get(0).getLong(0), "the reference is not on the front");
        assertEquals(0L, query(wh, "SELECT count(*) FROM runs WHERE role IS NULL OR learning_rate IS NULL")
                .get(0).getLong(0), "every run says why it was trained and at which rate");
        String out = console.toString();
        assertTrue(out.contains("Dense fine-tuning beside it") && out.contains(ref.get(0).getString(7).substring(0, 12)),
                out);
        List<Row> front = query(wh, "SELECT replicates, validation_accuracy, validation_low, validation_high,"
                + " validation_sd, test_accuracy, test_low, test_high, tie FROM pareto");
        assertTrue(front.size() >= 1);
        for (Row r : front) {
            assertEquals(3, r.getInt(0), r.toString());
            assertTrue(r.getDouble(2) <= r.getDouble(1) && r.getDouble(1) <= r.getDouble(3), r.toString());
            assertTrue(r.getDouble(4) >= 0);
            assertTrue(r.getDouble(6) <= r.getDouble(5) && r.getDouble(5) <= r.getDouble(7), r.toString());
        }
        // Each front policy has 3 report runs (3 seeds, test on 200 samples), stored like any other run.
        long members = query(wh, "SELECT count(*) FROM pareto").get(0).getLong(0);
        long distinctSeeds = query(wh, "SELECT count(DISTINCT seed) FROM runs").get(0).getLong(0);
        assertEquals(3L, distinctSeeds, "replicate seeds are shared by all policies of a replicate");
        assertTrue(query(wh, "SELECT count(*) FROM runs").get(0).getLong(0) >= 6 + 3 * members);
        // The report run of replicate 0 trains exactly as the search's run: same validation accuracy.
        assertEquals(0L, query(wh, "SELECT count(*) FROM pareto p JOIN runs r ON p.run_id = r.run_id"
                + " JOIN runs s ON s.policy_json = r.policy_json AND s.seed = r.seed AND s.run_id <> r.run_id"
                + " WHERE element_at(s.val_accuracy, -1) <> element_at(r.val_accuracy, -1)").get(0).getLong(0));
    }

    @Test
    void anUnknownSearcherOrABadHalvingSettingIsABadInputExitCode() {
        assertEquals(CommandRunner.BAD_INPUT, CommandRunner.execute(new SearchJob(),
                "--backbone", "x", "--searcher", "annealing", "--warehouse", dir.toString()));
        assertEquals(CommandRunner.BAD_INPUT, CommandRunner.execute(new SearchJob(),
                "--backbone", "x", "--searcher", "halving", "--eta", "1", "--warehouse", dir.toString()));
    }

    @Test
    void aReportTestSubsetBeyondTheTestSplitIsBadInputBeforeAnythingIsWritten() throws Exception {
        assumeTrue(mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path backbone = dir.resolve("b.tsn");
        Network.initialize(new ModelSpec(0.35, 32, 10, false, 1), 3).save(backbone);
        List<String> a = new java.util.ArrayList<>(List.of(args(backbone, "big")));
        a.set(a.indexOf("--report-test-samples") + 1, "20000");
        assertEquals(CommandRunner.BAD_INPUT, CommandRunner.execute(new SearchJob(), a.toArray(new String[0])));
        assertTrue(!Files.exists(dir.resolve("wh")), "nothing written");
    }

    @Test
    void aBadSearchIdIsABadInputExitCode() {
        assertEquals(CommandRunner.BAD_INPUT, CommandRunner.execute(new SearchJob(),
                "--backbone", "x", "--search-id", "../bad", "--warehouse", dir.toString()));
    }
}
