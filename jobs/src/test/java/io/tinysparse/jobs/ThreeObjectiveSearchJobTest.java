package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.search.driver.SearchObjectives;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code search --objectives accuracy,memory,time} end to end in local mode, on MNIST and a small random backbone. */
class ThreeObjectiveSearchJobTest {
    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {}

    private Outcome search(List<String> args) {
        StringWriter err = new StringWriter();
        CommandLine cl = CommandRunner.commandLine(new SearchJob());
        cl.setErr(new PrintWriter(err));
        // The search prints its progress and summary to System.out.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = cl.execute(args.toArray(new String[0]));
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(console);
        }
    }

    @Test
    void aThreeObjectiveSearchStoresItsTimeEdgeAndPrintsTimeAndARestartWithOtherObjectivesIsRefused()
            throws Exception {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path backbone = SearchJobTest.smallBackbone(dir);
        String wh = dir.resolve("wh").toString();
        List<String> args = new ArrayList<>(List.of("--backbone", backbone.toString(), "--search-id", "t3",
                "--warehouse", wh, "--runs", "6", "--population", "3", "--iterations", "8", "--train-samples", "20",
                "--val-samples", "10", "--test-samples", "20", "--report-test-samples", "20", "--no-dense-reference",
                "--master", "local[2]", "--objectives", "accuracy,memory,time"));
        Outcome o = search(args);
        assertEquals(CommandRunner.OK, o.code(), o.err());

        double denseMs = SearchObjectives.denseStepSeconds(new ModelSpec(0.35, 32, 10, false, 1).layers(),
                DeviceProfile.preset(DeviceProfile.DEFAULT)) * 1000;
        List<Row> hv = SearchJobTest.query(wh, "SELECT DISTINCT objectives, time_reference_ms FROM hypervolume");
        assertEquals(1, hv.size());
        assertEquals("accuracy,memory,time", hv.get(0).getString(0));
        assertEquals(denseMs, hv.get(0).getDouble(1), 1e-9);
        Row last = SearchJobTest.query(wh, "SELECT hypervolume_fraction FROM hypervolume ORDER BY generation DESC")
                .get(0);
        assertTrue(o.out().contains(String.format(Locale.ROOT, "(3-D hypervolume %.4f of the box accuracy"
                + " 0..1 x 0..262,144 bytes x 0..%.1f ms, a dense step's device time):", last.getDouble(0), denseMs)),
                o.out());
        long members = SearchJobTest.query(wh, "SELECT count(*) FROM pareto").get(0).getLong(0);
        assertEquals(members, o.out().lines().filter(l -> l.matches("  [0-9a-f]{12} .*")).count(), o.out());
        assertTrue(o.out().contains(" ms/step "), o.out());

        long commits = SearchJobTest.query(wh, "SELECT count(*) FROM searches_log").get(0).getLong(0);
        args.set(args.indexOf("accuracy,memory,time"), "accuracy,memory");
        Outcome again = search(args);
        assertEquals(CommandRunner.BAD_INPUT, again.code(), again.out());
        assertEquals(List.of("tinysparse: error: search 't3' exists with another configuration (setting 'objectives' differs);"
                + " use a new --search-id or the same options"), again.err().lines().toList());
        assertEquals(commits, SearchJobTest.query(wh, "SELECT count(*) FROM searches_log").get(0).getLong(0),
                "nothing committed by the refused resume");
    }
}
