package io.tinysparse.search.cli;

import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.search.space.PolicySpaceJson;
import io.tinysparse.simulator.memory.Lin2022Estimator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpaceCommandTest {
    private static final String SMALL = """
            {"model": "mbv2-w0.35", "bias_depth": [0, 6, 10, 25],
             "weight_layers": [41, 42, 44, 45, 47, 48, 50], "selection": ["magnitude", "random"]}""";

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CommandRunner.commandLine(new SpaceCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void countsFeasiblePoliciesExactlyWhenTheSpaceIsSmall(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("space.json");
        Files.writeString(file, SMALL);
        Run r = run("--space", file.toString(), "--estimator", "lin2022", "--budget-kib", "60");
        assertEquals(0, r.code(), r.err());
        PolicySpace space = PolicySpaceJson.parse(SMALL);
        MemoryBudget budget = new MemoryBudget(space, new Lin2022Estimator(space.table()), 60 * 1024);
        long[] feasible = new long[1];
        space.forEachValid(g -> feasible[0] += budget.isFeasible(g) ? 1 : 0);
        assertTrue(feasible[0] > 0 && feasible[0] < space.policyCount().longValueExact(), "budget must bind");
        assertTrue(r.out().contains(String.format("feasible      %,d of %s policies", feasible[0], space.policyCount())),
                r.out());
        assertTrue(r.out().contains("counted exactly"), r.out());
        assertTrue(r.out().contains("policies      " + space.policyCount()), r.out());
    }

    @Test
    void estimatesByUniformSamplingWhenTheSpaceIsLarge(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("space.json");
        Files.writeString(file, SMALL);
        Run r = run("--space", file.toString(), "--estimator", "lin2022", "--budget-kib", "60", "--exact-limit", "10",
                "--samples", "2000", "--seed", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("from 2,000 uniform samples (seed 4)"), r.out());
        assertTrue(r.out().contains("95 % interval"), r.out());
    }

    @Test
    void badInputExitsWithCode2AndOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("space.json");
        Files.writeString(file, SMALL.replace("\"random\"", "\"biggest\""));
        Run r = run("--space", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown channel selection strategy 'biggest'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals(2, run("--space", dir.resolve("missing.json").toString()).code());
        assertEquals(2, run().code(), "--space is required");
        Files.writeString(file, SMALL);
        Run badBudget = run("--space", file.toString(), "--budget-kib", "-3");
        assertEquals(2, badBudget.code());
        assertTrue(badBudget.err().contains("-3"), badBudget.err());
    }
}
