package io.tinysparse.simulator.engine.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.TestNetworks;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The int8 optimizer's arithmetic: code steps with and without QAS, lost sub-half-step updates, biases, the view. */
class Int8SgdTest {
    private static QuantizedNetwork network() {
        Network net = TestNetworks.folded(ModelSpec.preset("mbv2-w0.35").withResolution(32).withClasses(3), 5);
        SplittableRandom r = new SplittableRandom(2);
        float[] x = new float[4 * new NetworkExecutor(net, 1).inputSize(0)];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) r.nextGaussian();
        }
        return QuantizedNetwork.calibrate(net, x, 4, 4);
    }

    /** Layer 2 is a dense 1x1 convolution (16 -> 8); its slice of input channel c, row o is weight o * 16 + c. */
    private static final int LAYER = 2;

    @Test
    void withQasACodeMovesByTheFp32StepInUnitsOfItsScale() {
        QuantizedNetwork q = network();
        ConvLayer c = q.layers().conv(LAYER);
        float[] g = new float[c.outChannels()];
        g[3] = 0.5f;
        int before = q.weights(LAYER)[3 * c.inChannels() + 1];
        double s = q.weightScale(LAYER, 3);
        Int8Sgd sgd = new Int8Sgd(q, true, 0);
        sgd.setLearningRate(0.1);
        sgd.convWeights(LAYER, new int[] {1}, 1, g);
        long expected = Math.max(-127, Math.min(127, Math.round(before - 0.1 * 0.5 / s)));
        assertEquals(expected, q.weights(LAYER)[3 * c.inChannels() + 1]);
        assertEquals((float) (s * expected), q.view().weights(LAYER)[3 * c.inChannels() + 1], 1e-9,
                "the fp32 view follows the code");
    }

    @Test
    void withoutQasAStepBelowHalfACodeIsLost() {
        QuantizedNetwork q = network();
        ConvLayer c = q.layers().conv(LAYER);
        byte[] before = q.weights(LAYER).clone();
        float[] g = new float[c.outChannels()];
        java.util.Arrays.fill(g, 1f);
        Int8Sgd sgd = new Int8Sgd(q, false, 0);
        sgd.setLearningRate(0.1); // 0.1 * 1 * s_w, far below half a code: s_w is about max|w| / 127
        sgd.convWeights(LAYER, new int[] {0}, 1, g);
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(q.weights(LAYER)));
        assertEquals(c.outChannels(), sgd.attemptedUpdates());
        assertEquals(0, sgd.changedCodes());
        Int8Sgd scaled = new Int8Sgd(q, true, 0);
        scaled.setLearningRate(0.1);
        scaled.convWeights(LAYER, new int[] {0}, 1, g);
        assertEquals(c.outChannels(), scaled.changedCodes(), "the same gradient with QAS moves every code");
    }

    @Test
    void biasCodesMoveInStepsOfInputTimesWeightScale() {
        QuantizedNetwork q = network();
        int o = 1;
        int before = q.biases(LAYER)[o];
        double s = q.biasScale(LAYER, o);
        float[] g = new float[q.layers().conv(LAYER).outChannels()];
        g[o] = -2f;
        Int8Sgd sgd = new Int8Sgd(q, true, 0);
        sgd.setLearningRate(0.01);
        sgd.convBias(LAYER, g);
        assertEquals(Math.round(before + 0.01 * 2 / s), q.biases(LAYER)[o]);
        assertEquals((float) (s * q.biases(LAYER)[o]), q.view().bias(LAYER)[o], 1e-9);
    }

    @Test
    void momentumAddsUpStepsThatAreEachBelowHalfACode() {
        QuantizedNetwork q = network();
        ConvLayer c = q.layers().conv(LAYER);
        float[] g = new float[c.outChannels()];
        int o = 2;
        double s = q.weightScale(LAYER, o);
        g[o] = (float) (0.3 * s / 0.1); // with QAS: 0.3 of a code per step
        Int8Sgd sgd = new Int8Sgd(q, true, 0.9);
        sgd.setLearningRate(0.1);
        int index = o * c.inChannels();
        int before = q.weights(LAYER)[index];
        sgd.convWeights(LAYER, new int[] {0}, 1, g);
        assertEquals(before, q.weights(LAYER)[index], "0.3 of a code rounds away");
        sgd.convWeights(LAYER, new int[] {0}, 1, g);
        assertEquals(Math.max(-127, before - 1), q.weights(LAYER)[index], "0.3 + 0.57 of a code rounds to one");
    }
}
