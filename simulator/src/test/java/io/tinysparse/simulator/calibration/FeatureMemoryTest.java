package io.tinysparse.simulator.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.engine.train.SparseTrainer;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.memory.BufferKind;
import io.tinysparse.simulator.memory.MemoryReport;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureMemoryTest {
    private static final LayerTable LAYERS = ModelSpec.preset("mbv2-w0.35").layers();

    /** Biases of the last k convolutions, classifier frozen: only masks are features. */
    private static SparseUpdatePolicy masksOnly(int k) {
        return new SparseUpdatePolicy(k, List.of(), ChannelSelection.DEFAULT, false);
    }

    @Test
    void aBiasOnlyPolicyKeepsItsMasksAndTheClassifierInputByHand() {
        // Last conv 336->112 at 4x4: mask 112*16 bits = 224 B; classifier input 112 B; both already 4-aligned.
        FeatureMemory f = FeatureMemory.of(LAYERS, SparseUpdatePolicy.biasOnly(1));
        assertEquals(224 + 112, f.lin2022Bytes());
        assertEquals(224 + 112, f.arenaBytes());
        FeatureMemory frozenHead = FeatureMemory.of(LAYERS, masksOnly(1));
        assertEquals(224, frozenHead.lin2022Bytes());
        assertEquals(224, frozenHead.arenaBytes());
    }

    @Test
    void theArenaFiguresAreWhatTheArenaEstimatorHoldsForBackward() {
        // The 99kb scheme's arena peak is in the backward pass of conv 48, its last weight layer:
        // every saved input is still live there, and every mask except those of convs 48-50.
        SparseUpdatePolicy kb99 = SparseUpdatePolicy.of(25, List.of(WeightUpdate.full(27), WeightUpdate.full(30),
                WeightUpdate.full(33), WeightUpdate.full(36), WeightUpdate.full(39), WeightUpdate.ratio(42, 0.125),
                WeightUpdate.ratio(45, 0.5), WeightUpdate.full(48)));
        MemoryReport r = new ArenaEstimator(LAYERS, ArenaConfig.DEFAULT).report(kb99);
        assertEquals(48, r.peak().layer());
        long masksFreed = 0;
        for (int i = 48; i < 51; i++) {
            masksFreed += FeatureMemory.of(LAYERS, masksOnly(51 - i)).arenaBytes()
                    - FeatureMemory.of(LAYERS, masksOnly(50 - i)).arenaBytes();
        }
        long atPeak = r.byKind().get(BufferKind.SAVED_INPUT) + r.byKind().get(BufferKind.RELU_MASK);
        // The pooled classifier input (112 B) is freed before the convolutions' backward.
        assertEquals(atPeak + masksFreed + 112, FeatureMemory.of(LAYERS, kb99).arenaBytes());
    }

    @Test
    void theSeedPolicyKeepsAboutTwoPercentOfTheFeaturesDenseTrainingKeeps() {
        FeatureMemory dense = FeatureMemory.of(LAYERS, SparseTrainer.densePolicy(LAYERS));
        FeatureMemory seed = FeatureMemory.of(LAYERS, ReferencePolicy.seedClaims(LAYERS).get(0).policy());
        double[] reduction = seed.reductionAgainst(dense);
        assertTrue(reduction[0] > 0.95 && reduction[1] > 0.95, reduction[0] + " " + reduction[1]);
        assertTrue(dense.arenaBytes() >= dense.lin2022Bytes(), "the arena only rounds up");
        assertEquals(1 - (double) seed.lin2022Bytes() / dense.lin2022Bytes(), reduction[0], 1e-15);
    }
}
