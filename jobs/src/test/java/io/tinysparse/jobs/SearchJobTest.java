package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.cli.CommandRunner;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import io.tinysparse.results.ResultStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search job end to end in local mode, on the installed MNIST files and a small random backbone. */
class SearchJobTest {
    @TempDir
    Path dir;

    static boolean mnistInstalled() {
        return Files.isRegularFile(DataDirectory.resolve(null).datasetDirectory("mnist").resolve("train-labels-idx1-ubyte"));
    }

    String[] args(Path backbone, String id) {
        return new String[] {"--backbone", backbone.toString(), "--search-id", id, "--warehouse",
            dir.resolve("wh").toString(), "--runs", "6", "--population", "3", "--iterations", "8",
            "--train-samples", "20", "--val-samples", "10", "--test-samples", "20", "--master", "local[2]"};
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

    @Test
    void aBadSearchIdIsABadInputExitCode() {
        assertEquals(CommandRunner.BAD_INPUT, CommandRunner.execute(new SearchJob(),
                "--backbone", "x", "--search-id", "../bad", "--warehouse", dir.toString()));
    }
}
