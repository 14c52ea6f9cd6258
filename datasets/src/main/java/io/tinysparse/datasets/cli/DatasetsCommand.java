package io.tinysparse.datasets.cli;

import io.tinysparse.core.cli.CommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tinysparse datasets}: install, list and inspect the image datasets. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "Install (fetch), list and inspect image datasets.",
        subcommands = {FetchCommand.class, ListCommand.class, InspectCommand.class})
public final class DatasetsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        CommandRunner.main(new DatasetsCommand(), args);
    }
}
