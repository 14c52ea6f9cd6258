package io.tinysparse.datasets.install;

import io.tinysparse.datasets.catalog.DatasetDescriptor;
import io.tinysparse.datasets.catalog.ExpectedFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Files installed by a Debian package into a known directory ({@code dataset-fashion-mnist}
 * puts Fashion-MNIST in {@code /usr/share/datasets/fashion-mnist}).
 *
 * <p>When the files are already there they are copied. Otherwise, as root with
 * {@code apt-get} available, the package is installed with {@code apt-get install -y}; when
 * that fails because the package lists are missing or stale ("Unable to locate package"),
 * {@code apt-get update} runs and the install is tried once more. Without apt or root it fails
 * with a {@link SourceUnavailableException} that says exactly how to provide the files.
 */
public final class DebianPackageSource implements PackageSource {
    private final String pkg;
    private final Path installedDirectory;
    private final SystemCommands commands;

    /**
     * @param pkg the Debian package, e.g. {@code dataset-fashion-mnist}
     * @param installedDirectory where the package puts the files
     */
    public DebianPackageSource(String pkg, Path installedDirectory, SystemCommands commands) {
        this.pkg = Objects.requireNonNull(pkg, "pkg");
        this.installedDirectory = Objects.requireNonNull(installedDirectory, "installedDirectory");
        this.commands = Objects.requireNonNull(commands, "commands");
    }

    @Override
    public String describe() {
        return "Debian package " + pkg;
    }

    @Override
    public void provide(DatasetDescriptor dataset, Path staging, PrintWriter log) throws IOException {
        if (!allPresent(dataset)) {
            install(dataset, log);
        }
        for (ExpectedFile f : dataset.files()) {
            Files.copy(installedDirectory.resolve(f.name()), staging.resolve(f.name()));
        }
    }

    private boolean allPresent(DatasetDescriptor dataset) {
        return dataset.files().stream().allMatch(f -> Files.isRegularFile(installedDirectory.resolve(f.name())));
    }

    private void install(DatasetDescriptor dataset, PrintWriter log) throws IOException {
        String instead = " Provide the files another way: run 'sudo apt-get install " + pkg
                + "' and fetch again; or put " + NpmPackageSource.fileList(dataset)
                + " into a folder and run 'tinysparse datasets fetch " + dataset.name() + " --source-dir FOLDER'";
        if (!commands.onPath("apt-get")) {
            throw new SourceUnavailableException(dataset.name() + " comes from the " + describe() + " (files in "
                    + installedDirectory + "), which is not installed, and apt-get is not available here." + instead);
        }
        if (!commands.isRoot()) {
            throw new SourceUnavailableException(dataset.name() + " comes from the " + describe() + " (files in "
                    + installedDirectory + "), which is not installed, and installing it needs root." + instead);
        }
        Path cwd = Path.of(System.getProperty("java.io.tmpdir"));
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        List<String> installCmd = List.of("apt-get", "install", "-y", pkg);
        log.println(dataset.name() + ": apt-get install -y " + pkg);
        log.flush();
        SystemCommands.Result r = commands.run(installCmd, cwd, env);
        if (r.exitCode() != 0 && missingPackageList(r.output())) {
            log.println(dataset.name() + ": the package lists do not know " + pkg + "; apt-get update");
            log.flush();
            SystemCommands.Result u = commands.run(List.of("apt-get", "update"), cwd, env);
            if (u.exitCode() != 0) {
                throw new IOException("apt-get update failed with exit code " + u.exitCode() + ": " + u.lastLine());
            }
            r = commands.run(installCmd, cwd, env);
        }
        if (r.exitCode() != 0) {
            throw new IOException("apt-get install -y " + pkg + " failed with exit code " + r.exitCode() + ": "
                    + r.lastLine());
        }
        for (ExpectedFile f : dataset.files()) {
            if (!Files.isRegularFile(installedDirectory.resolve(f.name()))) {
                throw new IOException(describe() + " is installed but " + installedDirectory.resolve(f.name())
                        + " is missing");
            }
        }
    }

    /** Whether apt's output says it does not know the package (lists missing or stale). */
    static boolean missingPackageList(String output) {
        return output.contains("Unable to locate package") || output.contains("has no installation candidate")
                || output.contains("is not available");
    }
}
