package io.tinysparse.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.simulator.pretrain.PretrainSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(new PretrainCommand(), args);
    }

    private CliRun badInput(String value, String... args) throws IOException {
        Path out = dir.resolve("b.tsnw");
        String[] all = Stream.concat(Stream.of(args), Stream.of("--out", out.toString(), "--data-dir",
                dir.resolve("data").toString())).toArray(String[]::new);
        CliRun r = run(all);
        assertEquals(CommandRunner.BAD_INPUT, r.code(), r.out() + r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("tinysparse: error: ") && first.contains(value), r.err());
        assertFalse(Files.exists(out), "nothing written for bad input");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("b.tsnw")), "no temporary files");
        }
        return r;
    }

    @Test
    void badValuesExitWithCode2AndAOneLineMessageNamingTheValue() throws IOException {
        badInput("1", "--batch", "1");
        badInput("0.0", "--epochs", "0");
        badInput("-0.1", "--lr", "-0.1");
        badInput("1.5", "--momentum", "1.5");
        badInput("mbv2-w9", "--model", "mbv2-w9");
        badInput("imagenet", "--dataset", "imagenet");
        badInput("4", "--resolution", "4");
        badInput("16", "--samples", "16");
        badInput("abc", "--seed", "abc");
        badInput("0", "--threads", "0");
        badInput("-1", "--threads", "-1");
        badInput("0", "--shards", "0");
        badInput("33", "--shards", "33");
    }

    @Test
    void aDatasetThatIsNotInstalledIsBadInputNamingIt() throws IOException {
        CliRun r = badInput("fashion-mnist", "--samples", "64");
        assertTrue(r.err().contains("not installed"), r.err());
    }

    @Test
    void helpPrintsTheDefaultsOfTheDefaultTransferTaskSource() {
        CliRun r = run("--help");
        assertEquals(0, r.code());
        String help = r.out().replaceAll("\\s+", " "); // picocli wraps long descriptions
        assertTrue(help.contains("default: " + PretrainSpec.DEFAULT_DATASET), help);
        assertTrue(help.contains("default: " + PretrainSpec.DEFAULT_SAMPLES), help);
        assertTrue(help.contains("default: " + PretrainSpec.DEFAULT_MODEL), help);
    }
}
