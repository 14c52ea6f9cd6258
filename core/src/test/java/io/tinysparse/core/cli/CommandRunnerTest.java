package io.tinysparse.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CommandRunnerTest {
    @Command(name = "probe", versionProvider = VersionProvider.class, mixinStandardHelpOptions = true)
    static final class Probe implements Callable<Integer> {
        @Option(names = "--n")
        int n;

        @Override
        public Integer call() {
            if (n < 0) {
                throw new InvalidInputException("--n must be >= 0,\n  got " + n);
            }
            if (n == 13) {
                throw new IllegalStateException("unlucky");
            }
            if (n == 14) {
                throw new IllegalStateException("commit failed", new java.io.IOException("No space left on device"));
            }
            return CommandRunner.OK;
        }
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cl = CommandRunner.commandLine(new Probe());
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void badInputExitsWithTwoAndOneLineNamingTheValue() {
        StringWriter err = new StringWriter();
        assertEquals(CommandRunner.BAD_INPUT, run(err, "--n", "-1"));
        assertEquals("tinysparse: error: --n must be >= 0, got -1", err.toString().strip());
    }

    @Test
    void anUnparsableOptionIsBadInput() {
        StringWriter err = new StringWriter();
        assertEquals(CommandRunner.BAD_INPUT, run(err, "--n", "many"));
        assertTrue(err.toString().startsWith("tinysparse: error: "), err.toString());
        assertTrue(err.toString().contains("'probe --help'"), err.toString());
    }

    @Test
    void anyOtherFailureExitsWithOne() {
        StringWriter err = new StringWriter();
        assertEquals(CommandRunner.FAILURE, run(err, "--n", "13"));
        assertTrue(err.toString().startsWith("tinysparse: failed: java.lang.IllegalStateException: unlucky"),
                err.toString());
    }

    @Test
    void successExitsWithZeroAndVersionNamesTheBuildAndPlatform() {
        assertEquals(CommandRunner.OK, CommandRunner.execute(new Probe(), "--n", "1"));
        String[] version = new VersionProvider().getVersion();
        assertEquals(2, version.length);
        assertTrue(version[0].startsWith("tinysparse "), version[0]);
        assertTrue(version[1].startsWith("Java " + System.getProperty("java.version")), version[1]);
    }

    @Test
    void aMissingArgumentFileIsBadInputNamingTheFile() {
        StringWriter err = new StringWriter();
        assertEquals(CommandRunner.BAD_INPUT, run(err, "@/no/such/args.txt"));
        assertTrue(err.toString().startsWith("tinysparse: error: argument file /no/such/args.txt does not exist"),
                err.toString());
    }

    @Test
    void anUnexpectedFailureSaysItsCauseOnTheSameLine() {
        StringWriter err = new StringWriter();
        assertEquals(CommandRunner.FAILURE, run(err, "--n", "14"));
        assertEquals("tinysparse: failed: java.lang.IllegalStateException: commit failed (cause: java.io.IOException:"
                + " No space left on device)", err.toString().lines().findFirst().orElseThrow());
    }
}
