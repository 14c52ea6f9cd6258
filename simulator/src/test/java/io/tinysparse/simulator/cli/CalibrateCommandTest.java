package io.tinysparse.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.cli.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrateCommandTest {
    @TempDir
    Path dir;

    @Test
    void badOptionsAreOneLineErrorsNamingTheValueWithExitCodeTwo() {
        CliRun r = CliRun.of(new CalibrateCommand(), "--replicates", "0", "--data-dir", dir.toString());
        assertEquals(CommandRunner.BAD_INPUT, r.code());
        assertTrue(r.err().contains("--replicates") && r.err().contains("0"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        CliRun both = CliRun.of(new CalibrateCommand(), "--skip-converged", "--converged-from", "x.tsv", "--data-dir",
                dir.toString());
        assertEquals(CommandRunner.BAD_INPUT, both.code());
        assertTrue(both.err().contains("--converged-from"), both.err());
    }

    @Test
    void aFoldedBackboneIsRefusedBeforeAnyTraining() throws Exception {
        Path file = dir.resolve("folded.tsnw");
        io.tinysparse.simulator.engine.Network.initialize(io.tinysparse.simulator.model.ModelSpec.preset("mbv2-w0.35"), 1)
                .fold().save(file);
        CliRun r = CliRun.of(new CalibrateCommand(), "--backbone", file.toString(), "--data-dir", dir.toString());
        assertEquals(CommandRunner.BAD_INPUT, r.code());
        assertTrue(r.err().contains("folded"), r.err());
        assertTrue(Files.list(dir).allMatch(p -> p.equals(file)), "nothing written");
    }
}
