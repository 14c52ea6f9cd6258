package io.tinysparse.simulator.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import org.junit.jupiter.api.Test;

class LinearProbeTest {
    private static final LinearProbe PROBE = new LinearProbe(200, 1e-4);
    private static final SparseUpdatePolicy SCHEME = Fixtures.scheme99kb(ChannelSelection.DEFAULT);

    /** A folded network with a fresh (random, uninformed) classifier for 4 classes. */
    private static Network start() {
        return Fixtures.folded(3).withNewClassifier(4, 17);
    }

    @Test
    void theProbeFitsTheClassifierOnTheFrozenFeaturesAndLowersTheTrainingLoss() {
        Samples train = Fixtures.images(64, 4, 1.0, 2);
        LinearProbe.Fit fit = PROBE.fit(start(), train, 16);
        assertTrue(fit.finalLoss() < 0.5 * fit.firstLoss(), "probe loss " + fit.finalLoss() + " vs fresh classifier "
                + fit.firstLoss());
    }

    @Test
    void aWarmStartedRunBeginsWithALowerTrainingLossThanAFreshClassifier() {
        Samples train = Fixtures.images(64, 4, 1.0, 2);
        Samples val = Fixtures.images(16, 4, 1.0, 3);
        // The classifier alone: what the warm start changes is where its training begins.
        SparseUpdatePolicy classifier = SparseUpdatePolicy.biasOnly(0);
        TrainingConfig plain = TrainingConfig.of(64, 1, 0.01, 5);
        FineTuneResult fresh = new FineTuneRun(start(), classifier, plain).run(train, val, val);
        FineTuneResult warm = new FineTuneRun(start(), classifier, plain.withLinearProbe(PROBE)).run(train, val, val);
        assertTrue(meanLoss(warm, 16) < 0.5 * meanLoss(fresh, 16), "first 16 steps: warm " + meanLoss(warm, 16)
                + ", fresh " + meanLoss(fresh, 16));
    }

    @Test
    void theProbeIsTheSameBitForBitWhereverTheSamplesEnter() {
        // The evaluator fits it once from the images and hands it to runs entering at any cut.
        Network net = start();
        Samples train = Fixtures.images(32, 4, 1.0, 4);
        Samples atCut = FrozenPrefix.features(net, train, 24, 8);
        LinearProbe.Fit fromImages = PROBE.fit(net, train, 16);
        LinearProbe.Fit fromCut = PROBE.fit(net, atCut, 5);
        assertArrayEquals(fromImages.weights(), fromCut.weights(), 0f);
        assertArrayEquals(fromImages.bias(), fromCut.bias(), 0f);
    }

    @Test
    void aRunStartedFromAGivenFitEqualsOneThatFitsItself() {
        Network net = start();
        Samples train = Fixtures.images(32, 4, 1.0, 4);
        Samples val = Fixtures.images(8, 4, 1.0, 5);
        TrainingConfig config = TrainingConfig.of(20, 2, 0.02, 9).withLinearProbe(PROBE);
        FineTuneRun itself = new FineTuneRun(net, SCHEME, config);
        itself.run(train, val, val);
        FineTuneRun given = new FineTuneRun(net, SCHEME, config).startFrom(PROBE.fit(net, train, 16));
        given.run(train, val, val);
        assertEquals(itself.network().parameterHash(), given.network().parameterHash());
        assertThrows(IllegalStateException.class,
                () -> new FineTuneRun(net, SCHEME, TrainingConfig.of(20, 2, 0.02, 9)).startFrom(PROBE.fit(net, train, 16)),
                "a run without a probe takes no fit");
    }

    @Test
    void badSettingsAreRejectedNamingTheValue() {
        assertTrue(assertThrows(InvalidInputException.class, () -> new LinearProbe(0, 0)).getMessage().contains("0"));
        assertTrue(assertThrows(InvalidInputException.class, () -> new LinearProbe(10, -1)).getMessage().contains("-1"));
    }

    private static double meanLoss(FineTuneResult r, int steps) {
        double s = 0;
        for (int i = 0; i < steps; i++) {
            s += r.trainLoss()[i];
        }
        return s / steps;
    }
}
