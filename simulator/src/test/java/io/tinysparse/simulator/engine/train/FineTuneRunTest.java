package io.tinysparse.simulator.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import org.junit.jupiter.api.Test;

class FineTuneRunTest {
    private static final SparseUpdatePolicy DYNAMIC =
            Fixtures.scheme99kb(ChannelSelection.dynamic(SelectionStrategy.IMPORTANCE, 2));
    private static final TrainingConfig CONFIG =
            new TrainingConfig(30, 4, 0.05, 0.9, 1e-4, 3, 10, 16, 11);

    @Test
    void aRunIsBitReproducibleForItsSeed() {
        Network pretrained = Fixtures.folded(1);
        Samples train = Fixtures.images(24, 4, 1.0, 2);
        Samples val = Fixtures.images(8, 4, 1.0, 3);
        FineTuneRun a = new FineTuneRun(pretrained, DYNAMIC, CONFIG);
        FineTuneRun b = new FineTuneRun(pretrained, DYNAMIC, CONFIG);
        FineTuneResult ra = a.run(train, val, val);
        FineTuneResult rb = b.run(train, val, val);
        assertEquals(a.network().parameterHash(), b.network().parameterHash());
        assertArrayEquals(ra.trainLoss(), rb.trainLoss(), 0f);
        assertEquals(ra.validationCurve(), rb.validationCurve());
        assertEquals(ra.testAccuracy(), rb.testAccuracy());
        assertEquals(ra.coverage(), rb.coverage());
        assertNotEquals(pretrained.parameterHash(), a.network().parameterHash(), "it trained a copy");

        FineTuneRun other = new FineTuneRun(pretrained, DYNAMIC, CONFIG.withSeed(12));
        other.run(train, val, val);
        assertNotEquals(a.network().parameterHash(), other.network().parameterHash(), "another seed, another run");
    }

    @Test
    void cachedCutActivationsGiveTheSameRunAsImagesBitForBit() {
        Network pretrained = Fixtures.folded(4);
        Samples train = Fixtures.images(16, 4, 1.0, 5);
        Samples val = Fixtures.images(8, 4, 1.0, 6);
        FineTuneRun fromImages = new FineTuneRun(pretrained, DYNAMIC, CONFIG);
        FineTuneResult r1 = fromImages.run(train, val, val);
        FineTuneRun fromFeatures = new FineTuneRun(pretrained, DYNAMIC, CONFIG);
        Samples trainFeatures = fromFeatures.prefixFeatures(train);
        Samples valFeatures = fromFeatures.prefixFeatures(val);
        assertEquals(24, trainFeatures.layer());
        FineTuneResult r2 = fromFeatures.run(trainFeatures, valFeatures, valFeatures);
        assertEquals(fromImages.network().parameterHash(), fromFeatures.network().parameterHash());
        assertArrayEquals(r1.trainLoss(), r2.trainLoss(), 0f);
        assertEquals(r1.testAccuracy(), r2.testAccuracy());
    }

    @Test
    void fineTuningLearnsASeparableTaskAndReportsItsMetrics() {
        Network pretrained = Fixtures.folded(7);
        Samples train = Fixtures.images(64, 4, 0.5, 8);
        Samples val = Fixtures.images(32, 4, 0.5, 9);
        Samples test = Fixtures.images(32, 4, 0.5, 10);
        FineTuneRun run = new FineTuneRun(pretrained, DYNAMIC, new TrainingConfig(80, 8, 0.01, 0.9, 0, 5, 20, 32, 1));
        double before = run.accuracy(test);
        FineTuneResult r = run.run(run.prefixFeatures(train), run.prefixFeatures(val), run.prefixFeatures(test));
        assertTrue(r.testAccuracy() >= 0.75 && r.testAccuracy() > before + 0.25,
                "accuracy " + before + " -> " + r.testAccuracy());
        assertEquals(r.finalValidationAccuracy(), run.accuracy(val), "the curve ends with the final network");
        assertEquals(r.testAccuracy(), run.accuracy(test), "images and cut features evaluate the same");
        assertEquals(4, r.validationCurve().size());
        assertEquals(80, r.validationCurve().get(3).iteration());
        assertEquals(80, r.iterations());
        assertTrue(r.trainLoss()[79] < r.trainLoss()[0], "loss decreased");
        assertTrue(r.coverage() > 0.5 && r.coverage() <= 1, "importance sampling visits most channels");
        double perIteration = r.updatedWeightFraction()[0];
        assertTrue(perIteration > 0 && perIteration < 0.5);
        assertEquals(24, r.cutLayer());
        assertTrue(r.stepCost().totalMacs() > r.stepCost().forwardMacs());
    }

    @Test
    void densePretrainingOfAnUnfoldedNetworkLearnsWithBatchNormStatistics() {
        Network fresh = Network.initialize(Fixtures.SPEC, 3);
        Samples train = Fixtures.images(64, 4, 0.5, 8);
        Samples test = Fixtures.images(32, 4, 0.5, 10);
        FineTuneRun pretrain = new FineTuneRun(fresh, SparseTrainer.densePolicy(fresh.layers()),
                new TrainingConfig(60, 8, 0.05, 0.9, 1e-4, 5, 0, 32, 2));
        assertEquals(0, pretrain.cutLayer());
        FineTuneResult r = pretrain.run(train, test, test);
        assertTrue(r.testAccuracy() >= 0.5, "accuracy " + r.testAccuracy() + " (chance 0.25)");
        assertEquals(1.0, r.coverage());
        Network trained = pretrain.network();
        assertTrue(!trained.isFolded() && trained.batchNorm(3).runningVar()[0] != 1f, "running statistics tracked");
        assertEquals(r.testAccuracy(), new FineTuneRun(trained.fold(), DYNAMIC, CONFIG).accuracy(test), 1e-9,
                "folding keeps the predictions");
    }

    @Test
    void labelsOutsideTheClassifierAndBatchesLargerThanTheDataAreRejected() {
        Network pretrained = Fixtures.folded(1);
        Samples train = Fixtures.images(8, 4, 1, 2);
        Samples bad = new Samples(train.values(), new int[] {0, 1, 2, 3, 4, 0, 1, 2}, 3, 32, 32, 0);
        assertThrows(InvalidInputException.class, () -> new FineTuneRun(pretrained, DYNAMIC, CONFIG).run(bad, train, train));
        Samples tiny = Fixtures.images(2, 4, 1, 2);
        assertThrows(InvalidInputException.class, () -> new FineTuneRun(pretrained, DYNAMIC, CONFIG).run(tiny, tiny, tiny));
    }
}
