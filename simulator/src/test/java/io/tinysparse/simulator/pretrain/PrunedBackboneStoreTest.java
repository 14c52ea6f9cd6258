package io.tinysparse.simulator.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.prune.BackbonePruner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pruned backbone as the store keeps it: its own spec and address, its provenance, found again. */
class PrunedBackboneStoreTest {
    @TempDir
    Path dir;

    private final ImageDataset data = SyntheticImages.quadrants(200, 11);

    private static final PretrainSpec PARENT = new PretrainSpec(PretrainerTest.TINY, "quadrants", 64, 32, 2, 16, 0.05,
            0.9, 0, 0.1, 5, 4);

    private BackboneStore store() {
        return new BackboneStore(dir.resolve("backbones"), name -> data);
    }

    private static Pruning pruning(PruneCriterion criterion, double ratio) {
        return new Pruning(PARENT, ratio, criterion, criterion == PruneCriterion.TAYLOR ? 2 : 0, 0.5, 0.01);
    }

    @Test
    void prunedBackboneIsStoredUnderItsOwnSpecWithParentRatioCriterionAndRecoveryInItsProvenance()
            throws IOException {
        BackboneStore store = store();
        BackboneCheckpoint parent = store.getOrPretrain(PARENT);
        Pruning pruning = pruning(PruneCriterion.TAYLOR, 0.5);
        BackboneCheckpoint made = BackbonePruner.getOrMake(store, parent, pruning, 2, Pretrainer.Progress.NONE);
        PretrainSpec spec = made.provenance().spec();
        assertEquals(pruning, spec.pruning());
        assertEquals(pruning.model(), spec.model());
        assertEquals(made.network().spec(), spec.model());
        assertNotEquals(PARENT.hash(), spec.hash());
        assertTrue(Files.exists(store.networkFile(spec)));
        PruneOutcome outcome = made.provenance().pruneOutcome();
        assertEquals(parent.provenance().parameterHash(), outcome.parentParameterHash());
        assertEquals(parent.provenance().heldOutAccuracy(), outcome.parentHeldOutAccuracy());
        assertEquals(pruning.recoveryIterations(), made.provenance().iterations());
        ChannelGroups groups = ChannelGroups.of(PARENT.model().architecture());
        assertEquals(groups.groups().size(), outcome.keptChannels().size());
        for (ChannelGroups.Group g : groups.groups()) {
            assertEquals(g.kept(0.5), outcome.keptChannels().get(g.index()).size());
        }
        String json = Files.readString(BackboneCheckpoint.provenanceFile(store.networkFile(spec)));
        for (String key : List.of("\"pruning\"", "\"parent\"", "\"ratio\"", "\"criterion\" : \"taylor\"",
                "\"recovery_epochs\"", "\"recovery_learning_rate\"", "\"importance_batches\"", "\"prune_outcome\"",
                "\"held_out_accuracy_before_recovery\"", "\"mid_channels\"")) {
            assertTrue(json.contains(key), key + " in " + json);
        }
        BackboneCheckpoint back = BackboneCheckpoint.load(store.networkFile(spec));
        assertEquals(made.provenance(), back.provenance());
    }

    @Test
    void pruningTheSameParentWithTheSameSettingsTwiceFindsTheStoredBackbone() throws IOException {
        BackboneStore store = store();
        BackboneCheckpoint parent = store.getOrPretrain(PARENT);
        Pruning pruning = pruning(PruneCriterion.L2, 0.25);
        BackboneCheckpoint first = BackbonePruner.getOrMake(store, parent, pruning, 1, Pretrainer.Progress.NONE);
        BackboneCheckpoint again = store.getOrMake(PretrainSpec.pruned(pruning), () -> {
            throw new AssertionError("pruned again");
        });
        assertEquals(first.provenance(), again.provenance());
        // another setting is another backbone
        Pruning other = new Pruning(PARENT, 0.25, PruneCriterion.L2, 0, 0.5, 0.02);
        assertNotEquals(PretrainSpec.pruned(pruning).hash(), PretrainSpec.pruned(other).hash());
        assertTrue(store.find(PretrainSpec.pruned(other)).isEmpty());
    }

    @Test
    void pruningIsTheSameBitForBitOnAnyThreadCount() {
        BackboneCheckpoint parent = BackboneCheckpoint.of(PARENT, Pretrainer.run(PARENT, data, Pretrainer.Progress.NONE));
        Pruning pruning = pruning(PruneCriterion.TAYLOR, 0.25);
        String one = BackbonePruner.make(parent, pruning, data, 1, Pretrainer.Progress.NONE).provenance().parameterHash();
        String two = BackbonePruner.make(parent, pruning, data, 2, Pretrainer.Progress.NONE).provenance().parameterHash();
        assertEquals(one, two);
    }

    @Test
    void aSpecWithoutPruningKeepsItsJsonAndAddress() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        String json = mapper.writeValueAsString(PARENT);
        assertFalse(json.contains("pruning"), json);
        assertEquals(PARENT, mapper.readValue(json, PretrainSpec.class));
        assertFalse(PARENT.canonical().contains("prune"));
        PretrainSpec pruned = PretrainSpec.pruned(pruning(PruneCriterion.L2, 0.5));
        assertEquals(pruned, mapper.readValue(mapper.writeValueAsString(pruned), PretrainSpec.class));
        assertTrue(pruned.canonical().endsWith(pruning(PruneCriterion.L2, 0.5).canonical()));
    }

    @Test
    void aPruningWithoutBatchNormReestimationKeepsTheJsonAndAddressItHadBeforeTheField() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        // the default backbone pruned by 0.25 with prune's defaults, as stored before --bn-batches existed
        Pruning old = new Pruning(PretrainSpec.defaults(), 0.25, PruneCriterion.TAYLOR, 8, 1, 0.01);
        assertEquals(0, old.bnBatches());
        assertEquals("dff256e8f40dc22678c35ff076fa39e80dca8919c2ab09b1eb6b3965232c470e",
                PretrainSpec.pruned(old).hash());
        assertEquals(old, new Pruning(PretrainSpec.defaults(), 0.25, PruneCriterion.TAYLOR, 8, 1, 0.01, 0));
        String json = mapper.writeValueAsString(old);
        assertFalse(json.contains("bn_batches"), json);
        assertFalse(old.canonical().contains("bnBatches"), old.canonical());
        // JSON written before the field existed reads as no re-estimation
        assertEquals(old, mapper.readValue(json, Pruning.class));
        // re-estimating is another procedure: its own address, the field in the JSON, read back
        Pruning reestimated = new Pruning(PretrainSpec.defaults(), 0.25, PruneCriterion.TAYLOR, 8, 1, 0.01, 16);
        String withField = mapper.writeValueAsString(reestimated);
        assertTrue(withField.contains("\"bn_batches\":16"), withField);
        assertEquals(reestimated, mapper.readValue(withField, Pruning.class));
        assertTrue(reestimated.canonical().endsWith(";bnBatches=16"), reestimated.canonical());
        assertNotEquals(PretrainSpec.pruned(old).hash(), PretrainSpec.pruned(reestimated).hash());
        assertEquals(PretrainSpec.pruned(reestimated),
                mapper.readValue(mapper.writeValueAsString(PretrainSpec.pruned(reestimated)), PretrainSpec.class));
    }

    @Test
    void theReestimatedAccuracyIsInTheProvenanceOnlyWhenThePruningReestimated() throws IOException {
        BackboneStore store = store();
        BackboneCheckpoint parent = store.getOrPretrain(PARENT);
        Pruning plain = pruning(PruneCriterion.L2, 0.5);
        Pruning reestimated = new Pruning(PARENT, 0.5, PruneCriterion.L2, 0, 0.5, 0.01, 2);
        BackboneCheckpoint without = BackbonePruner.getOrMake(store, parent, plain, 1, Pretrainer.Progress.NONE);
        BackboneCheckpoint with = BackbonePruner.getOrMake(store, parent, reestimated, 1, Pretrainer.Progress.NONE);
        assertNull(without.provenance().pruneOutcome().bnReestimation());
        String plainJson = Files.readString(BackboneCheckpoint.provenanceFile(store.networkFile(
                PretrainSpec.pruned(plain))));
        assertFalse(plainJson.contains("bn_"), plainJson);
        PruneOutcome.BnReestimation bn = with.provenance().pruneOutcome().bnReestimation();
        assertNotNull(bn);
        assertTrue(bn.heldOutAccuracy() >= 0 && bn.heldOutAccuracy() <= 1 && bn.seconds() >= 0, bn.toString());
        String json = Files.readString(BackboneCheckpoint.provenanceFile(store.networkFile(
                PretrainSpec.pruned(reestimated))));
        assertTrue(json.contains("\"bn_reestimation\"") && json.contains("\"bn_batches\" : 2"), json);
        assertEquals(with.provenance(), BackboneCheckpoint.load(store.networkFile(PretrainSpec.pruned(reestimated)))
                .provenance());
        // the surgery and its measurement are the same with and without: re-estimation comes after them
        assertEquals(without.provenance().pruneOutcome().heldOutAccuracyBeforeRecovery(),
                with.provenance().pruneOutcome().heldOutAccuracyBeforeRecovery());
        assertEquals(without.provenance().pruneOutcome().keptChannels(),
                with.provenance().pruneOutcome().keptChannels());
        assertThrows(InvalidInputException.class, () -> new Pruning(PARENT, 0.5, PruneCriterion.L2, 0, 0.5, 0.01, -1));
    }

    @Test
    void badPruningSettingsAreBadInputNamingTheValue() {
        assertTrue(assertThrows(InvalidInputException.class, () -> pruning(PruneCriterion.L2, 1.0)).getMessage()
                .contains("1.0"));
        assertThrows(InvalidInputException.class, () -> pruning(PruneCriterion.L2, -0.25));
        // the narrowest group of the tiny network has 8 channels: 0.9 leaves it empty
        InvalidInputException empty = assertThrows(InvalidInputException.class,
                () -> PretrainSpec.pruned(pruning(PruneCriterion.L2, 0.9)));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        assertThrows(InvalidInputException.class, () -> new Pruning(PARENT, 0.5, PruneCriterion.L2, 0, 0, 0.01));
        assertThrows(InvalidInputException.class, () -> new Pruning(PARENT, 0.5, PruneCriterion.TAYLOR, 0, 1, 0.01));
        assertEquals("unknown prune criterion 'fisher' (known: l2, taylor)",
                assertThrows(InvalidInputException.class, () -> PruneCriterion.parse("fisher")).getMessage());
        // a spec claiming to be pruned with another model is refused
        Pruning p = pruning(PruneCriterion.L2, 0.5);
        assertThrows(InvalidInputException.class, () -> new PretrainSpec(PARENT.model(), "quadrants", 64, 32, 2, 16,
                0.05, 0.9, 0, 0.1, 5, 4, p));
        // and so is pretraining it from scratch
        assertThrows(IllegalArgumentException.class, () -> store().getOrPretrain(PretrainSpec.pruned(p)));
    }

    @Test
    void theNetworkToPruneMustBeTheParentsNetwork() {
        Network other = Network.initialize(PretrainerTest.TINY.withClasses(3), 1);
        assertThrows(InvalidInputException.class, () -> BackbonePruner.prune(other, pruning(PruneCriterion.L2, 0.5),
                Pretrainer.split(PARENT, data), 1));
    }
}
