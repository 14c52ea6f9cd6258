package io.tinysparse.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSpecTest {
    static RunSpec spec(long seed, int iterations) {
        return new RunSpec(ModelSpec.preset("mbv2-w0.35"),
                SparseUpdatePolicy.of(25, List.of(WeightUpdate.ratio(48, 0.5))),
                "backbone-abc", new DataSpec("mnist", 500, 100, 1000, 1),
                new TrainingBudget(iterations, 1, 0.05, 0, 10, 2), "generic-256kb", seed);
    }

    @Test
    void equalSpecsHaveEqualRunIdsAndAnyDifferenceChangesIt() {
        assertEquals(spec(1, 100).runId(), spec(1, 100).runId());
        assertEquals(32, spec(1, 100).runId().length());
        assertNotEquals(spec(1, 100).runId(), spec(2, 100).runId());
        assertNotEquals(spec(1, 100).runId(), spec(1, 101).runId());
    }

    @Test
    void jsonRoundTripKeepsTheRunId() {
        RunSpec s = spec(7, 300);
        RunSpec back = RunSpec.fromJson(s.toJson());
        assertEquals(s, back);
        assertEquals(s.runId(), back.runId());
    }

    @Test
    void aPolicyThatDoesNotFitTheModelIsRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new RunSpec(
                ModelSpec.preset("mbv2-w0.35"), SparseUpdatePolicy.of(2, List.of(WeightUpdate.ratio(27, 1))),
                "b", new DataSpec("mnist", 10, 0, 10, 1), new TrainingBudget(10, 1, 0.1, 0, 0, 1), "d", 1));
        assertTrue(e.getMessage().contains("27"), e.getMessage());
    }

    @Test
    void budgetScalingKeepsWarmupProportional() {
        TrainingBudget b = new TrainingBudget(100, 1, 0.1, 0, 10, 2).withIterations(300);
        assertEquals(300, b.iterations());
        assertEquals(30, b.warmupIterations());
    }

    @Test
    void engineCostGrowsWithTheStepsAndWithTheDepthOfTheUpdate() {
        long per100 = spec(1, 200).engineMacs() - spec(1, 100).engineMacs();
        assertEquals(per100, spec(1, 300).engineMacs() - spec(1, 200).engineMacs(), "linear in the steps");
        assertTrue(!spec(1, 100).toJson().contains("engine"), "a derived cost is not part of the run's identity");
        ModelSpec m = ModelSpec.preset("mbv2-w0.35");
        DataSpec d = new DataSpec("mnist", 500, 100, 1000, 1);
        TrainingBudget b = new TrainingBudget(100, 1, 0.05, 0, 10, 2);
        RunSpec classifierOnly = new RunSpec(m, SparseUpdatePolicy.of(0, List.of()), "b", d, b, "generic-256kb", 1);
        RunSpec shallow = new RunSpec(m, SparseUpdatePolicy.of(4, List.of()), "b", d, b, "generic-256kb", 1);
        RunSpec deep = new RunSpec(m, SparseUpdatePolicy.of(25, List.of(WeightUpdate.ratio(27, 1))), "b", d, b,
                "generic-256kb", 1);
        // Only the classifier runs: 100 steps of forward + weight gradient, then 2 x 100 + 1000 forwards.
        long fc = (long) m.layers().classifier().inFeatures() * m.layers().classifier().outFeatures();
        assertTrue(classifierOnly.engineMacs() >= 100 * 2 * fc + 1200 * fc, "at least forward and weight gradient");
        assertTrue(classifierOnly.engineMacs() < shallow.engineMacs());
        assertTrue(shallow.engineMacs() < deep.engineMacs());
    }
}
