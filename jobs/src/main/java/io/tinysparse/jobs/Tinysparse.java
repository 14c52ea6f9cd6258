package io.tinysparse.jobs;

import io.tinysparse.datasets.cli.CommandRunner;
import io.tinysparse.datasets.cli.DatasetsCommand;
import io.tinysparse.search.cli.SpaceCommand;
import io.tinysparse.simulator.cli.CalibrateCommand;
import io.tinysparse.simulator.cli.ImportKerasCommand;
import io.tinysparse.simulator.cli.MemoryCommand;
import io.tinysparse.simulator.cli.PretrainCommand;
import io.tinysparse.simulator.cli.RunCommand;
import io.tinysparse.simulator.cli.VerifyCommand;
import picocli.CommandLine.Command;

/**
 * The {@code bin/tinysparse} launcher: one subcommand per task, each with its own
 * {@code --help}. The same subcommand classes run under {@code spark-submit --class} through
 * their own {@code main} methods.
 */
@Command(
        name = "tinysparse",
        mixinStandardHelpOptions = true,
        versionProvider = BuildInfo.class,
        description = "Searches sparse-update training policies for microcontrollers.",
        subcommands = {CalibrateCommand.class, DatasetsCommand.class, ImportKerasCommand.class, MemoryCommand.class, PretrainCommand.class, RunCommand.class,
            SearchJob.class, SpaceCommand.class, SqlJob.class, VerifyCommand.class})
public final class Tinysparse implements Runnable {
    @Override
    public void run() {
        CommandRunner.commandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        CommandRunner.main(new Tinysparse(), args);
    }
}
