package io.tinysparse.dl4j.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.engine.kernels.Padding;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's 5x5 and 7x7 depthwise kernels against Deeplearning4j's
 * {@code DepthwiseConvolution2D} in float64, one layer at a time: forward output (with bias),
 * input gradient, and the weight and bias gradients of a subset of the channels, for an
 * arbitrary output gradient. Symmetric padding is the layer's own; uneven padding (TensorFlow
 * "same" with stride 2) is a {@code ZeroPaddingLayer} before an unpadded convolution, as the
 * whole-network {@link Dl4jOracle} builds it.
 */
class DepthwiseKernelOracleTest {
    private static final double TOLERANCE = 1e-5;

    record Case(int channels, int kernel, int stride, Padding padding, int height, int width, int batch) {
        static Case symmetric(int channels, int kernel, int stride, int height, int width, int batch) {
            return new Case(channels, kernel, stride, Padding.symmetric(kernel / 2), height, width, batch);
        }

        static Case tfSame(int channels, int kernel, int stride, int height, int width, int batch) {
            return new Case(channels, kernel, stride, Padding.tfSame(kernel, stride, height, width), height, width,
                    batch);
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                Case.symmetric(5, 5, 1, 12, 12, 2),
                Case.symmetric(4, 5, 2, 11, 8, 1),
                Case.symmetric(3, 5, 1, 3, 3, 2),
                Case.symmetric(6, 7, 1, 6, 6, 1),
                Case.symmetric(5, 7, 2, 24, 24, 1),
                Case.symmetric(4, 7, 2, 6, 6, 3),
                Case.symmetric(3, 7, 2, 9, 7, 1),
                Case.tfSame(5, 5, 2, 12, 12, 2),
                Case.tfSame(4, 5, 2, 7, 10, 1),
                Case.tfSame(5, 7, 2, 24, 24, 1),
                Case.tfSame(4, 7, 2, 6, 6, 2),
                Case.tfSame(3, 7, 2, 9, 8, 1),
                Case.tfSame(3, 7, 1, 5, 5, 1));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void forwardAndSelectedChannelBackwardMatchDl4jDepthwiseConvolution(Case c) {
        int k = c.kernel();
        int taps = k * k;
        ConvKernel kernel = ConvKernel.create(c.channels(), c.channels(), k, c.stride(), c.padding(), c.channels(),
                c.height(), c.width(), c.batch());
        SplittableRandom r = new SplittableRandom(31L * k + c.stride());
        float[] in = random(r, c.batch() * kernel.inputSize());
        float[] w = random(r, kernel.weightCount());
        float[] b = random(r, c.channels());
        float[] dOut = random(r, c.batch() * kernel.outputSize());

        List<Layer> layers = dl4jLayers(c, w, b);
        INDArray x = Nd4j.create(toDouble(in), new long[] {c.batch(), c.channels(), c.height(), c.width()}, 'c');
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray a = x;
        for (Layer layer : layers) {
            a = layer.activate(a, true, mgr);
        }
        assertEquals(List.of((long) c.batch(), (long) c.channels(), (long) kernel.outHeight(),
                (long) kernel.outWidth()), List.of(a.size(0), a.size(1), a.size(2), a.size(3)), "output shape");
        float[] out = new float[c.batch() * kernel.outputSize()];
        kernel.forward(in, w, b, null, out, c.batch(), false);
        assertClose("forward", out, values(a));

        INDArray eps = Nd4j.create(toDouble(dOut), a.shape(), 'c');
        Gradient convGradient = null;
        for (int i = layers.size() - 1; i >= 0; i--) {
            Pair<Gradient, INDArray> p = layers.get(i).backpropGradient(eps, mgr);
            if (i == layers.size() - 1) {
                convGradient = p.getFirst();
            }
            eps = p.getSecond();
        }
        float[] dIn = new float[in.length];
        kernel.backwardInput(dOut, w, dIn, c.batch());
        assertClose("input gradient", dIn, values(eps));

        int[] selected = {c.channels() - 1, 0, c.channels() / 2};
        float[] dW = new float[selected.length * taps];
        kernel.weightGradient(dOut, in, c.batch(), selected, selected.length, dW);
        double[] dl4jW = values(convGradient.getGradientFor("W"));
        double[] expectedW = new double[dW.length];
        for (int j = 0; j < selected.length; j++) {
            for (int t = 0; t < taps; t++) {
                // DL4J's depthwise weights are [kH][kW][C][1].
                expectedW[j * taps + t] = dl4jW[t * c.channels() + selected[j]];
            }
        }
        assertClose("weight gradient of channels " + java.util.Arrays.toString(selected), dW, expectedW);
        float[] db = new float[c.channels()];
        kernel.biasGradient(dOut, c.batch(), db);
        assertClose("bias gradient", db, values(convGradient.getGradientFor("b")));
    }

    /** The DL4J layers of {@code c} (a zero-padding layer first when the padding is uneven), weights set. */
    private static List<Layer> dl4jLayers(Case c, float[] w, float[] b) {
        int k = c.kernel();
        Padding pad = c.padding();
        int symmetric = pad.isSymmetric() ? pad.top() : 0;
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE)
                .list();
        int index = 0;
        if (!pad.isSymmetric()) {
            list.layer(index++, new ZeroPaddingLayer.Builder(pad.top(), pad.bottom(), pad.left(), pad.right())
                    .dataFormat(CNN2DFormat.NCHW).build());
        }
        list.layer(index, new DepthwiseConvolution2D.Builder(k, k).stride(c.stride(), c.stride())
                .padding(symmetric, symmetric).convolutionMode(ConvolutionMode.Truncate)
                .dataFormat(CNN2DFormat.NCHW).nIn(c.channels()).depthMultiplier(1).nOut(c.channels())
                .hasBias(true).activation(Activation.IDENTITY).build());
        MultiLayerConfiguration conf = list
                .setInputType(InputType.convolutional(c.height(), c.width(), c.channels(), CNN2DFormat.NCHW))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // Layer-level backprop writes into the network's gradient views, which fit() would otherwise create.
        net.initGradientsView();
        int taps = k * k;
        double[] dl4jW = new double[w.length];
        for (int ch = 0; ch < c.channels(); ch++) {
            for (int t = 0; t < taps; t++) {
                dl4jW[t * c.channels() + ch] = w[ch * taps + t];
            }
        }
        INDArray current = net.getParam(index + "_W");
        net.setParam(index + "_W", Nd4j.create(dl4jW, current.shape(), 'c'));
        net.setParam(index + "_b", Nd4j.create(toDouble(b), net.getParam(index + "_b").shape(), 'c'));
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i <= index; i++) {
            layers.add(net.getLayer(i));
        }
        return layers;
    }

    private static void assertClose(String what, float[] actual, double[] expected) {
        assertEquals(expected.length, actual.length, what + ": element count");
        double err = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(scale > 0, what + ": DL4J's values are all zero");
        assertTrue(err / scale < TOLERANCE, what + ": relative difference " + err / scale);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (2 * r.nextDouble() - 1);
        }
        return a;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double[] values(INDArray a) {
        return a.dup('c').data().asDouble();
    }
}
