package io.tinysparse.jobs;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.core.cli.VersionProvider;
import io.tinysparse.datasets.cli.DatasetsCommand;
import io.tinysparse.search.cli.SpaceCommand;
import io.tinysparse.simulator.cli.CalibrateCommand;
import io.tinysparse.simulator.cli.MemoryCommand;
import io.tinysparse.simulator.cli.PretrainCommand;
import io.tinysparse.simulator.cli.PruneCommand;
import io.tinysparse.simulator.cli.RunCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code bin/tinysparse} launcher: one subcommand per task, each with its own
 * {@code --help}. The same subcommand classes run under {@code spark-submit --class} through
 * their own {@code main} methods.
 *
 * <p>The dl4j module's subcommands ({@link #DL4J_COMMANDS}) are registered only when that
 * module is on the classpath: it is on {@code bin/tinysparse}'s, not in the spark-submit jar, so
 * executors do not carry Deeplearning4j, ND4J and their natives.
 */
@Command(
        name = "tinysparse",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Searches sparse-update training policies for microcontrollers.",
        subcommands = {CalibrateCommand.class, DatasetsCommand.class, MemoryCommand.class, PretrainCommand.class,
            PruneCommand.class, ExportCommand.class, RepairCommand.class, ReportCommand.class, RunCommand.class, SearchJob.class, SpaceCommand.class,
            SqlJob.class})
public final class Tinysparse implements Runnable {
    /** Subcommands that need Deeplearning4j (the dl4j module), by class name: jobs does not compile against it. */
    public static final List<String> DL4J_COMMANDS =
            List.of("io.tinysparse.dl4j.cli.ImportKerasCommand", "io.tinysparse.dl4j.cli.VerifyCommand");

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The launcher's command tree: the subcommands above plus those of the dl4j module that are on the classpath. */
    public static CommandSpec commands() {
        return commands(DL4J_COMMANDS);
    }

    /** The command tree with each of {@code optionalCommands} (class names) added when it can be loaded. */
    static CommandSpec commands(List<String> optionalCommands) {
        CommandSpec root = CommandSpec.forAnnotatedObject(new Tinysparse());
        for (String className : optionalCommands) {
            Class<?> command;
            try {
                command = Class.forName(className);
            } catch (ClassNotFoundException notOnClasspath) {
                continue;
            }
            root.addSubcommand(null, CommandSpec.forAnnotatedObject(command));
        }
        return root;
    }

    public static void main(String[] args) {
        CommandRunner.main(commands(), args);
    }
}
