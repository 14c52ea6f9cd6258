package io.tinysparse.simulator.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.kernels.ConvKernel;
import org.junit.jupiter.api.Test;

class SgdOptimizerTest {
    @Test
    void momentumAndWeightDecayFollowPytorchSgdOnTheDeliveredSlicesOnly() {
        Network net = Fixtures.folded(1);
        int layer = 42; // 56 -> 336 pointwise: a slice is W[:, c]
        float[] w = net.weights(layer);
        int c = 9;
        int row = 5;
        int index = ConvKernel.sliceOffset(56, 1, c, row);
        float w0 = w[index];
        float untouched = w[ConvKernel.sliceOffset(56, 1, 10, row)];
        SgdOptimizer sgd = new SgdOptimizer(net, 0.9, 0.01);
        sgd.setLearningRate(0.1);
        float[] g = new float[336];
        g[row] = 2f;
        sgd.convWeights(layer, new int[] {c}, 1, g);
        // v1 = g + wd*w0; w1 = w0 - lr*v1
        float v1 = 2f + 0.01f * w0;
        float w1 = w0 - 0.1f * v1;
        assertEquals(w1, w[index], 0f);
        sgd.convWeights(layer, new int[] {c}, 1, g);
        float v2 = 0.9f * v1 + (2f + 0.01f * w1);
        assertEquals(w1 - 0.1f * v2, w[index], 0f);
        assertEquals(untouched, w[ConvKernel.sliceOffset(56, 1, 10, row)], 0f);
    }

    @Test
    void depthwiseSliceIsTheChannelsFilter() {
        Network net = Fixtures.folded(2);
        int layer = 43; // 336 depthwise 3x3
        float[] before = net.weights(layer).clone();
        SgdOptimizer sgd = new SgdOptimizer(net, 0, 0);
        sgd.setLearningRate(1);
        float[] g = new float[2 * 9];
        for (int i = 0; i < g.length; i++) {
            g[i] = i + 1;
        }
        sgd.convWeights(layer, new int[] {3, 300}, 2, g);
        for (int i = 0; i < before.length; i++) {
            float expected = before[i];
            if (i / 9 == 3) {
                expected -= g[i % 9];
            } else if (i / 9 == 300) {
                expected -= g[9 + i % 9];
            }
            assertEquals(expected, net.weights(layer)[i], 0f, "weight " + i);
        }
    }
}
