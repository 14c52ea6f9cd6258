package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.results.ResultStore;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins what a small search computes, bit for bit: every run (id, budget, accuracies, memory, work)
 * and every front (generation, fidelity, hypervolume, members) of an NSGA-II search and a
 * successive-halving search, against an expectation stored in {@code src/test/resources}.
 *
 * <p>A refactor must leave this test passing unchanged. A change that is meant to change what a
 * search computes regenerates the expectation with {@code -Dtinysparse.pin.write=true} and says
 * why in its commit. Doubles are compared through {@link Double#toString}, i.e. exactly; the
 * kernels are plain Java, so the figures hold on any x86-64 JVM 17.
 */
class SearchReproducibilityTest {
    static final Path EXPECTED = Paths.get("src/test/resources/pinned-search.txt");

    @TempDir
    Path dir;

    @Test
    void aSmallSearchComputesExactlyThePinnedRunsAndFronts() throws Exception {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path backbone = dir.resolve("b.tsn");
        Network.initialize(new ModelSpec(0.35, 32, 10, false, 1), 3).save(backbone);
        String wh = dir.resolve("wh").toString();
        List<String> common = List.of("--backbone", backbone.toString(), "--warehouse", wh, "--population", "3",
                "--iterations", "8", "--train-samples", "20", "--val-samples", "10", "--test-samples", "20",
                "--report-test-samples", "20", "--no-dense-reference",
                "--master", "local[2]", "--seed", "7");
        List<String> nsga = new ArrayList<>(common);
        nsga.addAll(List.of("--search-id", "pin-nsga2", "--runs", "9"));
        List<String> halving = new ArrayList<>(common);
        halving.addAll(List.of("--search-id", "pin-halving", "--searcher", "halving", "--runs", "6", "--rungs", "2",
                "--eta", "3"));
        assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), nsga.toArray(new String[0])));
        assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), halving.toArray(new String[0])));

        String actual = dump(wh);
        if (Boolean.getBoolean("tinysparse.pin.write")) {
            Files.writeString(EXPECTED, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(EXPECTED, StandardCharsets.UTF_8), actual);
    }

    /** Runs then fronts, one line each, in a fixed order, with every figure a search decides on or reports. */
    static String dump(String warehouse) {
        SparkSession spark = SparkSessions.create("pin", "local[1]", false);
        try {
            new ResultStore(spark, warehouse).registerViews();
            StringBuilder out = new StringBuilder();
            for (Row r : spark.sql("SELECT search_id, generation, fidelity, run_id, iterations, seed, policy_json,"
                    + " test_accuracy, val_accuracy, lin2022_bytes, arena_bytes, feasible, updated_fraction, coverage,"
                    + " train_macs, device_time_ms FROM runs ORDER BY search_id, run_id").collectAsList()) {
                out.append("run");
                for (int i = 0; i < r.size(); i++) {
                    out.append('\t').append(i == 6 ? r.getString(i).replaceAll("\\s+", "") : String.valueOf(r.get(i)));
                }
                out.append('\n');
            }
            for (Row r : spark.sql("SELECT search_id, generation, fidelity, hypervolume, budget_bytes,"
                    + " transform(members, m -> concat_ws(':', m.run_id, CAST(m.arena_bytes AS STRING)))"
                    + " FROM fronts_log ORDER BY search_id, generation, fidelity").collectAsList()) {
                out.append("front");
                for (int i = 0; i < r.size(); i++) {
                    out.append('\t').append(String.valueOf(r.get(i)));
                }
                out.append('\n');
            }
            return out.toString();
        } finally {
            spark.stop();
        }
    }
}
