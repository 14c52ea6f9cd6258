package io.tinysparse.simulator.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.memory.Lin2022Estimator;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.TrainingWork;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedPoliciesTest {
    private static final LayerTable LAYERS = ModelSpec.preset("mbv2-w0.35").layers();
    private static final long DEVICE_SRAM = 262_144;

    private static SparseUpdatePolicy named(String name) {
        return ReferencePolicy.selectable(LAYERS).stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow()
                .policy();
    }

    @Test
    void bothSeedPoliciesValidateAndFit256KbByBothEstimators() {
        Lin2022Estimator lin = new Lin2022Estimator(LAYERS);
        ArenaEstimator arena = new ArenaEstimator(LAYERS, ArenaConfig.DEFAULT);
        for (String name : List.of("seed-dynamic", "seed-static")) {
            SparseUpdatePolicy p = named(name);
            p.validate(LAYERS);
            assertTrue(lin.peakBytes(p) <= DEVICE_SRAM, name + " lin2022 " + lin.peakBytes(p));
            assertTrue(arena.peakBytes(p) <= DEVICE_SRAM, name + " arena " + arena.peakBytes(p));
        }
        // The numbers the javadoc and EXPERIMENTS.md state.
        assertEquals(40_320, lin.peakBytes(named("seed-dynamic")));
        assertEquals(40_320, lin.peakBytes(named("seed-static")));
        assertEquals(217_672, arena.peakBytes(named("seed-dynamic")));
        assertEquals(140_344, arena.peakBytes(named("seed-static")));
    }

    @Test
    void theSeedPoliciesUpdateAboutTwoPercentOfTheConvWeightsPerIteration() {
        for (String name : List.of("seed-dynamic", "seed-static")) {
            TrainingWork w = TrainingWork.of(LAYERS, named(name));
            assertEquals(4_464, w.updatedConvWeights(), name);
            assertTrue(w.updatedWeightFraction() > 0.015 && w.updatedWeightFraction() < 0.025,
                    name + " " + w.updatedWeightFraction());
        }
        // The 99kb scheme they take their layers from updates ten times as much.
        assertTrue(TrainingWork.of(LAYERS, named("99kb-static")).updatedWeightFraction() > 0.2);
    }

    @Test
    void theTwoDifferOnlyInTheChannelSelection() {
        SparseUpdatePolicy dyn = named("seed-dynamic");
        SparseUpdatePolicy stat = named("seed-static");
        assertEquals(stat.weights(), dyn.weights());
        assertEquals(stat.biasLayers(), dyn.biasLayers());
        assertEquals(named("99kb-static").biasLayers(), stat.biasLayers());
        assertEquals(named("99kb-static").weights().stream().map(w -> w.layer()).toList(),
                stat.weights().stream().map(w -> w.layer()).toList());
        assertEquals(SelectionStrategy.DYNAMIC_RANDOM, dyn.selection().strategy());
        assertEquals(1, dyn.selection().refreshPeriod());
        assertEquals(SelectionStrategy.MAGNITUDE, stat.selection().strategy());
    }

    @Test
    void theSeedPoliciesAreSelectableButNotInTheReferenceSetTheRankCorrelationUses() {
        List<String> reference = ReferencePolicy.referenceSet(LAYERS).stream().map(ReferencePolicy::name).toList();
        assertEquals(10, reference.size());
        assertFalse(reference.contains("seed-dynamic") || reference.contains("seed-static"), reference.toString());
        List<String> selectable = ReferencePolicy.selectable(LAYERS).stream().map(ReferencePolicy::name).toList();
        assertTrue(selectable.containsAll(reference) && selectable.contains("seed-dynamic")
                && selectable.contains("seed-static"), selectable.toString());
    }
}
