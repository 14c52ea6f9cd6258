package io.tinysparse.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.cli.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tinysparse memory} on the MBConv presets and on network config files. */
class MbConvMemoryCommandTest {

    private static CliRun run(String... args) {
        return CliRun.of(new MemoryCommand(), args);
    }

    @Test
    void mbv2320kbPrintsTheZoosMacsAndParameters() {
        CliRun r = run("--model", "mbv2-320kb", "--bias-layers", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("model      mbv2-w0.35-mix448@144/1000: 52 convs, 744,072 params (0.74 M; 0.75 M"
                + " counting batch norm's scale and shift as model zoos do), 23.50 M MACs forward"), r.out());
    }

    @Test
    void tinyTrainings100kbSchemeOnMcunet5fpsIsAbout100KbByTheLinFormula(@TempDir Path dir) throws Exception {
        Path scheme = dir.resolve("100kb.json");
        Files.writeString(scheme, "{\"n_bias_update\": 22, \"manual_weight_idx\": \"21-24-27-30-36-39\","
                + " \"weight_update_ratio\": \"1-1-1-1-0.125-0.25\", \"weight_select_criteria\": \"magnitude+\"}");
        CliRun r = run("--model", "mcunet-5fps", "--policy", scheme.toString(), "--estimator", "lin2022", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("mcunet-5fps@128/10", j.get("model").textValue());
        // tiny-training compiles this scheme as its "99kb" one (compilation/mcu_ir_gen.py, 128x128, 10 classes)
        assertEquals(102_240, j.get("total_bytes").longValue());
        assertEquals(99.8, j.get("total_kib").doubleValue(), 0.05);
    }

    @Test
    void aNetworkConfigFileIsAModel(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tiny.json");
        Files.writeString(config, io.tinysparse.simulator.model.MbConvConfigFileTest.config(8,
                new int[][] {{8, 8, 3, 1, 1, -1, 0}, {8, 16, 5, 2, 4, -1, 0}, {16, 16, 7, 1, 3, -1, 1}}, 0, 3, 32)
                .toString());
        CliRun r = run("--model", config.toString(), "--bias-layers", "4", "--weights", "6:0.5", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("tiny@32/3", new ObjectMapper().readTree(r.out()).get("model").textValue());
    }

    @Test
    void mobileNetV2OptionsOnAnMbConvModelAndBadConfigsExitTwo(@TempDir Path dir) throws Exception {
        assertBad("--width is a MobileNetV2 parameter; model 'mcunet-5fps' is an MBConv network whose config fixes it",
                "--model", "mcunet-5fps", "--width", "0.5", "--bias-layers", "3");
        assertBad("--feature-mix is a MobileNetV2 parameter; model 'proxyless-w0.3' is an MBConv network whose config"
                + " fixes it", "--model", "proxyless-w0.3", "--no-feature-mix", "--bias-layers", "3");
        Path config = dir.resolve("se.json");
        com.fasterxml.jackson.databind.node.ObjectNode c = io.tinysparse.simulator.model.MbConvConfigFileTest.config(
                16, io.tinysparse.simulator.model.MbConvConfigFileTest.MCUNET_5FPS, 0, 10, 96);
        ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("blocks").get(3).get("mobile_inverted_conv"))
                .put("use_se", true);
        Files.writeString(config, c.toString());
        assertBad("model config " + config + ": blocks[3].mobile_inverted_conv.use_se is true: squeeze-and-excitation"
                + " is not supported", "--model", config.toString(), "--bias-layers", "3");
    }

    @Test
    void aMobileNetV2FeatureMixOfItsOwnWidth() throws Exception {
        CliRun r = run("--model", "mbv2-w0.35", "--resolution", "144", "--classes", "1000", "--feature-mix-channels",
                "448", "--bias-layers", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("mbv2-w0.35-mix448@144/1000", j.get("model").textValue());
        assertEquals(23_499_152, j.get("work").get("forward_macs").longValue());
    }

    private static void assertBad(String message, String... args) {
        CliRun r = run(args);
        assertEquals(CommandRunner.BAD_INPUT, r.code(), r.out());
        assertEquals("tinysparse: error: " + message, r.err().strip());
        assertEquals("", r.out());
    }
}
