package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.cli.CommandRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The launcher's command tree: the dl4j module's commands join it when the module is on the
 * classpath (as on {@code bin/tinysparse}'s and this test's) and are left out, without error,
 * where it is not (the spark-submit jar).
 */
class TinysparseTest {
    private static final Set<String> ALWAYS = Set.of("calibrate", "datasets", "export", "memory", "pretrain", "prune", "repair", "report", "run",
            "search",
            "space", "sql");

    @TempDir
    Path dir;

    @Test
    void dl4jCommandsAreRegisteredWhenTheDl4jModuleIsOnTheClasspath() {
        Set<String> names = new CommandLine(Tinysparse.commands()).getSubcommands().keySet();
        assertTrue(names.containsAll(ALWAYS), names.toString());
        assertTrue(names.contains("import-keras") && names.contains("verify"), names.toString());
        assertEquals(ALWAYS.size() + Tinysparse.DL4J_COMMANDS.size(), names.size(), names.toString());
    }

    @Test
    void anOptionalCommandMissingFromTheClasspathIsLeftOut() {
        Set<String> names = new CommandLine(Tinysparse.commands(List.of("io.tinysparse.dl4j.cli.NoSuchCommand",
                Tinysparse.DL4J_COMMANDS.get(1)))).getSubcommands().keySet();
        assertEquals(ALWAYS.size() + 1, names.size(), names.toString());
        assertTrue(names.contains("verify"), names.toString());
    }

    @Test
    void aDl4jCommandRunUnderTheLauncherKeepsTheBadInputExitCode() {
        StringWriter err = new StringWriter();
        CommandLine cl = CommandRunner.commandLine(Tinysparse.commands());
        cl.setErr(new PrintWriter(err));
        cl.getSubcommands().get("import-keras").setErr(new PrintWriter(err));
        Path missing = dir.resolve("missing.h5");
        assertEquals(CommandRunner.BAD_INPUT, cl.execute("import-keras", "--h5", missing.toString()));
        assertTrue(err.toString().contains(missing.toString()), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    /** What {@code memory} prints under the launcher with {@code args}: it writes to the process's standard output. */
    private static String memoryJson(String... args) {
        StringWriter err = new StringWriter();
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = CommandRunner.commandLine(Tinysparse.commands());
            cl.setErr(new PrintWriter(err));
            cl.getSubcommands().get("memory").setErr(new PrintWriter(err));
            assertEquals(CommandRunner.OK, cl.execute(args), err.toString());
        } finally {
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCommandRunsFromAnArgumentFileAndADefaultsFileUnderTheLauncherAndAFlagWins() throws Exception {
        Path args = dir.resolve("memory.args");
        Files.write(args, List.of("--bias-layers 4", "--json"));
        Path defaults = dir.resolve("tinysparse.properties");
        Files.writeString(defaults, "memory.device=stm32h743\nestimator=lin2022\n");
        String fromFiles = memoryJson("--defaults", defaults.toString(), "memory", "@" + args);
        assertTrue(fromFiles.contains("\"device\" : \"stm32h743\""), fromFiles);
        assertTrue(fromFiles.contains("\"estimator\" : \"lin2022\""), fromFiles);
        String flagWins = memoryJson("memory", "--defaults", defaults.toString(), "@" + args, "--device",
                "nrf52840");
        assertTrue(flagWins.contains("\"device\" : \"nrf52840\""), flagWins);
    }

    @Test
    void everyCommandsHelpPrintsWithoutPicocliWarnings() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StringBuilder helps = new StringBuilder();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            helpOf(CommandRunner.commandLine(Tinysparse.commands()), helps);
        } finally {
            System.setErr(stderr);
        }
        String warnings = err.toString(StandardCharsets.UTF_8);
        assertTrue(warnings.isEmpty(), warnings);
        assertTrue(helps.toString().contains("Usage: tinysparse export"), helps.toString());
        assertTrue(helps.toString().contains("Usage: tinysparse run"), helps.toString());
    }

    /** Renders the help of {@code cl} and of every subcommand below it into {@code into}. */
    private static void helpOf(CommandLine cl, StringBuilder into) {
        StringWriter out = new StringWriter();
        cl.usage(new PrintWriter(out));
        into.append(out);
        cl.getSubcommands().values().forEach(sub -> helpOf(sub, into));
    }
}
