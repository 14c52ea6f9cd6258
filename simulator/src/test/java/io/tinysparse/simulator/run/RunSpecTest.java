package io.tinysparse.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.engine.Network;
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

    @Test
    void aSpecCarryingItsDeviceProfileIsAnotherRunWhenTheProfileChanges() {
        RunSpec named = spec(1, 100);
        DeviceProfile preset = DeviceProfile.preset(named.device());
        RunSpec carried = RunSpec.onDevice(named.model(), named.policy(), named.backboneHash(), named.data(),
                named.budget(), preset, named.seed());
        RunSpec overridden = RunSpec.onDevice(named.model(), named.policy(), named.backboneHash(), named.data(),
                named.budget(), preset.withCycles("conv.forward=1.5"), named.seed());
        assertFalse(named.toCanonicalJson().contains("device_profile"), "specs naming a preset keep their JSON");
        assertNotEquals(named.runId(), carried.runId());
        assertNotEquals(carried.runId(), overridden.runId(), "a cycle-cost override is another run");
        assertEquals(carried, RunSpec.fromJson(carried.toJson()));
        assertEquals(overridden.runId(), RunSpec.fromJson(overridden.toJson()).runId());
        assertEquals(preset.withCycles("conv.forward=1.5").cyclesPerMac(), RunSpec.fromJson(overridden.toJson())
                .profile().cyclesPerMac());
        assertEquals(preset, named.profile());
        assertThrows(InvalidInputException.class, () -> new RunSpec(named.model(), named.policy(),
                named.backboneHash(), named.data(), named.budget(), "stm32f746", 1, carried.deviceProfile()));
    }

    @Test
    void anFp32SpecHasNoQuantizationEntryAndAnInt8OneIsAnotherRun() {
        RunSpec fp32 = RunSpec.fromJson(RunEvaluatorTest.spec(Network.initialize(
                RunEvaluatorTest.MODEL, 1).fold(), SparseUpdatePolicy.biasOnly(2), 3).toJson());
        assertFalse(fp32.toCanonicalJson().contains("quantization"),
                fp32.toCanonicalJson());
        RunSpec int8 = fp32.withQuantization(Quantization.int8(true, "fashion-mnist"));
        RunSpec plain = fp32.withQuantization(Quantization.int8(false, "fashion-mnist"));
        assertNotEquals(fp32.runId(), int8.runId());
        assertNotEquals(plain.runId(), int8.runId());
        assertEquals(int8, RunSpec.fromJson(int8.toJson()));
        assertEquals(fp32, int8.withQuantization(null));
        assertEquals(fp32.runId(), int8.withQuantization(null).runId());
        assertTrue(int8.toCanonicalJson().contains(
                "\"quantization\":{\"calibration_dataset\":\"fashion-mnist\",\"calibration_samples\":256,"
                        + "\"precision\":\"int8\",\"qas\":true}"), int8.toCanonicalJson());
    }
}
