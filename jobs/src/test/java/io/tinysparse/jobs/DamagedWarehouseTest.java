package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.core.cli.CommandRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A committed generation with a Parquet file emptied (what a crash before the file reached the
 * disk leaves): {@code sql} and a resumed {@code search} refuse with exit 2 naming the file
 * instead of reading fewer rows or starting the search anew, and after {@code repair} the search
 * resumes and ends with the runs and fronts of the undamaged search. One small search, made once,
 * is copied for each case.
 */
class DamagedWarehouseTest {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static Path backbone;
    static Path undamaged;

    @BeforeAll
    static void searchOnce() throws Exception {
        if (!SearchJobTest.mnistInstalled()) {
            return;
        }
        backbone = SearchJobTest.smallBackbone(shared);
        undamaged = shared.resolve("wh");
        assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), args(undamaged)));
    }

    /** Two generations of 3 runs, search id {@code d1}. */
    static String[] args(Path warehouse) {
        return new String[] {"--backbone", backbone.toString(), "--search-id", "d1", "--warehouse", warehouse.toString(),
            "--runs", "6", "--population", "3", "--iterations", "8", "--train-samples", "20", "--val-samples", "10",
            "--test-samples", "20", "--report-test-samples", "20", "--master", "local[2]"};
    }

    /** A copy of the undamaged search's warehouse. */
    Path copy() throws IOException {
        Path to = dir.resolve("wh");
        // With its times: a released lease is marked by its age, and the search that released it
        // ran in this very JVM, whose pid is alive.
        SchemaVersion1WarehouseTest.copyTree(undamaged, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        return to;
    }

    /** Empties the Parquet file of {@code table}'s partition of generation {@code g} (which is the last if -1). */
    static Path empty(Path warehouse, String table, int g) throws IOException {
        Path search = warehouse.resolve(table).resolve("search_id=d1");
        Path partition;
        try (Stream<Path> gens = Files.list(search)) {
            partition = g >= 0 ? search.resolve("generation=" + g) : gens.max(Comparator.comparingInt(
                    p -> Integer.parseInt(p.getFileName().toString().substring("generation=".length())))).orElseThrow();
        }
        try (Stream<Path> files = Files.list(partition)) {
            Path file = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
            Files.write(file, new byte[0]);
            return file;
        }
    }

    /** Exit code and the error output of a command. */
    record Outcome(int exit, String err) {}

    static Outcome execute(Object command, String... args) {
        StringWriter err = new StringWriter();
        int exit = CommandRunner.commandLine(command).setErr(new PrintWriter(err, true)).execute(args);
        return new Outcome(exit, err.toString());
    }

    @Test
    void aTruncatedRunsFileIsRefusedBySqlAndResumeAndAfterRepairTheSearchEndsAsTheUndamagedOne() throws Exception {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path wh = copy();
        Path file = empty(wh, "runs", 1);

        Outcome sql = execute(new SqlJob(), "--warehouse", wh.toString(), "--master", "local[1]",
                "SELECT count(*) FROM runs");
        assertEquals(CommandRunner.BAD_INPUT, sql.exit(), sql.err());
        assertTrue(sql.err().startsWith("tinysparse: error: warehouse file " + file + " is damaged: 0 bytes"), sql.err());

        Outcome resume = execute(new SearchJob(), args(wh));
        assertEquals(CommandRunner.BAD_INPUT, resume.exit(), resume.err());
        assertTrue(resume.err().contains(file.toString()), resume.err());
        assertTrue(resume.err().contains("'tinysparse repair --search-id d1 --warehouse " + wh + "'"), resume.err());

        assertEquals(CommandRunner.OK, CommandRunner.execute(new RepairCommand(), "--search-id", "d1", "--warehouse",
                wh.toString()));
        assertEquals(CommandRunner.OK, CommandRunner.execute(new SearchJob(), args(wh)));
        assertEquals(SearchReproducibilityTest.dump(undamaged.toString()), SearchReproducibilityTest.dump(wh.toString()));
    }

    @Test
    void anEmptiedLatestSearchesFileMakesResumeRefuseRatherThanStartANewSearch() throws Exception {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path wh = copy();
        Path file = empty(wh, "searches", -1);
        var before = SchemaVersion1WarehouseTest.contents(wh);

        Outcome resume = execute(new SearchJob(), args(wh));
        assertEquals(CommandRunner.BAD_INPUT, resume.exit(), resume.err());
        assertTrue(resume.err().startsWith("tinysparse: error: warehouse file " + file + " is damaged: 0 bytes"),
                resume.err());
        assertEquals(before.keySet(), SchemaVersion1WarehouseTest.contents(wh).keySet(), "nothing written");
    }

    /** The files of the tables, without the lease files (repair takes the search's lease, as a search does). */
    static java.util.Map<String, byte[]> tables(java.util.Map<String, byte[]> files) {
        java.util.Map<String, byte[]> out = new java.util.TreeMap<>(files);
        out.keySet().removeIf(f -> f.startsWith("_leases/"));
        return out;
    }

    @Test
    void repairOfASoundSearchChangesNothingAndOfAnUnknownSearchIsBadInput() throws Exception {
        assumeTrue(SearchJobTest.mnistInstalled(), "MNIST is not installed (run 'bin/tinysparse datasets fetch')");
        Path wh = copy();
        var before = tables(SchemaVersion1WarehouseTest.contents(wh));
        assertEquals(CommandRunner.OK, CommandRunner.execute(new RepairCommand(), "--search-id", "d1", "--warehouse",
                wh.toString()));
        var after = tables(SchemaVersion1WarehouseTest.contents(wh));
        assertEquals(before.keySet(), after.keySet());
        before.forEach((f, bytes) -> assertArrayEquals(bytes, after.get(f), f));
        Outcome unknown = execute(new RepairCommand(), "--search-id", "nope", "--warehouse", wh.toString());
        assertEquals(CommandRunner.BAD_INPUT, unknown.exit());
        assertTrue(unknown.err().contains("search 'nope' has no committed partition"), unknown.err());
        Outcome missing = execute(new RepairCommand(), "--search-id", "d1", "--warehouse", dir.resolve("none").toString());
        assertEquals(CommandRunner.BAD_INPUT, missing.exit());
        assertTrue(missing.err().contains("warehouse '" + dir.resolve("none") + "' does not exist"), missing.err());
    }
}
