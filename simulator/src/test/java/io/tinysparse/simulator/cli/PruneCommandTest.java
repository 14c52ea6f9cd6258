package io.tinysparse.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.provenance.Provenance;
import io.tinysparse.datasets.transform.ResizeMode;
import io.tinysparse.datasets.transform.TransformSpec;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.pretrain.BackboneCheckpoint;
import io.tinysparse.simulator.pretrain.BackboneProvenance;
import io.tinysparse.simulator.pretrain.PretrainSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prune}'s bad input: one line naming the value, exit code 2, nothing written. */
class PruneCommandTest {
    @TempDir
    Path dir;

    /** A backbone file with a pretraining provenance (its source data named), not trained. */
    private Path backbone() throws IOException {
        ModelSpec model = new ModelSpec(0.35, 16, 10, false, 1);
        PretrainSpec spec = new PretrainSpec(model, "fashion-mnist", 64, 32, 1, 16, 0.05, 0.9, 0, 0, 1, 4);
        Network net = Network.initialize(model, 1);
        BackboneProvenance p = new BackboneProvenance(BackboneProvenance.FORMAT_VERSION, spec, spec.hash(), "train", 4, 0,
                0.5, 1.0, new TransformSpec(16, 16, ResizeMode.BILINEAR, 3, new double[] {0.3, 0.3, 0.3},
                new double[] {0.2, 0.2, 0.2}).canonical(), 1.0, 1, net.parameterHash(),
                Provenance.current(), "2026-12-01T00:00:00Z");
        Path file = dir.resolve("parent.tsnw");
        new BackboneCheckpoint(net, p).save(file);
        return file;
    }

    private CliRun prune(String... args) {
        return CliRun.of(new PruneCommand(), args);
    }

    /** {@code prune --ratio 0.5} of {@code parent} to {@code out} with {@code option value}. */
    private CliRun pruneHalf(Path parent, Path out, String option, String value) {
        return prune("--ratio", "0.5", "--backbone", parent.toString(), "--out", out.toString(), option, value);
    }

    private void badInput(CliRun run, String named) {
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains(named), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void aRatioOutsideZeroToOneIsBadInput() throws IOException {
        Path parent = backbone();
        Path out = dir.resolve("out.tsnw");
        badInput(prune("--ratio", "1", "--backbone", parent.toString(), "--out", out.toString()), "1.0");
        badInput(prune("--ratio", "-0.25", "--backbone", parent.toString(), "--out", out.toString()), "-0.25");
        badInput(prune("--ratio", "NaN", "--backbone", parent.toString(), "--out", out.toString()), "NaN");
        assertFalse(Files.exists(out));
    }

    @Test
    void aRatioThatLeavesAGroupEmptyIsBadInputNamingTheGroup() throws IOException {
        Path out = dir.resolve("out.tsnw");
        CliRun run = prune("--ratio", "0.9", "--backbone", backbone().toString(), "--out", out.toString());
        badInput(run, "0.9");
        assertTrue(run.err().contains("empty"), run.err());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("out.tsnw.json")));
    }

    @Test
    void anUnknownCriterionIsBadInput() throws IOException {
        Path out = dir.resolve("out.tsnw");
        badInput(prune("--ratio", "0.5", "--criterion", "fisher", "--backbone", backbone().toString(), "--out",
                out.toString()), "fisher");
        assertFalse(Files.exists(out));
    }

    @Test
    void aBackboneThatIsNotANetworkOrHasNoSourceDataIsBadInput() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a network");
        Path out = dir.resolve("out.tsnw");
        badInput(prune("--ratio", "0.5", "--backbone", text.toString(), "--out", out.toString()), "notes.txt");
        badInput(prune("--ratio", "0.5", "--backbone", dir.resolve("missing.tsnw").toString(), "--out",
                out.toString()), "missing.tsnw");
        Path bare = dir.resolve("bare.tsnw");
        Network.initialize(new ModelSpec(0.35, 16, 10, false, 1), 2).save(bare);
        CliRun run = prune("--ratio", "0.5", "--backbone", bare.toString(), "--out", out.toString());
        badInput(run, "bare.tsnw");
        assertTrue(run.err().contains("no pretraining provenance"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void ratioZeroPrunesNothingAndWritesNothing() throws IOException {
        Path out = dir.resolve("out.tsnw");
        Path parent = backbone();
        CliRun run = prune("--ratio", "0", "--backbone", parent.toString(), "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("prunes nothing") && run.out().contains(parent.toString()), run.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void anOutThatCannotBeWrittenIsBadInputBeforeAnyWork() throws IOException {
        Path parent = backbone();
        Path notADirectory = Files.writeString(dir.resolve("plain.txt"), "a file, not a directory");
        CliRun run = prune("--ratio", "0.5", "--backbone", parent.toString(), "--out",
                notADirectory.resolve("sub/x.tsnw").toString());
        badInput(run, "--out " + notADirectory.resolve("sub/x.tsnw"));
        assertTrue(run.err().contains("cannot be written"), run.err());
        assertEquals("", run.out(), "nothing pruned or recovered first");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            // a directory root's access() calls writable but that takes no new entry
            CliRun proc = prune("--ratio", "0.5", "--backbone", parent.toString(), "--out", "/proc/nope/x.tsnw");
            badInput(proc, "--out /proc/nope/x.tsnw");
            assertEquals("", proc.out(), "nothing pruned or recovered first");
        }
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "only the parent, its provenance and plain.txt: no probe left behind");
        }
    }

    @Test
    void aBackboneThatIsADirectoryIsBadInputSayingSo() throws IOException {
        Path out = dir.resolve("out.tsnw");
        CliRun run = prune("--ratio", "0.5", "--backbone", dir.toString(), "--out", out.toString());
        badInput(run, dir.toString());
        assertTrue(run.err().contains("is a directory"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void recoveryAndImportanceBudgetsOutOfRangeAreBadInputNamingTheirOption() throws IOException {
        Path parent = backbone();
        Path out = dir.resolve("out.tsnw");
        CliRun epochs = pruneHalf(parent, out, "--recovery-epochs", "0");
        badInput(epochs, "--recovery-epochs");
        assertTrue(epochs.err().contains("0.0"), epochs.err());
        badInput(pruneHalf(parent, out, "--importance-batches", "0"), "--importance-batches");
        badInput(pruneHalf(parent, out, "--recovery-lr", "-1"), "--recovery-lr");
        assertFalse(Files.exists(out));
    }

    @Test
    void aBnBatchesThatIsNegativeOrNotAWholeNumberIsBadInputNamingItBeforeAnyWork() throws IOException {
        Path parent = backbone();
        Path out = dir.resolve("out.tsnw");
        CliRun negative = pruneHalf(parent, out, "--bn-batches", "-1");
        badInput(negative, "-1");
        assertTrue(negative.err().contains("--bn-batches"), negative.err());
        assertEquals("", negative.out(), "nothing pruned first");
        for (String bad : new String[] {"1.5", "many", "99999999999"}) {
            // picocli's conversion error: the one error line, then the house's usage hint
            CliRun run = pruneHalf(parent, out, "--bn-batches", bad);
            assertEquals(2, run.code(), run.err());
            List<String> lines = run.err().strip().lines().toList();
            assertEquals(2, lines.size(), run.err());
            assertTrue(lines.get(0).contains("--bn-batches") && lines.get(0).contains("'" + bad + "'"), run.err());
            assertTrue(lines.get(1).startsWith("Try 'prune --help'"), run.err());
            assertEquals("", run.out(), "nothing pruned first");
        }
        // checked even where the ratio would prune nothing
        badInput(prune("--ratio", "0", "--backbone", parent.toString(), "--bn-batches", "-3"), "-3");
        // more batches than one pass over the parent's training images: refused, not run for minutes in silence
        CliRun many = pruneHalf(parent, out, "--bn-batches", "100000");
        badInput(many, "100000");
        assertTrue(many.err().contains("batches of one pass over the parent's training images"), many.err());
        assertEquals("", many.out(), "nothing pruned first");
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("out.tsnw.json")));
    }

    @Test
    void theRecoveryBudgetIsPrintedPlainlyWithItsUnitsInTheRightNumber() {
        assertEquals("recovery 0.0001 epochs (1 step) at lr 0.01", PruneCommand.recovery(1e-4, 1, 0.01));
        assertEquals("recovery 1 epoch (235 steps) at lr 0.00005", PruneCommand.recovery(1, 235, 5e-5));
        assertEquals("recovery 2.5 epochs (588 steps) at lr 0.02", PruneCommand.recovery(2.5, 588, 0.02));
    }
}
