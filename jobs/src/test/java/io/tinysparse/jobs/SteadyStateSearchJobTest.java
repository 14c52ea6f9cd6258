package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code search --steady-state} end to end in local mode: one Spark job per run, commits by count. */
class SteadyStateSearchJobTest {
    @TempDir
    Path dir;

    List<String> args(Path backbone, String id, String... more) {
        List<String> a = new ArrayList<>(List.of("--backbone", backbone.toString(), "--search-id", id, "--warehouse",
                dir.resolve("wh").toString(), "--runs", "6", "--population", "3", "--iterations", "8",
                "--train-samples", "20", "--val-samples", "10", "--test-samples", "20", "--report-test-samples", "20",
                "--no-dense-reference", "--master", "local[2]", "--seed", "7"));
        a.addAll(List.of(more));
        return a;
    }

    static int execute(List<String> args) {
        return CommandRunner.execute(new SearchJob(), args.toArray(new String[0]));
    }

    Path backbone() throws Exception {
        Path backbone = dir.resolve("b.tsn");
        Network.initialize(new ModelSpec(0.35, 32, 10, false, 1), 3).save(backbone);
        return backbone;
    }

    @Test
    void aSteadyStateSearchCommitsEveryRunOnceInNumberedCommitsAndARerunResumesWithoutDuplicates() throws Exception {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path backbone = backbone();
        List<String> a = args(backbone, "st", "--steady-state", "--slots", "2", "--commit-every", "2");
        assertEquals(CommandRunner.OK, execute(a));
        assertEquals(CommandRunner.OK, execute(a));
        String wh = dir.resolve("wh").toString();
        Row counts = SearchJobTest.query(wh, "SELECT count(*), count(DISTINCT run_id) FROM runs WHERE search_id = 'st'")
                .get(0);
        assertEquals(6L, counts.getLong(0));
        assertEquals(6L, counts.getLong(1));
        List<Row> commits = SearchJobTest.query(wh, "SELECT generation, status, runs_done FROM searches_log"
                + " WHERE search_id = 'st' ORDER BY generation");
        assertEquals(List.of(0, 1, 2), commits.stream().map(r -> r.getInt(0)).toList(), "6 results, 2 per commit");
        assertEquals("finished", commits.get(2).getString(1));
        assertEquals(List.of(2L, 4L, 6L), commits.stream().map(r -> r.getLong(2)).toList());
        assertEquals(List.of(2L, 2L, 2L), SearchJobTest.query(wh, "SELECT generation, count(*) FROM runs"
                + " WHERE search_id = 'st' GROUP BY generation ORDER BY generation").stream()
                .map(r -> r.getLong(1)).toList(), "each run stored in the commit that holds it");
    }

    @Test
    void steadyStateRandomSearchTrainsTheSameRunsWithTheSameResultsAsTheGenerationalOne() throws Exception {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path backbone = backbone();
        assertEquals(CommandRunner.OK, execute(args(backbone, "gen", "--searcher", "random")));
        assertEquals(CommandRunner.OK, execute(args(backbone, "steady", "--searcher", "random", "--steady-state")));
        String sql = "SELECT run_id, element_at(val_accuracy, -1), test_accuracy, arena_bytes FROM runs"
                + " WHERE search_id = '%s' ORDER BY run_id";
        String wh = dir.resolve("wh").toString();
        List<String> gen = SearchJobTest.query(wh, String.format(sql, "gen")).stream().map(Row::toString).toList();
        List<String> steady = SearchJobTest.query(wh, String.format(sql, "steady")).stream().map(Row::toString)
                .toList();
        assertEquals(6, gen.size());
        assertEquals(gen, steady);
    }

    @Test
    void badSlotsOrCommitIntervalsAreOneLineOfBadInputBeforeAnythingIsWritten() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            for (String[] bad : new String[][] {{"--steady-state", "--slots", "0"},
                    {"--steady-state", "--commit-every", "0"}, {"--steady-state", "--commit-seconds", "0"},
                    {"--steady-state", "--commit-seconds", "-5"}, {"--slots", "2"}}) {
                err.reset();
                List<String> a = new ArrayList<>(List.of("--backbone", "x", "--warehouse", dir.resolve("wh").toString()));
                a.addAll(List.of(bad));
                assertEquals(CommandRunner.BAD_INPUT, execute(a), String.join(" ", bad));
                String line = err.toString(StandardCharsets.UTF_8).trim();
                assertEquals(1, line.lines().count(), line);
                assertTrue(line.contains(bad[bad.length - 2]) && line.contains(bad[bad.length - 1]), line);
            }
        } finally {
            System.setErr(saved);
        }
        assertFalse(Files.exists(dir.resolve("wh")), "nothing written");
    }
}
