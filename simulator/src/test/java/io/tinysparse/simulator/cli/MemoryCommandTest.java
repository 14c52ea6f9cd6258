package io.tinysparse.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.SelectionStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryCommandTest {
    private static final String SCHEME_99KB = "27:1,30:1,33:1,36:1,39:1,42:0.125,45:0.5,48:1";

    private static CliRun run(String... args) {
        return CliRun.of(new MemoryCommand(), args);
    }

    @Test
    void jsonGivesTheLinFormulaTotalOfThe99kbScheme() throws Exception {
        CliRun r = run("--bias-layers", "25", "--weights", SCHEME_99KB, "--estimator", "lin2022", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("total_bytes").isIntegralNumber());
        assertEquals(101_792, j.get("total_bytes").longValue());
        assertEquals("lin2022", j.get("estimator").textValue());
        assertTrue(j.get("feasible").booleanValue());
        long sum = 0;
        for (JsonNode e : j.get("breakdown")) {
            assertTrue(e.has("layer") && e.has("kind") && e.has("bytes"), e.toString());
            sum += e.get("bytes").longValue();
        }
        assertEquals(101_792, sum);
        assertEquals(16_648_032, j.get("work").get("forward_macs").longValue());
    }

    @Test
    void policyFileInTinyTrainingFormGivesTheSameAnswerAsFlags(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scheme.json");
        Files.writeString(file, "{\"n_bias_update\": 25, \"manual_weight_idx\": \"27-30-33-36-39-42-45-48\","
                + " \"weight_update_ratio\": \"1-1-1-1-1-0.125-0.5-1\", \"weight_select_criteria\": \"magnitude+\"}");
        CliRun fromFile = run("--policy", file.toString(), "--json");
        CliRun fromFlags = run("--bias-layers", "25", "--weights", SCHEME_99KB, "--json");
        assertEquals(0, fromFile.code(), fromFile.err());
        assertEquals(fromFlags.out(), fromFile.out());
        assertEquals("arena", new ObjectMapper().readTree(fromFile.out()).get("estimator").textValue());
    }

    @Test
    void theReadmesExamplePolicyFileIsThe99kbScheme() throws Exception {
        Path example = Path.of("..", "examples", "99kb.json"); // the repository's, as the README uses it
        assertTrue(Files.isRegularFile(example), "examples/99kb.json is in the repository");
        CliRun fromFile = run("--policy", example.toString(), "--estimator", "lin2022", "--json");
        assertEquals(0, fromFile.code(), fromFile.err());
        assertEquals(101_792, new ObjectMapper().readTree(fromFile.out()).get("total_bytes").longValue());
        assertEquals(run("--bias-layers", "25", "--weights", SCHEME_99KB, "--json").out(),
                run("--policy", example.toString(), "--json").out());
    }

    @Test
    void tableNamesPeakDeviceAndFeasibility() {
        CliRun r = run("--bias-layers", "25", "--weights", SCHEME_99KB, "--device", "stm32f746");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("peak SRAM  202,744 bytes"), r.out());
        assertTrue(r.out().contains("backward conv 48"), r.out());
        assertTrue(r.out().contains("feasible   yes"), r.out());
        assertTrue(r.out().contains("stm32f746: 327,680 bytes SRAM"), r.out());
    }

    @Test
    void anInfeasibleStepSaysNo() {
        CliRun r = run("--bias-layers", "51", "--weights", "3:1", "--no-fuse-frozen-blocks");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("feasible   NO"), r.out());
    }

    @Test
    void badValuesExitTwoWithOneLineNamingTheValue() {
        assertBad("weight layer 20 is outside the bias-updated range [26, 51) of bias_layers 25",
                "--bias-layers", "25", "--weights", "20:1");
        assertBad("unknown estimator 'pytorch' (known: lin2022, arena)", "--bias-layers", "3", "--estimator", "pytorch");
        assertBad("unknown model 'resnet' (known: mbv2-320kb, mbv2-w0.35, mbv2-w1.0, mcunet-5fps, proxyless-w0.3; or a network config JSON file)", "--model", "resnet", "--bias-layers", "3");
        // A bad device is rejected as it is parsed, like a malformed flag: the reason, then where to find help.
        CliRun device = run("--bias-layers", "3", "--device", "esp32");
        assertEquals(CommandRunner.BAD_INPUT, device.code());
        assertEquals("tinysparse: error: unknown device 'esp32' (known: generic-256kb, stm32f746, stm32h743, nrf52840)",
                device.err().lines().findFirst().orElse(""));
        assertBad("give a policy: --policy FILE or --bias-layers N [--weights ...]");
        assertBad("ratio of weight layer 50 must be in (0, 1], got 0.0", "--bias-layers", "3", "--weights", "50:0");
        assertBad("weight entry '50' must be layer:ratio or layer:channels", "--bias-layers", "3", "--weights", "50");
        assertBad("precision of relu-mask must be 1, 2, 4, 8, 16, 32 or 64 bits, got 3",
                "--bias-layers", "3", "--precision", "relu-mask=3");
        assertBad("--resolution 0 must be in [1, 4096]", "--bias-layers", "3", "--resolution", "0");
        assertBad("policy file /nonexistent/p.json does not exist", "--policy", "/nonexistent/p.json");
        assertBad("temperature 2.0 applies only to strategy importance, not cyclic",
                "--bias-layers", "3", "--selection", "cyclic", "--temperature", "2");
        assertEquals(CommandRunner.BAD_INPUT, CommandRunner.execute(new MemoryCommand(), "--bias-layers", "many"));
        assertEquals(CommandRunner.BAD_INPUT, run("--classes", "0").code());
        assertTrue(run("--classes", "0").err().contains("--classes 0"), "names the option, not the spec's field");
        assertTrue(run("--resolution", "-3").err().contains("--resolution -3"));
    }

    @Test
    void aPrecisionThatIsNotKindEqualsBitsSaysWhereArithmeticPrecisionIsSet() {
        CliRun r = run("--bias-layers", "3", "--precision", "int8");
        assertEquals(CommandRunner.BAD_INPUT, r.code(), r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("'int8' must be kind=bits") && r.err().contains("buffer bit widths")
                && r.err().contains("trainable-weights=8") && r.err().contains("run's or search's --precision"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aModelThatIsNotTheBackboneFilesNetworkIsBadInput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("b.tsnw");
        Network.initialize(ModelSpec.named("mbv2-w0.35").withResolution(32), 1).save(file);
        assertBad("backbone file " + file + " holds network mbv2-w0.35-nomix, not mcunet-5fps that --model names",
                "--backbone", file.toString(), "--model", "mcunet-5fps", "--bias-layers", "3");
        CliRun same = run("--backbone", file.toString(), "--model", "mbv2-w0.35", "--bias-layers", "3", "--json");
        assertEquals(0, same.code(), same.err());
        CliRun fileOnly = run("--backbone", file.toString(), "--bias-layers", "3", "--json");
        assertEquals(0, fileOnly.code(), fileOnly.err());
        assertEquals(same.out(), fileOnly.out());
    }

    private static void assertBad(String message, String... args) {
        CliRun r = run(args);
        assertEquals(CommandRunner.BAD_INPUT, r.code(), r.out());
        assertEquals("tinysparse: error: " + message, r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void exitCodeIsZeroThroughCommandRunner() {
        assertEquals(CommandRunner.OK, CommandRunner.execute(new MemoryCommand(), "--bias-layers", "3", "--json"));
    }

    @Test
    void helpPrintsEveryDefault() {
        CliRun r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().replaceAll("\\s+", " ").contains("(default: mbv2-w0.35)"), r.out());
        assertTrue(r.out().contains("(default: arena)"), r.out());
        assertTrue(r.out().contains("(default: generic-256kb)"), r.out());
    }

    @Test
    void helpListsEveryRegisteredSelectionStrategy() {
        CliRun r = run("--help");
        assertEquals(0, r.code());
        String names = Arrays.stream(SelectionStrategy.values()).map(SelectionStrategy::jsonName)
                .collect(Collectors.joining(", "));
        assertTrue(r.out().replaceAll("\\s+", " ").contains("Channel selection: " + names + " (default: magnitude)"),
                r.out());
    }
}
