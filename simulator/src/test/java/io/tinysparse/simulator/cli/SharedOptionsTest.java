package io.tinysparse.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.TrainingBudget;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The mixins for the task, the training budget and the device: their defaults, rules and bad input. */
class SharedOptionsTest {
    @Command(name = "probe", mixinStandardHelpOptions = true)
    static final class Probe implements Callable<Integer> {
        @Option(names = "--seed", defaultValue = "9")
        long seed;

        @Mixin
        DataSpecOptions data;

        @Mixin
        TrainingBudgetOptions training;

        @Mixin
        DeviceOption device;

        @Override
        public Integer call() {
            data.dataSpec(seed);
            training.budget();
            return CommandRunner.OK;
        }
    }

    private static Probe parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p;
    }

    @Test
    void theDeclaredDefaultsGiveOneTaskAndOneBudget() {
        Probe p = parse();
        assertEquals(new DataSpec("mnist", 1000, 1000, 1000, 9), p.data.dataSpec(p.seed));
        assertEquals(new TrainingBudget(600, 1, 0.05, 0, 30, 2), p.training.budget());
        assertEquals(DeviceProfile.DEFAULT, p.device.name());
        assertEquals(DeviceProfile.preset(DeviceProfile.DEFAULT), p.device.profile());
    }

    @Test
    void theSubsetSeedIsTheCommandsSeedUnlessGiven() {
        assertEquals(9, parse().data.dataSpec(9).subsetSeed());
        assertEquals(4, parse("--subset-seed", "4").data.dataSpec(9).subsetSeed());
    }

    @Test
    void theDefaultWarmupIsFivePercentOfTheStepsRoundedDownUnlessGiven() {
        for (int i = 1; i <= 2000; i++) {
            assertEquals(i / 20, TrainingBudget.defaultWarmup(i), "iterations " + i);
        }
        Probe p = parse("--iterations", "100");
        assertEquals(5, p.training.budget().warmupIterations());
        assertEquals(50, p.training.budget(1000, 4, 0.9).warmupIterations(), "follows the steps actually trained");
        assertEquals(new TrainingBudget(1000, 4, 0.05, 0.9, 7, 2), parse("--warmup", "7").training.budget(1000, 4, 0.9));
    }

    @Test
    void anUnknownDeviceIsBadInputNamingItBeforeTheCommandRuns() {
        CliRun r = CliRun.of(new Probe(), "--device", "esp32");
        assertEquals(CommandRunner.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("tinysparse: error: unknown device 'esp32' (known: "
                + DeviceProfile.presetNames() + ")"), r.err());
        assertEquals(CommandRunner.BAD_INPUT, CliRun.of(new MemoryCommand(), "--bias-layers", "4", "--device", "esp32")
                .code());
    }

    @Test
    void cycleCostOverridesApplyToTheDeviceWhateverTheirOrderAndABadOneIsBadInput() {
        DeviceProfile expected = DeviceProfile.preset("stm32f746").withCycles("pointwise.backward=2.0");
        assertEquals(expected, parse("--cycles", "pointwise.backward=2.0", "--device", "stm32f746").device.profile());
        assertEquals(expected, parse("--device", "stm32f746", "--cycles", "pointwise.backward=2.0").device.profile());
        CliRun r = CliRun.of(new Probe(), "--cycles", "warp.forward=1");
        assertEquals(CommandRunner.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("tinysparse: error: unknown op kind 'warp'"), r.err());
    }

    @Test
    void helpPrintsEveryDefaultAndTheDevicePresets() {
        String help = CliRun.of(new Probe(), "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("Training samples per run, stratified (default: 1000)"), help);
        assertTrue(help.contains("never decided on (default: 1000)"), help);
        assertTrue(help.contains("(default: 5 % of the steps, rounded down)"), help);
        assertTrue(help.contains(DeviceProfile.presetNames()), help);
    }

    @Test
    void runRejectsIterationsAndEpochsTogether() {
        CliRun r = CliRun.of(new RunCommand(), "--policy", "p.json", "--backbone", "b.tsnw", "--iterations", "5",
                "--epochs", "1");
        assertEquals(CommandRunner.BAD_INPUT, r.code());
        assertTrue(r.err().contains("give --iterations or --epochs, not both"), r.err());
    }

    @Test
    void runWithoutBackboneChecksItsPolicyAgainstTheDefaultBackbonesModelBeforeAnyPretraining() throws Exception {
        CliRun missing = CliRun.of(new RunCommand(), "--policy", "no-such-policy.yaml");
        assertEquals(CommandRunner.BAD_INPUT, missing.code(), missing.err());
        assertEquals("tinysparse: error: policy file no-such-policy.yaml does not exist", missing.err().strip());
        java.nio.file.Path bad = java.nio.file.Files.createTempFile("policy", ".yaml");
        try {
            java.nio.file.Files.writeString(bad, "backward_config:\n  n_bias_update: 60\n");
            CliRun tooDeep = CliRun.of(new RunCommand(), "--policy", bad.toString());
            assertEquals(CommandRunner.BAD_INPUT, tooDeep.code(), tooDeep.err());
            assertTrue(tooDeep.err().contains("bias_layers 60 exceeds the 51 convolutions"), tooDeep.err());
            assertFalse(tooDeep.err().contains("pretraining"), tooDeep.err());
        } finally {
            java.nio.file.Files.delete(bad);
        }
    }

    @Test
    void runWithAModelChecksItsPolicyAgainstThatNetworkBeforeAnyPretraining() throws Exception {
        java.nio.file.Path policy = java.nio.file.Files.createTempFile("policy", ".yaml");
        try {
            // conv 45 exists in mbv2-w0.35 (51 convs), not in mcunet-5fps (42)
            java.nio.file.Files.writeString(policy, "backward_config:\n  n_bias_update: 10\n  manual_weight_idx: 45\n"
                    + "  weight_update_ratio: 1\n");
            CliRun r = CliRun.of(new RunCommand(), "--policy", policy.toString(), "--model", "mcunet-5fps");
            assertEquals(CommandRunner.BAD_INPUT, r.code(), r.err());
            assertTrue(r.err().contains("45"), r.err());
            assertFalse(r.err().contains("pretraining"), r.err());
            CliRun unknown = CliRun.of(new RunCommand(), "--policy", policy.toString(), "--model", "mcunet-9fps");
            assertEquals(CommandRunner.BAD_INPUT, unknown.code(), unknown.err());
            assertTrue(unknown.err().contains("unknown model 'mcunet-9fps'"), unknown.err());
        } finally {
            java.nio.file.Files.delete(policy);
        }
    }

    @Test
    void runRejectsEpochsThatAreNotAPositiveNumberAndABadBatchOrMomentum() {
        String[][] cases = {{"--epochs", "-1", "a finite number > 0"}, {"--epochs", "0", "a finite number > 0"},
            {"--epochs", "NaN", "a finite number > 0"}, {"--batch", "0", ">= 1"}, {"--momentum", "NaN", "in [0.0, 1.0)"},
            {"--momentum", "1", "in [0.0, 1.0)"}, {"--resolution", "0", ">= 1"}};
        for (String[] c : cases) {
            CliRun r = CliRun.of(new RunCommand(), "--policy", "p.json", "--backbone", "b.tsnw", c[0], c[1]);
            assertEquals(CommandRunner.BAD_INPUT, r.code(), String.join(" ", c));
            assertEquals("tinysparse: error: " + c[0] + " " + c[1] + " must be " + c[2], r.err().lines().findFirst()
                    .orElseThrow());
        }
    }

    @Test
    void everyNumericOptionOutsideItsRangeIsBadInputNamingOptionAndValueBeforeTheCommandRuns() {
        String[][] cases = {
            {"--iterations", "0", ">= 1"}, {"--iterations", "-1", ">= 1"}, {"--lr", "NaN", "a finite number > 0"},
            {"--lr", "-0.1", "a finite number > 0"}, {"--lr", "Infinity", "a finite number > 0"},
            {"--warmup", "-5", ">= 0"}, {"--evaluations", "0", ">= 1"}, {"--linear-probe", "-1", ">= 0"},
            {"--probe-l2", "NaN", "a finite number >= 0"}, {"--probe-l2", "-1", "a finite number >= 0"},
            {"--train-samples", "0", ">= 1"}, {"--val-samples", "-1", ">= 0"}, {"--test-samples", "0", ">= 1"}};
        for (String[] c : cases) {
            CliRun r = CliRun.of(new Probe(), c[0], c[1]);
            assertEquals(CommandRunner.BAD_INPUT, r.code(), String.join(" ", c));
            assertEquals("tinysparse: error: " + c[0] + " " + c[1] + " must be " + c[2], r.err().lines().findFirst()
                    .orElseThrow());
        }
    }

    @Test
    void aBadLearningRateInTheGridOrAWarmupAsLongAsTheRunIsBadInputNamingIt() {
        CliRun grid = CliRun.of(new Probe(), "--lr-grid", "0.1,NaN");
        assertEquals(CommandRunner.BAD_INPUT, grid.code());
        assertEquals("tinysparse: error: --lr-grid NaN must be a finite number > 0", grid.err().strip());
        CliRun warmup = CliRun.of(new Probe(), "--iterations", "100", "--warmup", "100");
        assertEquals(CommandRunner.BAD_INPUT, warmup.code());
        assertEquals("tinysparse: error: --warmup 100 must be less than the 100 training steps", warmup.err().strip());
    }
}
