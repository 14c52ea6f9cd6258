package io.tinysparse.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options from argument files, a defaults file and a preset, and which of them wins. */
class OptionDefaultsTest {
    @TempDir
    Path dir;

    @Command(name = "tool", mixinStandardHelpOptions = true, subcommands = {Train.class, Other.class})
    static final class Tool implements Runnable {
        @Override
        public void run() {}
    }

    /** A command with two defaulted options and a preset flag that changes one of them. */
    @Command(name = "train", mixinStandardHelpOptions = true)
    static final class Train implements Callable<Integer> {
        static Train last;

        @Spec
        CommandSpec spec;

        @Option(names = "--samples", defaultValue = "1000", description = "Samples (default: ${DEFAULT-VALUE}).")
        int samples;

        @Option(names = "--lr", defaultValue = "0.05")
        double lr;

        @Option(names = "--steps", defaultValue = "10")
        void steps(int n) {
            OptionRange.atLeast(spec, "--steps", n, 1);
        }

        @Option(names = "--fast")
        void fast(boolean on) {
            if (on) {
                OptionDefaults.usePreset(spec, "--samples 200");
            }
        }

        @Override
        public Integer call() {
            last = this;
            return CommandRunner.OK;
        }
    }

    @Command(name = "other")
    static final class Other implements Runnable {
        @Option(names = "--samples", defaultValue = "7")
        int samples;

        @Override
        public void run() {}
    }

    private record Result(int code, Train train, String out, String err) {}

    private static Result run(String environmentFile, String... args) {
        Train.last = null;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CommandRunner.commandLine(new Tool(), environmentFile);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.getSubcommands().values().forEach(sub -> {
            sub.setOut(new PrintWriter(out));
            sub.setErr(new PrintWriter(err));
        });
        int code = cl.execute(args);
        return new Result(code, Train.last, out.toString(), err.toString());
    }

    private Path file(String name, String... lines) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, List.of(lines));
        return f;
    }

    @Test
    void aValueFromTheDefaultsFileIsUsedAndAFlagOverridesIt() throws Exception {
        Path f = file("d.properties", "samples=300", "lr=0.1");
        Result r = run(null, "train", "--defaults", f.toString());
        assertEquals(CommandRunner.OK, r.code(), r.err());
        assertEquals(300, r.train().samples);
        assertEquals(0.1, r.train().lr);
        Result flag = run(null, "train", "--samples", "40", "--defaults", f.toString());
        assertEquals(40, flag.train().samples);
        assertEquals(0.1, flag.train().lr);
    }

    @Test
    void withoutAFileTheDeclaredDefaultApplies() {
        Result r = run(null, "train");
        assertEquals(1000, r.train().samples);
        assertEquals(0.05, r.train().lr);
    }

    @Test
    void aCommandsOwnKeyWinsOverThePlainKeyAndAFileBeforeTheCommandAppliesBelowIt() throws Exception {
        Path f = file("d.properties", "samples=300", "train.samples=500");
        assertEquals(500, run(null, "--defaults", f.toString(), "train").train().samples);
    }

    @Test
    void theEnvironmentFileAppliesAndAnExplicitDefaultsFileWinsOverIt() throws Exception {
        Path env = file("env.properties", "samples=11", "lr=0.2");
        Path explicit = file("d.properties", "samples=22");
        assertEquals(11, run(env.toString(), "train").train().samples);
        Result both = run(env.toString(), "train", "--defaults", explicit.toString());
        assertEquals(22, both.train().samples);
        assertEquals(0.2, both.train().lr, "keys the explicit file lacks still come from the environment's");
    }

    @Test
    void aPresetReplacesTheDeclaredDefaultButGivesWayToAFlagAndToTheDefaultsFile() throws Exception {
        assertEquals(200, run(null, "train", "--fast").train().samples);
        assertEquals(60, run(null, "train", "--samples", "60", "--fast").train().samples);
        Path f = file("d.properties", "samples=300");
        assertEquals(300, run(null, "train", "--fast", "--defaults", f.toString()).train().samples);
    }

    @Test
    void argumentFilesAreExpandedThroughTheRunner() throws Exception {
        Path args = file("train.args", "--samples 70", "--lr", "0.3");
        Result r = run(null, "train", "@" + args);
        assertEquals(CommandRunner.OK, r.code(), r.err());
        assertEquals(70, r.train().samples);
        assertEquals(0.3, r.train().lr);
    }

    @Test
    void helpPrintsTheDefaultThatApplies() throws Exception {
        Path f = file("d.properties", "samples=300");
        Result r = run(null, "train", "--defaults", f.toString(), "--help");
        assertTrue(r.out().contains("Samples (default: 300)."), r.out());
        assertTrue(r.out().contains("--defaults=FILE"), r.out());
    }

    @Test
    void aMissingDefaultsFileIsBadInputNamingIt() {
        Path missing = dir.resolve("missing.properties");
        Result r = run(null, "train", "--defaults", missing.toString());
        assertEquals(CommandRunner.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("tinysparse: error: defaults file " + missing + " does not exist"), r.err());
        Result env = run(missing.toString(), "train");
        assertEquals(CommandRunner.BAD_INPUT, env.code());
        assertTrue(env.err().contains("$TINYSPARSE_DEFAULTS: defaults file " + missing), env.err());
    }

    @Test
    void aDirectoryOrAMalformedFileIsBadInputNamingIt() throws Exception {
        Result r = run(null, "train", "--defaults", dir.toString());
        assertEquals(CommandRunner.BAD_INPUT, r.code());
        assertTrue(r.err().contains("defaults file " + dir), r.err());
        Path malformed = file("bad.properties", "samples=\\u12");
        Result m = run(null, "train", "--defaults", malformed.toString());
        assertEquals(CommandRunner.BAD_INPUT, m.code());
        assertTrue(m.err().contains("defaults file " + malformed), m.err());
    }

    @Test
    void aKeyThatIsNoOptionIsBadInputNamingFileAndKey() throws Exception {
        Path typo = file("typo.properties", "sample=300");
        Result r = run(null, "train", "--defaults", typo.toString());
        assertEquals(CommandRunner.BAD_INPUT, r.code());
        assertTrue(r.err().contains("defaults file " + typo + ": 'sample' is not an option of any command"), r.err());
        Path wrongCommand = file("cmd.properties", "other.lr=0.1");
        assertTrue(run(null, "train", "--defaults", wrongCommand.toString()).err()
                .contains("'other.lr' is not an option of 'other'"));
        Path elsewhere = file("elsewhere.properties", "pretrain.epochs=3", "samples=5");
        assertEquals(5, run(null, "train", "--defaults", elsewhere.toString()).train().samples,
                "keys of a command outside the tree (another entry point's) are left alone");
    }

    @Test
    void aBadValueInTheDefaultsFileIsBadInputNamingTheValue() throws Exception {
        Path f = file("d.properties", "samples=many");
        Result r = run(null, "train", "--defaults", f.toString());
        assertEquals(CommandRunner.BAD_INPUT, r.code());
        assertTrue(r.err().contains("'many'"), r.err());
    }

    @Test
    void aBadValueInTheDefaultsFileNamesTheFileAndTheKey() throws Exception {
        Path f = file("d.properties", "samples=many");
        Result r = run(null, "train", "--defaults", f.toString());
        assertTrue(r.err().startsWith("tinysparse: error: defaults file " + f + ", key 'samples': "), r.err());
        Path own = file("own.properties", "train.steps=0");
        Result o = run(null, "train", "--defaults", own.toString());
        assertEquals(CommandRunner.BAD_INPUT, o.code());
        assertTrue(o.err().startsWith("tinysparse: error: defaults file " + own + ", key 'train.steps': --steps 0"
                + " must be >= 1"), o.err());
    }

    @Test
    void aBadFlagIsNotBlamedOnTheDefaultsFile() throws Exception {
        Path f = file("d.properties", "steps=5");
        Result r = run(null, "train", "--defaults", f.toString(), "--steps", "-2");
        assertEquals(CommandRunner.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("tinysparse: error: --steps -2 must be >= 1"), r.err());
    }
}
