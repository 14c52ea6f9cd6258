package io.tinysparse.dl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.cli.CommandRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerifyCommandTest {
    @TempDir
    Path dir;

    private int run(StringWriter out, String... args) {
        CommandLine cl = CommandRunner.commandLine(new VerifyCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    private Path policy(String json) throws IOException {
        Path file = dir.resolve("p.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void tinyTrainingPolicyPassesTheDl4jCheckAndPrintsTheWorstDifference() throws Exception {
        Path policy = policy("{\"n_bias_update\": 6, \"manual_weight_idx\": \"45-48\","
                + " \"weight_update_ratio\": \"0.25-1\", \"weight_select_criteria\": \"random\"}");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "--policy", policy.toString(), "--resolution", "32"), out.toString());
        assertTrue(out.toString().contains("worst relative difference"), out.toString());
        assertTrue(out.toString().contains("conv45.W"), out.toString());
    }

    @Test
    void tinyTrainingsHundredKbSchemeOnMcunetPassesTheDl4jCheck() throws Exception {
        Path policy = policy("{\"n_bias_update\": 22, \"manual_weight_idx\": \"21-24-27-30-36-39\","
                + " \"weight_update_ratio\": \"1-1-1-1-0.125-0.25\"}");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "--model", "mcunet-5fps", "--policy", policy.toString(), "--resolution", "48"),
                out.toString());
        assertTrue(out.toString().startsWith("model mcunet-5fps@48/10"), out.toString());
        assertTrue(out.toString().contains("30 gradient tensors compared"), out.toString());
    }

    @Test
    void anUnknownModelThatIsNoFileIsBadInput() throws Exception {
        Path policy = policy("{\"bias_layers\": 3, \"weights\": []}");
        assertEquals(2, run(new StringWriter(), "--model", dir.resolve("no-such-net.json").toString(), "--policy",
                policy.toString()));
    }

    @Test
    void aToleranceTheFloat32EngineCannotMeetFails() throws Exception {
        Path policy = policy("{\"bias_layers\": 3, \"weights\": []}");
        StringWriter out = new StringWriter();
        assertEquals(1, run(out, "--policy", policy.toString(), "--resolution", "32", "--tolerance", "1e-15"));
        assertTrue(out.toString().contains("FAILED"), out.toString());
    }

    @Test
    void missingPolicyFileIsBadInput() {
        assertEquals(2, run(new StringWriter(), "--policy", dir.resolve("none.json").toString()));
    }
}
