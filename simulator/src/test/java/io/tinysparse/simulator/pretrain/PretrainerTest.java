package io.tinysparse.simulator.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PretrainerTest {
    static final ModelSpec TINY = new ModelSpec(0.35, 16, SyntheticImages.CLASSES, false, 1);

    static PretrainSpec tinySpec(long seed) {
        return new PretrainSpec(TINY, "quadrants", 240, 80, 4, 16, 0.05, 0.9, 0, 0.1, seed, 4);
    }

    @Test
    void pretrainingLowersTheLossAndBeatsChanceOnALearnableTask() {
        ImageDataset data = SyntheticImages.quadrants(400, 7);
        PretrainResult r = Pretrainer.run(tinySpec(1), data, Pretrainer.Progress.NONE);
        assertEquals(60, r.iterations());
        assertFalse(r.network().isFolded(), "pretraining keeps batch norm unfolded");
        double first = r.lossCurve().get(0).meanLoss();
        assertTrue(r.finalTrainLoss() < 0.7 * first, "loss " + first + " -> " + r.finalTrainLoss());
        assertTrue(r.heldOutAccuracy() > 0.6, "held-out accuracy " + r.heldOutAccuracy() + " (chance 0.25)");
    }

    @Test
    void pretrainingIsBitReproducibleForASeed() {
        ImageDataset data = SyntheticImages.quadrants(400, 7);
        PretrainSpec spec = new PretrainSpec(TINY, "quadrants", 64, 16, 1, 16, 0.05, 0.9, 1e-4, 0, 3, 4);
        PretrainResult a = Pretrainer.run(spec, data, Pretrainer.Progress.NONE);
        PretrainResult b = Pretrainer.run(spec, data, Pretrainer.Progress.NONE);
        assertEquals(a.network().parameterHash(), b.network().parameterHash());
        assertEquals(a.inputTransform(), b.inputTransform());
    }

    @Test
    void theBackboneIsBitIdenticalOnOneTwoAndThreeThreads() {
        ImageDataset data = SyntheticImages.quadrants(400, 7);
        PretrainSpec spec = new PretrainSpec(TINY, "quadrants", 96, 40, 1, 16, 0.05, 0.9, 1e-4, 0.1, 3, 4);
        PretrainResult one = Pretrainer.run(spec, data, 1, Pretrainer.Progress.NONE);
        for (int threads = 2; threads <= 3; threads++) {
            PretrainResult r = Pretrainer.run(spec, data, threads, Pretrainer.Progress.NONE);
            assertEquals(threads, r.threads());
            DataParallelTrainerTest.assertSameParameters(one.network(), r.network());
            assertEquals(one.lossCurve(), r.lossCurve());
            assertEquals(one.heldOutAccuracy(), r.heldOutAccuracy());
        }
    }

    @Test
    void aThreadCountBelowOneIsBadInputNamingIt() {
        ImageDataset data = SyntheticImages.quadrants(400, 7);
        for (int threads : new int[] {0, -1}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> Pretrainer.run(tinySpec(1), data, threads, Pretrainer.Progress.NONE));
            assertTrue(e.getMessage().contains("got " + threads), e.getMessage());
        }
    }

    @Test
    void aModelWhoseClassCountDiffersFromTheDatasetsIsRejected() {
        ImageDataset data = SyntheticImages.quadrants(400, 7);
        PretrainSpec spec = new PretrainSpec(TINY.withClasses(10), "quadrants", 64, 16, 1, 16, 0.05, 0.9, 0, 0, 3, 4);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Pretrainer.run(spec, data, Pretrainer.Progress.NONE));
        assertTrue(e.getMessage().contains("4 classes"), e.getMessage());
    }

    @Test
    void moreSamplesThanTheDatasetHoldsAreRejected() {
        ImageDataset data = SyntheticImages.quadrants(100, 7);
        PretrainSpec spec = new PretrainSpec(TINY, "quadrants", 90, 20, 1, 16, 0.05, 0.9, 0, 0, 3, 4);
        assertThrows(InvalidInputException.class, () -> Pretrainer.run(spec, data, Pretrainer.Progress.NONE));
    }

    /**
     * Pretraining works for every preset (smoke budget: 3 steps of 16 at 16 x 16), and the
     * backbone store keeps it under its spec's hash: a second request loads it instead of
     * training again.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mbv2-w0.35", "mbv2-w1.0", "mbv2-320kb", "mcunet-5fps", "proxyless-w0.3"})
    void everyPresetPretrainsAndIsStoredUnderItsSpecHash(String preset, @TempDir Path dir) throws IOException {
        ModelSpec model = ModelSpec.preset(preset).withResolution(16).withClasses(SyntheticImages.CLASSES);
        PretrainSpec spec = new PretrainSpec(model, "quadrants", 48, 16, 1, 16, 0.05, 0.9, 0, 0, 5, 4);
        ImageDataset data = SyntheticImages.quadrants(100, 7);
        BackboneCheckpoint first = new BackboneStore(dir, name -> data).getOrPretrain(spec);
        assertEquals(3, first.provenance().iterations());
        assertEquals(model, first.network().spec());
        BackboneStore reader = new BackboneStore(dir, name -> {
            throw new AssertionError("must not load data to retrain");
        });
        assertEquals(dir.resolve(spec.hash()).resolve("backbone.tsnw"), reader.networkFile(spec));
        BackboneCheckpoint again = reader.getOrPretrain(spec);
        assertEquals(first.network().parameterHash(), again.network().parameterHash());
    }
}
