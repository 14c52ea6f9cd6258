package io.tinysparse.simulator.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.engine.train.SgdOptimizer;
import io.tinysparse.simulator.pretrain.DataParallelTrainer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChannelImportanceTest {
    private static final ModelSpec SPEC = new ModelSpec(0.35, 16, 4, false, 1);
    private static final int BATCH = 4;

    private static DataParallelTrainer.ShardLoader randomImages(long seed) {
        return (first, count, input, labels) -> {
            SplittableRandom r = new SplittableRandom(seed + first);
            int size = 3 * SPEC.resolution() * SPEC.resolution();
            for (int i = 0; i < count * size; i++) {
                input[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < count; i++) {
                labels[i] = (first + i) % SPEC.numClasses();
            }
        };
    }

    private static double[][] taylor(Network net, ChannelGroups groups, int threads) {
        return ChannelImportance.taylor(net, groups, 2, BATCH, 2, threads, randomImages(5), b -> { });
    }

    @Test
    void l2KeepsTheChannelsWithTheLargestTiedWeightsAndDropsAZeroedOne() {
        Network net = PrunedOutputOracleTest.unfolded(SPEC, 1);
        ChannelGroups groups = ChannelGroups.of(SPEC.architecture());
        ChannelGroups.Group mid = groups.outputOf(3); // expansion of block 1
        int[][] none = new int[groups.groups().size()][];
        for (ChannelGroups.Group g : groups.groups()) {
            none[g.index()] = java.util.stream.IntStream.range(0, g.channels()).filter(c -> g != mid || c != 5).toArray();
        }
        Network zeroed = PrunedOutputOracleTest.zeroed(net, groups, none);
        for (int e = 0; e < zeroed.weights(3).length; e++) {
            zeroed.weights(3)[e] *= 1 + (e / 8) % 3; // rows differ in scale
        }
        zeroed.batchNorm(3).gamma()[7] = 50f; // a large folded row
        double[][] scores = ChannelImportance.l2(zeroed, groups);
        assertEquals(0.0, scores[mid.index()][5]);
        int[][] kept = ChannelImportance.keep(scores, groups, 0.5);
        assertFalse(java.util.Arrays.stream(kept[mid.index()]).anyMatch(c -> c == 5));
        assertTrue(java.util.Arrays.stream(kept[mid.index()]).anyMatch(c -> c == 7));
        assertEquals(mid.kept(0.5), kept[mid.index()].length);
        for (int j = 1; j < kept[mid.index()].length; j++) {
            assertTrue(kept[mid.index()][j - 1] < kept[mid.index()][j], "ascending");
        }
    }

    @Test
    void taylorScoresAChannelWithNoParametersZeroAndDoesNotChangeTheNetwork() {
        Network net = PrunedOutputOracleTest.unfolded(SPEC, 2);
        ChannelGroups groups = ChannelGroups.of(SPEC.architecture());
        ChannelGroups.Group stream = groups.outputOf(5); // output of block 1, read by block 2's expand
        int[][] all = new int[groups.groups().size()][];
        for (ChannelGroups.Group g : groups.groups()) {
            all[g.index()] = java.util.stream.IntStream.range(0, g.channels())
                    .filter(c -> g != stream || c != 2).toArray();
        }
        Network zeroed = PrunedOutputOracleTest.zeroed(net, groups, all);
        String before = zeroed.parameterHash();
        double[][] scores = taylor(zeroed, groups, 1);
        assertEquals(before, zeroed.parameterHash());
        assertEquals(0.0, scores[stream.index()][2]);
        for (int c = 0; c < stream.channels(); c++) {
            if (c != 2) {
                assertTrue(scores[stream.index()][c] > 0, "channel " + c);
            }
        }
    }

    @Test
    void taylorScoreIsTheSquaredSumOfWeightTimesGradientOverTheChannelsGroupParameters() {
        // the gradient, independently: one SGD step at rate 1024 (a power of two) moves each
        // parameter by 1024 * dL/dw; the group's parameters are the ones the oracle's zeroing zeroes
        Network net = PrunedOutputOracleTest.unfolded(SPEC, 3);
        ChannelGroups groups = ChannelGroups.of(SPEC.architecture());
        double[][] scores = ChannelImportance.taylor(net, groups, 1, BATCH, 1, 1, randomImages(9), b -> { });
        Network stepped = net.copy();
        SgdOptimizer sgd = new SgdOptimizer(stepped, 0, 0);
        sgd.setLearningRate(1024);
        try (DataParallelTrainer t = new DataParallelTrainer(stepped, BATCH, 1, 1)) {
            t.step(randomImages(9), sgd);
        }
        for (int[] probe : new int[][] {{0, 3}, {groups.outputOf(6).index(), 31}, {groups.outputOf(5).index(), 2},
                {groups.classifierInput().index(), 7}}) {
            ChannelGroups.Group g = groups.groups().get(probe[0]);
            int c = probe[1];
            Network zero = PrunedOutputOracleTest.zeroed(net, groups, allBut(groups, g, c));
            double sum = 0;
            for (int i = 0; i < net.convCount(); i++) {
                sum += wTimesG(net.weights(i), stepped.weights(i), zero.weights(i));
                sum += wTimesG(net.batchNorm(i).gamma(), stepped.batchNorm(i).gamma(), zero.batchNorm(i).gamma());
                sum += wTimesG(net.batchNorm(i).beta(), stepped.batchNorm(i).beta(), zero.batchNorm(i).beta());
            }
            sum += wTimesG(net.classifierWeights(), stepped.classifierWeights(), zero.classifierWeights());
            assertTrue(sum * sum > 1e-12, g.name() + ": a probe that can tell");
            assertEquals(sum * sum, scores[g.index()][c], 1e-3 * sum * sum, g.name() + " channel " + c);
        }
    }

    private static int[][] allBut(ChannelGroups groups, ChannelGroups.Group group, int c) {
        int[][] kept = new int[groups.groups().size()][];
        for (ChannelGroups.Group g : groups.groups()) {
            kept[g.index()] = java.util.stream.IntStream.range(0, g.channels()).filter(k -> g != group || k != c)
                    .toArray();
        }
        return kept;
    }

    /** Sum of {@code w * dL/dw} over the entries {@code zero} zeroed, the gradient read off an SGD step at rate 1024. */
    private static double wTimesG(float[] before, float[] after, float[] zero) {
        double s = 0;
        for (int e = 0; e < before.length; e++) {
            if (zero[e] == 0f && before[e] != 0f) {
                s += (double) before[e] * ((double) before[e] - after[e]) / 1024;
            }
        }
        return s;
    }

    @Test
    void taylorScoresDoNotDependOnTheThreadCount() {
        Network net = PrunedOutputOracleTest.unfolded(SPEC, 4);
        ChannelGroups groups = ChannelGroups.of(SPEC.architecture());
        double[][] one = taylor(net, groups, 1);
        double[][] two = taylor(net, groups, 2);
        for (int g = 0; g < one.length; g++) {
            assertArrayEquals(one[g], two[g], "group " + g);
        }
    }
}
