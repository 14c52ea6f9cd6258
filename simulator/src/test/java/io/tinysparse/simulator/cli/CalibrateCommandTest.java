package io.tinysparse.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.simulator.calibration.CalibrationRun;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void skippingBothBudgetsIsBadInput() {
        CliRun r = CliRun.of(new CalibrateCommand(), "--skip-quick", "--skip-converged", "--data-dir", dir.toString());
        assertEquals(CommandRunner.BAD_INPUT, r.code());
        assertTrue(r.err().contains("--skip-quick"), r.err());
    }

    @Test
    void skipQuickWithConvergedFromReportsTheFilesRunsWithIntervalsAndPairedDifferencesTrainingNothing()
            throws Exception {
        Path file = dir.resolve("unfolded.tsnw");
        Network net = Network.initialize(ModelSpec.preset("mbv2-w0.35"), 1);
        net.save(file);
        List<String> lines = new ArrayList<>(List.of(CalibrationRun.TSV_HEADER));
        double[][] val = {{0.80, 0.82, 0.84}, {0.78, 0.80, 0.83}};
        String[] names = {"seed-dynamic", "seed-static"};
        for (int p = 0; p < 2; p++) {
            for (int r = 0; r < 3; r++) {
                String hash = net.fold().withNewClassifier(10, 1 + r).parameterHash();
                lines.add(new CalibrationRun("converged", names[p], r, 1 + r, val[p][r], val[p][r], 0.03, 40_320,
                        p == 0 ? 217_672 : 140_344, 1000, hash, "id" + p + r, 0.0187, p == 0 ? 1.0 : 0.0187).toTsv());
            }
        }
        Path runs = dir.resolve("runs.tsv");
        Files.write(runs, lines);
        // calibrate prints its progress and tables on System.out.
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CliRun ok;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            ok = CliRun.of(new CalibrateCommand(), "--backbone", file.toString(), "--skip-quick", "--replicates", "3",
                    "--converged-from", runs.toString(), "--policies", "seed-dynamic,seed-static", "--data-dir",
                    dir.toString());
        } finally {
            System.setOut(stdout);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertEquals(CommandRunner.OK, ok.code(), ok.err());
        assertTrue(out.contains("0.8200 [0.7703, 0.8697]"), out);
        // Differences 0.02, 0.02, 0.01: mean 0.0167, half-width 4.302653 * 0.005774 / sqrt(3) = 0.0143.
        assertTrue(out.contains("seed-dynamic - seed-static") && out.contains("+0.0167 [+0.0023, +0.0310] signif."),
                out);
        assertTrue(out.contains("1.8700%"), out);

        Files.write(runs, lines.stream().map(l -> l.replaceFirst(
                "\t[0-9a-f]{8,}\tid01\t", "\tdeadbeef\tid01\t")).toList());
        CliRun bad = CliRun.of(new CalibrateCommand(), "--backbone", file.toString(), "--skip-quick", "--replicates",
                "3", "--converged-from", runs.toString(), "--policies", "seed-dynamic,seed-static", "--data-dir",
                dir.toString());
        assertEquals(CommandRunner.BAD_INPUT, bad.code(), bad.out());
        assertTrue(bad.err().contains("deadbeef"), bad.err());
    }
}
