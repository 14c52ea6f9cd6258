package io.tinysparse.datasets.cli;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.datasets.catalog.DatasetDescriptor;
import io.tinysparse.datasets.catalog.DatasetStatus;
import io.tinysparse.datasets.catalog.FileCheck;
import io.tinysparse.datasets.catalog.KnownDatasets;
import io.tinysparse.datasets.catalog.Split;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tinysparse datasets list}: every known dataset, whether it is installed, and each file's check. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the known datasets: installed or not, their splits and files, each file checked "
                + "against its known size and SHA-256.")
public final class ListCommand implements Callable<Integer> {
    @Mixin
    DataDirOption dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        DataDirectory dir = dataDir.resolve();
        out.println("data directory: " + dir);
        for (DatasetDescriptor d : KnownDatasets.all()) {
            DatasetStatus st = DatasetStatus.check(dir, d);
            out.println();
            out.printf("%-14s %s (%s, %d classes)%n", d.name(), d.title(), d.source(), d.classNames().size());
            if (st.absent()) {
                out.println("  not installed: " + hint(d, dir));
                continue;
            }
            out.println("  " + (st.installed() ? "installed, splits: " + splits(d) : "NOT installed (see the files below): "
                    + hint(d, dir)));
            for (FileCheck c : st.files()) {
                out.printf("  %-5s %-28s %11d bytes  %s%n", c.expected().split().id(), c.expected().name(),
                        c.expected().sizeBytes(), c.describe());
            }
        }
        out.flush();
        return CommandRunner.OK;
    }

    private static String splits(DatasetDescriptor d) {
        StringBuilder s = new StringBuilder();
        for (Split split : Split.values()) {
            s.append(s.length() == 0 ? "" : ", ").append(split.id());
        }
        return s + " (" + d.files().size() + " files in " + d.format() + " format)";
    }

    private static String hint(DatasetDescriptor d, DataDirectory dir) {
        return DatasetCatalog.installHint(d, dir.datasetDirectory(d.name()).toString());
    }
}
