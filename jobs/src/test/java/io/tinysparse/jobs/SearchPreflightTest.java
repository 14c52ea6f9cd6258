package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.datasets.catalog.DataDirectory;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad input to {@code search} is found on the driver before a backbone is loaded or a
 * SparkSession exists: exit 2, one line naming the value, no warehouse written.
 */
class SearchPreflightTest {
    @TempDir
    Path dir;

    private record Outcome(int code, String err) {}

    /** Runs search with a small task, a backbone path that does not exist (never reached) and {@code extra}. */
    private Outcome search(String... extra) {
        List<String> args = new ArrayList<>(List.of("--backbone", dir.resolve("never-read.tsnw").toString(),
                "--warehouse", dir.resolve("wh").toString(), "--train-samples", "20", "--val-samples", "10",
                "--test-samples", "20", "--report-test-samples", "20", "--runs", "2"));
        for (int i = 0; i < extra.length; i += 2) {
            int at = args.indexOf(extra[i]);
            if (at >= 0) {
                args.set(at + 1, extra[i + 1]);
            } else {
                args.addAll(List.of(extra[i], extra[i + 1]));
            }
        }
        StringWriter err = new StringWriter();
        CommandLine cl = CommandRunner.commandLine(new SearchJob());
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int code = cl.execute(args.toArray(new String[0]));
        assertTrue(SparkSession.getDefaultSession().isEmpty(), "no Spark session was started");
        return new Outcome(code, err.toString());
    }

    private void assertBadInput(Outcome o, String firstLine) {
        assertEquals(CommandRunner.BAD_INPUT, o.code(), o.err());
        assertEquals(List.of("tinysparse: error: " + firstLine), o.err().lines().toList());
        assertFalse(Files.exists(dir.resolve("wh")), "nothing written");
    }

    private static Path installedMnist() {
        Path mnist = DataDirectory.resolve(null).datasetDirectory("mnist");
        assumeTrue(Files.isRegularFile(mnist.resolve("train-labels-idx1-ubyte")), "MNIST is not installed");
        return mnist;
    }

    /** A data directory whose mnist is the installed one but for {@code file}, which {@code replace} makes. */
    private Path dataDirWith(String file, FileMaker replace) throws Exception {
        Path installed = installedMnist();
        Path mnist = Files.createDirectories(dir.resolve("data/mnist"));
        try (var files = Files.list(installed)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(file)) {
                    Files.createSymbolicLink(mnist.resolve(f.getFileName()), f);
                }
            }
        }
        replace.make(mnist.resolve(file));
        return dir.resolve("data");
    }

    private interface FileMaker {
        void make(Path p) throws Exception;
    }

    @Test
    void badReplicatesAndBudgetsAreRefusedBeforeAnyBackboneLeaseOrWarehouse() {
        assertBadInput(search("--replicates", "0"), "--replicates 0 must be >= 1");
        for (String[] bad : List.of(new String[] {"--evaluations", "5000", "--iterations", "10"},
                new String[] {"--warmup", "100000", "--iterations", "10"}, new String[] {"--lr-grid", "0.1,-1"})) {
            Outcome o = search(bad);
            assertEquals(CommandRunner.BAD_INPUT, o.code(), String.join(" ", bad) + ": " + o.err());
            assertEquals(1, o.err().lines().count(), o.err());
            assertFalse(Files.exists(dir.resolve("wh")), String.join(" ", bad) + ": nothing written");
        }
    }

    @Test
    void badPruneRatiosAreRefusedBeforeAnyBackboneIsPrunedOrSparkStarts() throws Exception {
        assertBadInput(search("--prune-ratios", "0,1"), "--prune-ratios 1.0 must be in [0, 1)");
        assertBadInput(search("--prune-ratios", "-0.25"), "--prune-ratios -0.25 must be in [0, 1)");
        assertBadInput(search("--prune-ratios", "0.25,0.25"), "--prune-ratios 0.25 is given twice");
        // a ratio that empties a channel group of the backbone's network (its narrowest groups have 8 channels)
        Path backbone = dir.resolve("backbone.tsnw");
        io.tinysparse.simulator.engine.Network.initialize(new io.tinysparse.simulator.model.ModelSpec(0.35, 32, 10,
                false, 1), 1).save(backbone);
        Outcome o = search("--backbone", backbone.toString(), "--prune-ratios", "0.25,0.9");
        assertEquals(CommandRunner.BAD_INPUT, o.code(), o.err());
        assertTrue(o.err().startsWith("tinysparse: error: prune ratio 0.9 leaves group 1"), o.err());
        assertFalse(Files.exists(dir.resolve("wh")), "nothing written");
        assertEquals(List.of(backbone.getFileName()), Files.list(dir).map(Path::getFileName)
                .filter(f -> f.toString().endsWith(".tsnw")).toList(), "no pruned backbone written");
    }

    @Test
    void contributionAnalysisOverSeveralRatiosIsRefusedBeforeAnyBackboneIsPruned() {
        assertBadInput(search("--searcher", "contribution", "--prune-ratios", "0,0.3"), "--searcher contribution cannot"
                + " search 2 pruning ratios at once: it measures each layer's contribution on one backbone (give one"
                + " ratio, or another searcher)");
    }

    @Test
    void resumingASearchOverOtherPruningRatiosIsRefusedBeforeAnyBackboneIsPruned() throws Exception {
        String stored = "{\"searcher\":\"nsga2\",\"prune_ratios\":[0.0,0.5],\"backbone_hashes\":[\"a\",\"b\"]}";
        SearchJob.checkStoredPruneRatios("s", java.util.Optional.of(stored), List.of(0.0, 0.5));
        SearchJob.checkStoredPruneRatios("s", java.util.Optional.empty(), List.of(0.0, 0.25));
        io.tinysparse.core.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.tinysparse.core.InvalidInputException.class, () -> SearchJob.checkStoredPruneRatios("s",
                        java.util.Optional.of(stored), List.of(0.0, 0.25, 0.5, 0.75)));
        assertEquals("search 's' exists with another configuration (setting 'prune_ratios' differs: stored [0.0, 0.5],"
                + " given [0.0, 0.25, 0.5, 0.75]); use a new --search-id or the same options", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(io.tinysparse.core.InvalidInputException.class,
                () -> SearchJob.checkStoredPruneRatios("s", java.util.Optional.of("{\"searcher\":\"nsga2\"}"),
                        List.of(0.25)));
        assertTrue(e.getMessage().contains("stored none, given [0.25]"), e.getMessage());
    }

    @Test
    void objectivesWithAnUnknownNameARepeatNoAccuracyOrASearcherThatCannotTakeTimeAreRefusedBeforeAnything() {
        assertBadInput(search("--objectives", "accuracy,memory,energy"), "--objectives 'accuracy,memory,energy':"
                + " 'energy' is not an objective (known: accuracy, memory, time)");
        assertBadInput(search("--objectives", "accuracy,time,time"), "--objectives 'accuracy,time,time' names time"
                + " twice");
        assertBadInput(search("--objectives", "memory,time"), "--objectives 'memory,time' has no accuracy: every"
                + " search maximises accuracy (give accuracy,memory or accuracy,memory,time)");
        assertBadInput(search("--objectives", "accuracy,memory,time", "--searcher", "model"), "--searcher model cannot"
                + " take --objectives accuracy,memory,time: its expected hypervolume improvement is exact over accuracy"
                + " against memory only (a staircase in one exact dimension); use nsga2, random, grid, halving for it");
        assertBadInput(search("--objectives", "accuracy,memory,time", "--searcher", "contribution"), "--searcher"
                + " contribution cannot take --objectives accuracy,memory,time: it picks its finalists by predicted"
                + " accuracy under the memory budget alone (a knapsack over memory), with no notion of time; use nsga2,"
                + " random, grid, halving for it");
    }

    @Test
    void aMasterUrlOfNoSparkFormIsBadInputNamingIt() {
        assertBadInput(search("--master", "bogus"), "--master 'bogus' is not a Spark master URL (local, local[N],"
                + " local[*], local[N,F], spark://HOST:PORT, yarn, k8s://URL)");
    }

    @Test
    void aWarehouseThatIsAFileOrUnderOneIsBadInputNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertBadInput(search("--warehouse", file.toString()), "--warehouse " + file + " is not a directory");
        assertBadInput(search("--warehouse", file.resolve("wh").toString()),
                "--warehouse " + file.resolve("wh") + " cannot be created: " + file + " is not a directory");
    }

    @Test
    void aDirectoryGivenAsTheSpaceIsBadInputNamingIt() {
        assertBadInput(search("--space", dir.toString()), "policy space file " + dir + " cannot be read: it is a"
                + " directory");
    }

    @Test
    void aDatasetThatIsNotInstalledIsBadInputNamingTheMissingFile() {
        Outcome o = search("--data-dir", dir.resolve("empty").toString());
        assertEquals(CommandRunner.BAD_INPUT, o.code(), o.err());
        assertTrue(o.err().startsWith("tinysparse: error: mnist/train is not installed: file:" + dir.resolve("empty")
                + "/mnist/train-images-idx3-ubyte is missing"), o.err());
        assertEquals(1, o.err().lines().count());
    }

    @Test
    void anEmptyOrNonIdxDatasetFileIsBadInputNamingIt() throws Exception {
        Path empty = dataDirWith("train-images-idx3-ubyte", Files::createFile);
        Outcome o = search("--data-dir", empty.toString());
        assertBadInput(o, "file:" + empty.resolve("mnist/train-images-idx3-ubyte") + ": 0 bytes, but mnist's"
                + " train-images-idx3-ubyte has 47040016; run 'tinysparse datasets fetch mnist'");
        Files.delete(empty.resolve("mnist/train-images-idx3-ubyte"));
        try (RandomAccessFile zeros = new RandomAccessFile(empty.resolve("mnist/train-images-idx3-ubyte").toFile(), "rw")) {
            zeros.setLength(47_040_016); // the right length, no IDX header
        }
        Outcome z = search("--data-dir", empty.toString());
        assertEquals(CommandRunner.BAD_INPUT, z.code(), z.err());
        assertTrue(z.err().startsWith("tinysparse: error: file:" + empty.resolve("mnist/train-images-idx3-ubyte")
                + ": wrong magic number 0x00000000"), z.err());
    }

    @Test
    void subsetsTheDatasetCannotHoldOrWithoutEveryClassAreBadInputNamingTheValue() {
        installedMnist();
        assertBadInput(search("--train-samples", "60000"), "--train-samples 60000 and --val-samples 10 (60010 images)"
                + " do not fit in the 60000 training images of mnist");
        assertBadInput(search("--train-samples", "200000"), "--train-samples 200000 and --val-samples 10 (200010"
                + " images) do not fit in the 60000 training images of mnist");
        assertBadInput(search("--val-samples", "70000"), "--train-samples 20 and --val-samples 70000 (70020 images)"
                + " do not fit in the 60000 training images of mnist");
        Outcome five = search("--train-samples", "5");
        assertEquals(CommandRunner.BAD_INPUT, five.code(), five.err());
        assertTrue(five.err().startsWith("tinysparse: error: --train-samples 5 leaves class '"), five.err());
        assertTrue(five.err().contains("(10 classes: every subset needs one of each)"), five.err());
    }
}
