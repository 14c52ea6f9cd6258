package io.tinysparse.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.cache.FeatureCache;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.image.ImageShape;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.train.Samples;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunEvaluatorTest {
    static final ModelSpec MODEL = new ModelSpec(0.35, 32, 4, false, 1);
    static final DataSpec DATA = new DataSpec("synthetic", 64, 16, 32, 3);

    @TempDir
    Path dir;

    /** 4 classes of 12x12 grey images: a bright square in one of the four quadrants, plus noise. */
    static ImageDataset quadrants(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] px = new byte[n * 144];
        short[] labels = new short[n];
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            labels[i] = (short) c;
            for (int y = 0; y < 12; y++) {
                for (int x = 0; x < 12; x++) {
                    boolean on = (y < 6) == (c < 2) && (x < 6) == (c % 2 == 0);
                    px[i * 144 + y * 12 + x] = (byte) ((on ? 180 : 20) + r.nextInt(40));
                }
            }
        }
        return new ImageDataset("synthetic", new ImageShape(1, 12, 12), px, labels, 4, List.of("a", "b", "c", "d"));
    }

    static TaskData task() {
        return TaskData.of(quadrants(200, 1), quadrants(80, 2), DATA, MODEL);
    }

    static RunSpec spec(Network backbone, SparseUpdatePolicy policy, long seed) {
        return new RunSpec(MODEL, policy, backbone.parameterHash(), DATA,
                new TrainingBudget(60, 4, 0.05, 0, 5, 2), "generic-256kb", seed);
    }

    static SparseUpdatePolicy sparse(int convCount) {
        return SparseUpdatePolicy.of(6, List.of(WeightUpdate.ratio(convCount - 3, 0.5), WeightUpdate.full(convCount - 1)));
    }

    /**
     * Two runs of seed 4: one cutting the network early (it updates weights of the last layers
     * and 6 biases), one cutting it late (biases of the last 2 convs only).
     */
    static RunSpec[] earlyAndLateCut(Network backbone) {
        int n = backbone.layers().convCount();
        return new RunSpec[] {spec(backbone, sparse(n), 4), spec(backbone, SparseUpdatePolicy.of(2, List.of()), 4)};
    }

    @Test
    void aRunIsBitReproducibleAndReportsMemoryAndWork() throws Exception {
        Network backbone = Network.initialize(MODEL, 11).fold();
        RunEvaluator ev = new RunEvaluator(backbone, task(), new FeatureCache(dir));
        RunSpec s = spec(backbone, sparse(backbone.layers().convCount()), 5);
        RunResult a = ev.evaluate(s);
        RunResult b = ev.evaluate(s);
        assertEquals(a.testAccuracy(), b.testAccuracy());
        assertEquals(a.validationCurve(), b.validationCurve());
        assertEquals(a.coverage(), b.coverage());
        assertEquals(s.runId(), a.runId());
        assertEquals(2, a.validationCurve().size());
        assertTrue(a.arena().totalBytes() >= a.lin2022().totalBytes(), "arena is never below lin2022");
        assertTrue(a.trainMacs() > 0 && a.deviceTimeMs() > 0);
        assertTrue(a.coverage() > 0 && a.coverage() <= 1, "coverage " + a.coverage());
        assertEquals(262_144L, a.budgetBytes());
    }

    @Test
    void aRunWithMomentumCountsItsMomentumBuffersInTheArena() throws Exception {
        Network backbone = Network.initialize(MODEL, 11).fold();
        RunEvaluator ev = new RunEvaluator(backbone, task(), new FeatureCache(dir));
        SparseUpdatePolicy policy = sparse(backbone.layers().convCount());
        RunSpec plain = spec(backbone, policy, 5);
        TrainingBudget b = plain.budget();
        RunSpec withMomentum = new RunSpec(MODEL, policy, backbone.parameterHash(), DATA, new TrainingBudget(
                b.iterations(), b.batchSize(), b.learningRate(), 0.9, b.warmupIterations(), b.evaluations()),
                "generic-256kb", 5);
        long expected = new ArenaEstimator(backbone.layers(), ArenaConfig.DEFAULT.withMomentum(true)).report(policy)
                .totalBytes();
        assertEquals(expected, ev.evaluate(withMomentum).arena().totalBytes(), "as memory --momentum costs it");
        assertTrue(expected > ev.evaluate(plain).arena().totalBytes(), "more than plain SGD's step");
    }

    @Test
    void cutActivationsAreComputedOncePerCutAndReusedAcrossEvaluators() throws Exception {
        Network backbone = Network.initialize(MODEL, 11).fold();
        FeatureCache cache = new FeatureCache(dir);
        TaskData data = task();
        new RunEvaluator(backbone, data, cache).evaluate(spec(backbone, sparse(backbone.layers().convCount()), 1));
        assertEquals(3, cache.stats().computed(), "train, validation and test tensors at the cut");
        FeatureCache again = new FeatureCache(dir);
        RunResult r = new RunEvaluator(backbone, data, again)
                .evaluate(spec(backbone, sparse(backbone.layers().convCount()), 2));
        assertEquals(0, again.stats().computed());
        assertEquals(3, again.stats().hits());
        assertTrue(r.testAccuracy() >= 0);
    }

    @Test
    void cutsBeyondTheMemoryBoundAreDroppedAndReadBackFromDiskWithTheSameResult() throws Exception {
        Network backbone = Network.initialize(MODEL, 11).fold();
        RunSpec deep = earlyAndLateCut(backbone)[0];
        RunSpec shallow = earlyAndLateCut(backbone)[1];
        FeatureCache cache = new FeatureCache(dir);
        RunEvaluator bounded = new RunEvaluator(backbone, task(), cache, 0);
        RunResult first = bounded.evaluate(deep);
        bounded.evaluate(shallow);
        assertEquals(1, bounded.cachedCuts().size(), "only the most recently used cut is kept");
        assertEquals(6, cache.stats().computed(), "two cuts x (train, validation, test)");
        RunResult again = bounded.evaluate(deep);
        assertEquals(3, cache.stats().hits(), "the dropped cut came back from disk");
        assertEquals(first.testAccuracy(), again.testAccuracy());
        assertEquals(first.validationCurve(), again.validationCurve());

        RunEvaluator roomy = new RunEvaluator(backbone, task(), null, Long.MAX_VALUE);
        roomy.evaluate(deep);
        roomy.evaluate(shallow);
        assertEquals(2, roomy.cachedCuts().size());
        assertTrue(roomy.cachedCutBytes() > 0);
        assertEquals(first.testAccuracy(), roomy.evaluate(deep).testAccuracy());
    }

    @Test
    void aCutComputedFromAnEarlierCutEqualsOneComputedFromTheImagesBitForBit() throws Exception {
        Network backbone = Network.initialize(MODEL, 11).fold();
        RunSpec early = earlyAndLateCut(backbone)[0];
        RunSpec late = earlyAndLateCut(backbone)[1];
        RunEvaluator fromImages = new RunEvaluator(backbone, task(), null, Long.MAX_VALUE);
        RunResult alone = fromImages.evaluate(late);
        assertEquals(1, fromImages.cachedCuts().size());
        RunEvaluator chained = new RunEvaluator(backbone, task(), null, Long.MAX_VALUE);
        chained.evaluate(early);
        RunResult after = chained.evaluate(late);
        assertTrue(chained.cachedCuts().get(0) < chained.cachedCuts().get(1) || chained.cachedCuts().get(0)
                > chained.cachedCuts().get(1), "two distinct cuts held: " + chained.cachedCuts());
        assertEquals(alone.testAccuracy(), after.testAccuracy());
        assertEquals(alone.validationCurve(), after.validationCurve());
        assertEquals(alone.coverage(), after.coverage());

        // The same through the disk cache: the later cut's tensors written from the chained computation.
        FeatureCache cache = new FeatureCache(dir);
        RunEvaluator cachedChain = new RunEvaluator(backbone, task(), cache, Long.MAX_VALUE);
        cachedChain.evaluate(early);
        assertEquals(alone.validationCurve(), cachedChain.evaluate(late).validationCurve());
        assertEquals(alone.validationCurve(), new RunEvaluator(backbone, task(), new FeatureCache(dir), 0)
                .evaluate(late).validationCurve(), "read back from disk");
    }

    @Test
    void cachedAndUncachedRunsAgreeBitForBit() throws Exception {
        Network backbone = Network.initialize(MODEL, 11).fold();
        RunSpec s = spec(backbone, sparse(backbone.layers().convCount()), 9);
        RunResult cached = new RunEvaluator(backbone, task(), new FeatureCache(dir)).evaluate(s);
        RunResult plain = new RunEvaluator(backbone, task(), null).evaluate(s);
        assertEquals(plain.testAccuracy(), cached.testAccuracy());
        assertEquals(plain.validationCurve(), cached.validationCurve());
    }

    @Test
    void aSpecForAnotherBackboneIsRefused() throws Exception {
        Network backbone = Network.initialize(MODEL, 11).fold();
        RunEvaluator ev = new RunEvaluator(backbone, task(), null);
        RunSpec other = new RunSpec(MODEL, SparseUpdatePolicy.biasOnly(3), "not-this-one", DATA,
                new TrainingBudget(10, 1, 0.1, 0, 0, 1), "generic-256kb", 1);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ev.evaluate(other));
        assertTrue(e.getMessage().contains("not-this-one"), e.getMessage());
    }

    @Test
    void theLearningRateGridKeepsTheRateBestOnValidationAndNeverLooksAtTheTestLabels() throws Exception {
        Network backbone = Network.initialize(MODEL, 11).fold();
        TaskData task = task();
        SparseUpdatePolicy policy = sparse(backbone.layers().convCount());
        List<Double> rates = List.of(0.001, 0.05, 0.5);
        RunEvaluator ev = new RunEvaluator(backbone, task, null);
        RunResult best = null;
        List<Double> finals = new java.util.ArrayList<>();
        for (double rate : rates) {
            RunResult alone = ev.evaluate(new RunSpec(MODEL, policy, backbone.parameterHash(), DATA,
                    new TrainingBudget(60, 4, rate, 0, 5, 2), "generic-256kb", 5));
            double v = alone.validationCurve().get(1);
            finals.add(v);
            if (best == null || v > best.validationCurve().get(1)) {
                best = alone;
            }
        }
        assertTrue(finals.stream().distinct().count() > 1, "the rates must differ on validation: " + finals);
        TrainingBudget grid = new TrainingBudget(60, 4, rates.get(0), 0, 5, 2, rates.subList(1, 3), null, false);
        RunSpec spec = new RunSpec(MODEL, policy, backbone.parameterHash(), DATA, grid, "generic-256kb", 5);
        RunResult selected = ev.evaluate(spec);
        assertEquals(best.learningRate(), selected.learningRate());
        assertEquals(best.validationCurve(), selected.validationCurve());
        assertEquals(best.testAccuracy(), selected.testAccuracy());

        // Every test label moved to the next class: the selection must not change, the test accuracy must.
        Samples test = task.test();
        int[] wrong = new int[test.count()];
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = (test.labels()[i] + 1) % task.classes();
        }
        TaskData scrambled = new TaskData(task.spec(), task.transform(), task.train(), task.validation(),
                new Samples(test.values(), wrong, test.channels(), test.height(), test.width(), test.layer()),
                task.classes());
        RunResult blind = new RunEvaluator(backbone, scrambled, null).evaluate(spec);
        assertEquals(selected.learningRate(), blind.learningRate());
        assertEquals(selected.validationCurve(), blind.validationCurve());
        assertTrue(blind.testAccuracy() != selected.testAccuracy(), "the scrambled labels reached the test accuracy");
    }

    @Test
    void aGridNeedsValidationSamples() {
        DataSpec noValidation = new DataSpec("synthetic", 64, 0, 32, 3);
        Network backbone = Network.initialize(MODEL, 11).fold();
        RunEvaluator ev = new RunEvaluator(backbone, TaskData.of(quadrants(200, 1), quadrants(80, 2), noValidation, MODEL),
                null);
        RunSpec spec = new RunSpec(MODEL, SparseUpdatePolicy.biasOnly(3), backbone.parameterHash(), noValidation,
                new TrainingBudget(10, 4, 0.01, 0, 0, 1, List.of(0.1), null, false), "generic-256kb", 1);
        assertTrue(assertThrows(InvalidInputException.class, () -> ev.evaluate(spec)).getMessage()
                .contains("validation"));
    }

    @Test
    void anInt8RunIsBitReproducibleAndItsCutsAreNotTheFp32Ones() throws Exception {
        Network backbone = Network.initialize(MODEL, 11).fold();
        TaskData data = task();
        FeatureCache cache = new FeatureCache(dir);
        int[] loads = new int[1];
        RunEvaluator ev = new RunEvaluator(backbone, data, cache, Long.MAX_VALUE, calibration -> {
            loads[0]++;
            assertEquals(32, calibration.trainSamples());
            return TaskData.of(quadrants(200, 7), quadrants(80, 8), calibration, MODEL).train();
        });
        RunSpec fp32 = spec(backbone, sparse(backbone.layers().convCount()), 5);
        RunSpec int8 = fp32.withQuantization(new Quantization("int8", true, "synthetic", 32));
        RunResult f = ev.evaluate(fp32);
        RunResult a = ev.evaluate(int8);
        RunResult b = ev.evaluate(int8);
        RunResult plain = ev.evaluate(fp32.withQuantization(new Quantization("int8", false, "synthetic", 32)));
        assertEquals(1, loads[0], "calibrated once, whatever QAS does");
        assertEquals(6, cache.stats().computed(), "the fp32 and the int8 cut, three parts each");
        assertEquals(a.testAccuracy(), b.testAccuracy());
        assertEquals(a.validationCurve(), b.validationCurve());
        assertEquals(int8.runId(), a.runId());
        assertEquals(f.arena(), a.arena(), "the memory model already costs int8 tensors and trained weights");
        assertTrue(a.testAccuracy() >= 0 && plain.testAccuracy() >= 0);
    }

    @Test
    void anInt8SpecNeedsCalibrationImages() {
        Network backbone = Network.initialize(MODEL, 11).fold();
        RunEvaluator ev = new RunEvaluator(backbone, task(), null);
        RunSpec int8 = spec(backbone, sparse(backbone.layers().convCount()), 5)
                .withQuantization(Quantization.int8(true, "synthetic"));
        assertThrows(InvalidInputException.class, () -> ev.evaluate(int8));
    }
}
