package io.tinysparse.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.jobs.SearchJob;
import io.tinysparse.jobs.SparkSessions;
import io.tinysparse.results.ResultStore;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search submitted through SparkSubmit to a standalone master with two one-core workers on
 * 127.0.0.1 gives the same runs, bit for bit, as the same search in local mode.
 */
class ClusterSearchTest {

    // Kept when the test fails: the master's, workers' and executors' logs are the diagnosis.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aSearchOnATwoWorkerClusterGivesTheRunsOfALocalSearch() throws Exception {
        Path data = DataDirectory.resolve(null).root();
        assumeTrue(Files.isRegularFile(data.resolve("mnist/train-labels-idx1-ubyte")),
                "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path backbone = dir.resolve("b.tsn");
        Network.initialize(new ModelSpec(0.35, 32, 10, false, 1), 5).save(backbone);
        Path warehouse = dir.resolve("wh");
        List<String> common = List.of("--backbone", backbone.toString(), "--warehouse", warehouse.toString(),
                "--data-dir", data.toString(), "--runs", "8", "--population", "4", "--iterations", "10",
                "--train-samples", "20", "--val-samples", "10", "--test-samples", "30", "--report-test-samples", "30", "--no-dense-reference",
                "--seed", "7");

        List<String> local = new ArrayList<>(common);
        local.addAll(List.of("--search-id", "local", "--master", "local[2]"));
        assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), local.toArray(new String[0])));

        Path app = StandaloneCluster.appJar(dir.resolve("app.jar"));
        List<String> remote = new ArrayList<>(common);
        // Trained on the cluster, not taken from the local search's runs in the same warehouse.
        remote.addAll(List.of("--search-id", "cluster", "--no-reuse-runs"));
        try (StandaloneCluster cluster = StandaloneCluster.start(System.getProperty("java.class.path"), StandaloneCluster.SPARK_FLAGS,
                dir.resolve("cluster"), 2)) {
            Path log = dir.resolve("submit.log");
            int rc = cluster.submit("io.tinysparse.jobs.SearchJob", app,
                    List.of("spark.executor.memory=2g", "spark.executorEnv.OMP_NUM_THREADS=1"), remote, log,
                    Duration.ofMinutes(8));
            assertEquals(0, rc, () -> "spark-submit failed:\n" + tail(log));
        }

        SparkSession spark = SparkSessions.create("check", "local[1]", false);
        try {
            new ResultStore(spark, warehouse.toString()).registerViews();
            String q = "SELECT run_id, test_accuracy, arena_bytes, coverage FROM runs WHERE search_id = '%s' ORDER BY run_id";
            var l = spark.sql(String.format(q, "local")).collectAsList();
            var c = spark.sql(String.format(q, "cluster")).collectAsList();
            assertEquals(8, l.size());
            assertEquals(l.toString(), c.toString());
        } finally {
            spark.stop();
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
