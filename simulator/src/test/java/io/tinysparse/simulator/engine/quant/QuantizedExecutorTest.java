package io.tinysparse.simulator.engine.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.GradientRequest;
import io.tinysparse.simulator.engine.GradientSink;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.TestNetworks;
import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.engine.kernels.Padding;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Oracles 4a and 4b: the int8 forward against an integer reference, the int8 backward against finite differences. */
class QuantizedExecutorTest {
    private static final int CLASSES = 4;
    private static final int BATCH = 2;

    private static Network network(int resolution) {
        Network net = TestNetworks.folded(ModelSpec.preset("mbv2-w0.35").withResolution(resolution)
                .withClasses(CLASSES), 7);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < net.classifierWeights().length; i++) {
            net.classifierWeights()[i] = (float) (0.3 * r.nextGaussian());
        }
        return net;
    }

    private static float[] images(Network net, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[count * new NetworkExecutor(net, 1).inputSize(0)];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) r.nextGaussian();
        }
        return x;
    }

    private static Padding[] padding(Network net) {
        Padding[] p = new Padding[net.convCount()];
        for (ConvLayer c : net.layers().convs()) {
            p[c.index()] = net.paddingConvention().padding(c);
        }
        return p;
    }

    @Test
    void int8ForwardEqualsTheIntegerReferenceBitForBit() {
        Network net = network(32);
        QuantizedNetwork q = QuantizedNetwork.calibrate(net, images(net, 8, 1), 8, 4);
        float[] x = images(net, BATCH, 2); // not the calibration images: some values saturate
        QuantizedExecutor exec = new QuantizedExecutor(q, BATCH);
        System.arraycopy(x, 0, exec.input(0), 0, x.length);
        exec.forward(0, BATCH, false);
        int[][] expected = IntegerReference.codes(q, padding(net), x, BATCH);
        for (int t = 0; t <= net.convCount(); t++) {
            int z = q.tensor(t).zeroPoint();
            float[] codes = exec.codes(t);
            for (int e = 0; e < expected[t].length; e++) {
                assertEquals(expected[t][e], (int) codes[e] + z, "tensor " + t + " element " + e);
            }
        }
        // The head: fp32 on the mean of the dequantized last tensor.
        int last = net.convCount();
        ConvLayer c = net.layers().conv(last - 1);
        int plane = c.outHeight() * c.outWidth();
        int features = c.outChannels();
        for (int b = 0; b < BATCH; b++) {
            for (int k = 0; k < CLASSES; k++) {
                double logit = net.classifierBias()[k];
                for (int f = 0; f < features; f++) {
                    double sum = 0;
                    for (int p = 0; p < plane; p++) {
                        sum += q.tensor(last).scale() * (expected[last][(b * features + f) * plane + p]
                                - q.tensor(last).zeroPoint());
                    }
                    logit += net.classifierWeights()[k * features + f] * sum / plane;
                }
                assertEquals(logit, exec.logits()[b * CLASSES + k], 1e-4, "logit " + k + " of sample " + b);
            }
        }
    }

    @Test
    void int8ForwardFromACutEqualsTheForwardFromTheImage() {
        Network net = network(32);
        QuantizedNetwork q = QuantizedNetwork.calibrate(net, images(net, 8, 1), 8, 4);
        float[] x = images(net, BATCH, 5);
        QuantizedExecutor whole = new QuantizedExecutor(q, BATCH);
        System.arraycopy(x, 0, whole.input(0), 0, x.length);
        whole.forward(0, BATCH, false);
        QuantizedExecutor prefix = new QuantizedExecutor(q, BATCH);
        System.arraycopy(x, 0, prefix.input(0), 0, x.length);
        int cut = 42;
        prefix.runLayers(0, cut, BATCH, false);
        QuantizedExecutor rest = new QuantizedExecutor(q, BATCH);
        System.arraycopy(prefix.input(cut), 0, rest.input(cut), 0, BATCH * rest.inputSize(cut));
        rest.forward(cut, BATCH, false);
        assertArrayEquals(whole.logits(), rest.logits());
    }

    @Test
    void quantizedOutputTracksTheFp32NetworkWithinAFewSteps() {
        Network net = network(32);
        float[] x = images(net, 8, 1);
        QuantizedNetwork q = QuantizedNetwork.calibrate(net, x, 8, 4);
        QuantizedExecutor exec = new QuantizedExecutor(q, 8);
        NetworkExecutor fp32 = new NetworkExecutor(net, 8);
        System.arraycopy(x, 0, exec.input(0), 0, x.length);
        System.arraycopy(x, 0, fp32.input(0), 0, x.length);
        exec.runLayers(0, 1, 8, false);
        fp32.runLayers(0, 1, 8, false);
        float step = q.tensor(1).scale();
        for (int e = 0; e < 8 * exec.inputSize(1); e++) {
            assertEquals(fp32.input(1)[e], exec.input(1)[e], 3 * step, "element " + e + " of conv 0's output");
        }
    }

    @Test
    void calibrationRefusesAnUnfoldedNetwork() {
        Network unfolded = Network.initialize(ModelSpec.preset("mbv2-w0.35").withResolution(32).withClasses(2), 1);
        assertThrows(InvalidInputException.class, () -> QuantizedNetwork.calibrate(unfolded, new float[0], 0, 1));
    }

    /** Gradients the backward pass delivers, by layer, in the sink's layouts. */
    private static final class Recorded implements GradientSink {
        final float[][] weights;
        final float[][] biases;
        float[] classifierWeights;

        Recorded(int layers) {
            weights = new float[layers][];
            biases = new float[layers][];
        }

        @Override
        public void convWeights(int layer, int[] channels, int count, float[] gradient) {
            weights[layer] = gradient.clone();
        }

        @Override
        public void convBias(int layer, float[] gradient) {
            biases[layer] = gradient.clone();
        }

        @Override
        public void batchNorm(int layer, float[] gammaGradient, float[] betaGradient) {
            throw new AssertionError("no batch norm in a quantized network");
        }

        @Override
        public void classifier(float[] weightGradient, float[] biasGradient) {
            classifierWeights = weightGradient.clone();
        }
    }

    @Test
    void int8BackwardMatchesFiniteDifferencesOfTheStraightThroughForward() {
        Network net = network(64);
        float[] calibration = images(net, 8, 1);
        QuantizedNetwork q = QuantizedNetwork.calibrate(net, calibration, 8, 4);
        float[] x = images(net, BATCH, 9);
        int[] labels = {1, 3};
        LayerTable t = net.layers();
        int first = 42;
        GradientRequest request = new GradientRequest(t).setClassifier(true);
        for (int i = first; i < t.convCount(); i++) {
            ConvLayer c = t.conv(i);
            int n = GradientRequest.selectableChannels(c);
            int[] all = new int[n];
            for (int k = 0; k < n; k++) {
                all[k] = k;
            }
            request.setChannels(i, all, n);
            request.setBias(i, true);
        }
        QuantizedExecutor exec = new QuantizedExecutor(q, BATCH);
        System.arraycopy(x, 0, exec.input(0), 0, x.length);
        exec.forward(0, BATCH, true);
        exec.loss(labels, 0);
        Recorded g = new Recorded(t.convCount());
        exec.backward(request, g);

        StraightThrough surrogate = new StraightThrough(q, padding(net), x, BATCH, labels, first);
        int checked = 0;
        int nonZero = 0;
        SplittableRandom pick = new SplittableRandom(11);
        for (int layer : new int[] {42, 43, 44, 46, 47, 50}) {
            ConvLayer c = t.conv(layer);
            int rows = c.outChannels() / c.groups();
            int taps = c.kernel() * c.kernel();
            int selectable = GradientRequest.selectableChannels(c);
            for (int s = 0; s < 6; s++) {
                int channel = pick.nextInt(selectable);
                int row = pick.nextInt(rows);
                int tap = pick.nextInt(taps);
                int index = ConvKernel.sliceOffset(c.inChannels() / c.groups(), taps, channel, row) + tap;
                double fd = surrogate.weightDerivative(layer, index);
                double engine = g.weights[layer][(channel * rows + row) * taps + tap];
                assertEquals(fd, engine, 2e-3 * Math.abs(fd) + 2e-5, "weight " + index + " of layer " + layer);
                checked++;
                nonZero += fd != 0 ? 1 : 0;
            }
            int o = pick.nextInt(c.outChannels());
            double fd = surrogate.biasDerivative(layer, o);
            assertEquals(fd, g.biases[layer][o], 2e-3 * Math.abs(fd) + 2e-5, "bias " + o + " of layer " + layer);
        }
        double fd = surrogate.classifierDerivative(5);
        assertEquals(fd, g.classifierWeights[5], 2e-3 * Math.abs(fd) + 2e-5, "classifier weight 5");
        assertTrue(nonZero > checked / 3, "a third of the checked weights have a gradient: " + nonZero + " of " + checked);
    }
}
