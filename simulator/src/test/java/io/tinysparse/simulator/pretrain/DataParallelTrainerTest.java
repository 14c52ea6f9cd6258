package io.tinysparse.simulator.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.engine.BatchNormParameters;
import io.tinysparse.simulator.engine.GradientRequest;
import io.tinysparse.simulator.engine.GradientSink;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.train.SgdOptimizer;
import io.tinysparse.simulator.engine.train.SparseTrainer;
import io.tinysparse.simulator.engine.train.TrainingConfig;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DataParallelTrainerTest {
    private static final int BATCH = 12;

    /** Inputs and labels of step {@code step}'s batch: sample {@code n}'s values depend on (step, n) only. */
    private static final class Batches {
        final int inputSize;
        final int classes;

        Batches(Network net) {
            this.inputSize = new NetworkExecutor(net, 1).inputSize(0);
            this.classes = net.spec().numClasses();
        }

        void sample(long step, int n, float[] input, int offset, int[] labels, int labelOffset) {
            SplittableRandom r = new SplittableRandom(step * 1000 + n);
            for (int e = 0; e < inputSize; e++) {
                input[offset + e] = (float) r.nextGaussian();
            }
            labels[labelOffset] = r.nextInt(classes);
        }

        DataParallelTrainer.ShardLoader shardsOf(long step) {
            return (first, count, input, labels) -> {
                for (int k = 0; k < count; k++) {
                    sample(step, first + k, input, k * inputSize, labels, k);
                }
            };
        }
    }

    private static Network fresh() {
        return Network.initialize(PretrainerTest.TINY, 11);
    }

    @Test
    void oneShardOnOneThreadIsTheEnginesSingleExecutorDenseStepBitForBit() {
        Network engine = fresh();
        Network sharded = fresh();
        Batches data = new Batches(engine);
        TrainingConfig config = new TrainingConfig(3, BATCH, 0.05, 0.9, 1e-3, 0, 0, BATCH, 1);
        SparseTrainer trainer = new SparseTrainer(engine, SparseTrainer.densePolicy(engine.layers()), config, BATCH);
        SgdOptimizer optimizer = new SgdOptimizer(sharded, 0.9, 1e-3);
        int[] labels = new int[BATCH];
        try (DataParallelTrainer parallel = new DataParallelTrainer(sharded, BATCH, 1, 1)) {
            for (int t = 0; t < 3; t++) {
                double rate = 0.05 * (t + 1) / 3;
                data.shardsOf(t).load(0, BATCH, trainer.executor().input(0), labels);
                double engineLoss = trainer.step(t, 0, BATCH, labels, 0, rate);
                optimizer.setLearningRate(rate);
                double parallelLoss = parallel.step(data.shardsOf(t), optimizer);
                assertEquals(engineLoss, parallelLoss, 0.0, "loss of step " + t);
            }
        }
        assertSameParameters(engine, sharded);
    }

    @Test
    void theNetworkIsBitIdenticalOnOneTwoAndThreeThreads() {
        Network[] nets = new Network[3];
        for (int threads = 1; threads <= 3; threads++) {
            Network net = fresh();
            Batches data = new Batches(net);
            SgdOptimizer optimizer = new SgdOptimizer(net, 0.9, 1e-3);
            optimizer.setLearningRate(0.05);
            try (DataParallelTrainer parallel = new DataParallelTrainer(net, BATCH, 4, threads)) {
                assertEquals(threads, parallel.threads());
                for (int t = 0; t < 3; t++) {
                    parallel.step(data.shardsOf(t), optimizer);
                }
            }
            nets[threads - 1] = net;
        }
        assertTrue(!nets[0].parameterHash().equals(fresh().parameterHash()), "the steps changed the network");
        assertSameParameters(nets[0], nets[1]);
        assertSameParameters(nets[0], nets[2]);
    }

    @Test
    void theShardedGradientOfABatchIsTheWholeBatchGradientWithWholeBatchNormStatistics() {
        Network whole = fresh();
        Network sharded = fresh();
        Batches data = new Batches(whole);
        NetworkExecutor executor = new NetworkExecutor(whole, BATCH);
        int[] labels = new int[BATCH];
        data.shardsOf(0).load(0, BATCH, executor.input(0), labels);
        executor.forward(0, BATCH, true);
        double wholeLoss = executor.loss(labels, 0);
        Recorder expected = new Recorder(whole);
        executor.backward(GradientRequest.dense(whole.layers()), expected);

        Recorder actual = new Recorder(sharded);
        double shardedLoss;
        try (DataParallelTrainer parallel = new DataParallelTrainer(sharded, BATCH, 5, 2)) {
            shardedLoss = parallel.step(data.shardsOf(0), actual);
        }
        assertEquals(wholeLoss, shardedLoss, 1e-6 * wholeLoss);
        assertClose(expected.classifierWeights, actual.classifierWeights, "classifier weights");
        assertClose(expected.classifierBias, actual.classifierBias, "classifier bias");
        for (int i = 0; i < whole.convCount(); i++) {
            assertClose(expected.conv[i], actual.conv[i], "conv " + i + " weights");
            assertClose(expected.gamma[i], actual.gamma[i], "conv " + i + " batch-norm scale");
            assertClose(expected.beta[i], actual.beta[i], "conv " + i + " batch-norm shift");
            assertClose(whole.batchNorm(i).runningMean(), sharded.batchNorm(i).runningMean(), "running mean " + i);
            assertClose(whole.batchNorm(i).runningVar(), sharded.batchNorm(i).runningVar(), "running var " + i);
        }
    }

    @Test
    void impossibleShardAndThreadCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new DataParallelTrainer(fresh(), BATCH, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DataParallelTrainer(fresh(), BATCH, BATCH + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new DataParallelTrainer(fresh(), BATCH, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new DataParallelTrainer(fresh().fold(), BATCH, 2, 1));
        try (DataParallelTrainer t = new DataParallelTrainer(fresh(), BATCH, 3, 8)) {
            assertEquals(3, t.threads(), "no more threads than shards");
        }
    }

    /** Within float rounding of a sum in another order: 1e-4 of the tensor's largest magnitude. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        float scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + " is all zero: nothing compared");
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], actual[e], 1e-4f * scale, what + " [" + e + "]");
        }
    }

    static void assertSameParameters(Network a, Network b) {
        assertEquals(a.parameterHash(), b.parameterHash());
        assertArrayEquals(a.classifierWeights(), b.classifierWeights());
        for (int i = 0; i < a.convCount(); i++) {
            BatchNormParameters x = a.batchNorm(i);
            BatchNormParameters y = b.batchNorm(i);
            assertArrayEquals(a.weights(i), b.weights(i), "conv " + i);
            assertArrayEquals(x.gamma(), y.gamma(), "gamma " + i);
            assertArrayEquals(x.beta(), y.beta(), "beta " + i);
            assertArrayEquals(x.runningMean(), y.runningMean(), "running mean " + i);
            assertArrayEquals(x.runningVar(), y.runningVar(), "running var " + i);
        }
    }

    /** Keeps a copy of every gradient (the executor's own buffers are scratch). */
    private static final class Recorder implements GradientSink {
        final Network net;
        final float[][] conv;
        final float[][] gamma;
        final float[][] beta;
        float[] classifierWeights;
        float[] classifierBias;

        Recorder(Network net) {
            this.net = net;
            conv = new float[net.convCount()][];
            gamma = new float[net.convCount()][];
            beta = new float[net.convCount()][];
        }

        @Override
        public void convWeights(int layer, int[] channels, int count, float[] gradient) {
            for (int j = 0; j < count; j++) {
                assertEquals(j, channels[j], "dense requests list the channels in order");
            }
            conv[layer] = Arrays.copyOf(gradient, net.weights(layer).length);
        }

        @Override
        public void convBias(int layer, float[] gradient) {
            throw new AssertionError("no conv bias in an unfolded network");
        }

        @Override
        public void batchNorm(int layer, float[] gammaGradient, float[] betaGradient) {
            int channels = net.batchNorm(layer).channels();
            gamma[layer] = Arrays.copyOf(gammaGradient, channels);
            beta[layer] = Arrays.copyOf(betaGradient, channels);
        }

        @Override
        public void classifier(float[] weightGradient, float[] biasGradient) {
            classifierWeights = weightGradient.clone();
            classifierBias = biasGradient.clone();
        }
    }
}
