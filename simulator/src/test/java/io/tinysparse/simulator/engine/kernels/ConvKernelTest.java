package io.tinysparse.simulator.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every convolution kernel against a naive float64 convolution (forward) and against central
 * finite differences of it (input, selected-channel weight and bias gradients), over the
 * geometries of the MobileNetV2 family and awkward sizes (planes smaller than a vector, odd
 * sizes with stride 2, non-square inputs) and the MBConv family's 5x5 and 7x7 depthwise
 * convolutions at stride 1 and 2 under both padding conventions (kernels larger than the input
 * included).
 */
class ConvKernelTest {
    private static final double TOLERANCE = 1e-5;

    record Geometry(int cin, int cout, int k, int stride, Padding pad, int groups, int h, int w, int batch) {
        Geometry(int cin, int cout, int k, int stride, int pad, int groups, int h, int w, int batch) {
            this(cin, cout, k, stride, Padding.symmetric(pad), groups, h, w, batch);
        }

        /** TensorFlow "same" padding. */
        static Geometry tf(int cin, int cout, int k, int stride, int groups, int h, int w, int batch) {
            return new Geometry(cin, cout, k, stride, Padding.tfSame(k, stride, h, w), groups, h, w, batch);
        }

        int ho() {
            return (h + pad.top() + pad.bottom() - k) / stride + 1;
        }

        int wo() {
            return (w + pad.left() + pad.right() - k) / stride + 1;
        }

        ConvKernel kernel() {
            return ConvKernel.create(cin, cout, k, stride, pad, groups, h, w, batch);
        }

        int weights() {
            return cout * (cin / groups) * k * k;
        }

        double[] reference(double[] in, double[] wt, double[] b) {
            return Reference.conv(in, wt, b, batch, cin, cout, k, stride, pad.top(), pad.left(), ho(), wo(), groups,
                    h, w);
        }
    }

    static Stream<Geometry> geometries() {
        return Stream.of(
                new Geometry(8, 12, 1, 1, 0, 1, 5, 5, 2),
                new Geometry(24, 40, 1, 1, 0, 1, 8, 8, 1),
                new Geometry(5, 7, 1, 1, 0, 1, 2, 2, 3),
                new Geometry(16, 9, 1, 1, 0, 1, 12, 12, 1),
                new Geometry(6, 6, 3, 1, 1, 6, 7, 7, 2),
                new Geometry(6, 6, 3, 2, 1, 6, 7, 7, 2),
                new Geometry(5, 5, 3, 2, 1, 5, 8, 8, 1),
                new Geometry(4, 4, 3, 1, 1, 4, 4, 4, 2),
                new Geometry(3, 3, 3, 2, 1, 3, 9, 6, 1),
                new Geometry(4, 4, 5, 1, 2, 4, 6, 6, 1),
                new Geometry(4, 4, 5, 2, 2, 4, 7, 5, 1),
                new Geometry(3, 3, 3, 1, 1, 3, 1, 1, 1),
                new Geometry(5, 5, 3, 1, 1, 5, 1, 1, 16),
                new Geometry(5, 7, 1, 1, 0, 1, 1, 1, 16),
                new Geometry(3, 8, 3, 2, 1, 1, 9, 9, 2),
                new Geometry(3, 4, 3, 2, 1, 1, 8, 8, 1),
                new Geometry(4, 6, 3, 1, 1, 1, 5, 5, 1),
                // TensorFlow "same" padding: 0 before, 1 after on even sizes with stride 2 (Keras MobileNetV2).
                Geometry.tf(6, 6, 3, 2, 6, 8, 8, 2),
                Geometry.tf(5, 5, 3, 2, 5, 16, 16, 1),
                Geometry.tf(3, 3, 3, 2, 3, 8, 7, 1),
                Geometry.tf(4, 4, 3, 2, 4, 2, 2, 3),
                Geometry.tf(4, 4, 5, 2, 4, 10, 6, 1),
                Geometry.tf(3, 8, 3, 2, 1, 8, 8, 2),
                Geometry.tf(3, 4, 3, 2, 1, 10, 9, 1),
                new Geometry(3, 4, 3, 1, new Padding(0, 2, 1, 0), 1, 6, 5, 1),
                new Geometry(4, 4, 3, 1, new Padding(2, 0, 0, 1), 4, 6, 5, 1),
                // The MBConv family's 5x5 and 7x7 depthwise convolutions (mcunet-5fps at 96x96 has
                // 7x7 stride 2 on 24x24 and 6x6, 7x7 stride 1 on 6x6, 5x5 stride 1 on 6x6 and 3x3).
                new Geometry(3, 3, 7, 2, 3, 3, 24, 24, 1),
                new Geometry(3, 3, 7, 2, 3, 3, 6, 6, 2),
                new Geometry(4, 4, 7, 1, 3, 4, 6, 6, 2),
                new Geometry(3, 3, 5, 1, 2, 3, 12, 12, 1),
                new Geometry(4, 4, 5, 1, 2, 4, 3, 3, 2),
                new Geometry(3, 3, 5, 2, 2, 3, 8, 8, 1),
                new Geometry(3, 3, 7, 2, 3, 3, 9, 7, 2),
                new Geometry(2, 2, 7, 1, 3, 2, 20, 3, 1),
                // Kernels larger than the input: every output reads mostly padding.
                new Geometry(3, 3, 7, 1, 3, 3, 3, 3, 1),
                new Geometry(2, 2, 7, 2, 3, 2, 2, 2, 1),
                new Geometry(2, 2, 7, 2, 3, 2, 1, 1, 3),
                new Geometry(2, 2, 5, 1, 2, 2, 1, 1, 3),
                // TensorFlow "same" padding for 5x5 and 7x7: uneven (e.g. 2 before, 3 after) with stride 2.
                Geometry.tf(3, 3, 7, 2, 3, 24, 24, 1),
                Geometry.tf(3, 3, 7, 2, 3, 6, 6, 2),
                Geometry.tf(3, 3, 7, 2, 3, 7, 9, 1),
                Geometry.tf(2, 2, 7, 2, 2, 2, 2, 1),
                Geometry.tf(4, 4, 5, 2, 4, 8, 8, 1),
                Geometry.tf(3, 3, 5, 2, 3, 13, 12, 2),
                Geometry.tf(2, 2, 5, 2, 2, 1, 1, 2),
                Geometry.tf(3, 3, 7, 1, 3, 6, 5, 1),
                new Geometry(3, 3, 7, 2, new Padding(3, 2, 2, 3), 3, 8, 9, 1),
                new Geometry(2, 2, 5, 1, new Padding(0, 4, 4, 0), 2, 5, 6, 1));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardMatchesFloat64ConvolutionWithBiasSkipAndRelu6(Geometry g) {
        Random r = new Random(1);
        ConvKernel kernel = g.kernel();
        float[] in = Reference.randomFloats(r, g.batch * g.cin * g.h * g.w, 2);
        float[] w = Reference.randomFloats(r, g.weights(), 1);
        float[] b = Reference.randomFloats(r, g.cout, 1);
        int outLen = g.batch * g.cout * g.ho() * g.wo();
        float[] skip = Reference.randomFloats(r, outLen, 1);
        double[] expected = g.reference(Reference.toDouble(in), Reference.toDouble(w), Reference.toDouble(b));

        float[] out = new float[outLen];
        kernel.forward(in, w, b, null, out, g.batch, false);
        assertTrue(Reference.relativeError(out, expected) < TOLERANCE, "plain forward");

        kernel.forward(in, w, b, skip, out, g.batch, true);
        double[] clamped = new double[outLen];
        for (int i = 0; i < outLen; i++) {
            clamped[i] = Math.min(Math.max(expected[i] + skip[i], 0), 6);
        }
        assertTrue(Reference.relativeError(out, clamped) < TOLERANCE, "forward with skip and relu6");

        kernel.forward(in, w, null, null, out, g.batch, false);
        double[] noBias = g.reference(Reference.toDouble(in), Reference.toDouble(w), null);
        assertTrue(Reference.relativeError(out, noBias) < TOLERANCE, "forward without bias");
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void inputGradientMatchesFiniteDifferences(Geometry g) {
        Random r = new Random(2);
        ConvKernel kernel = g.kernel();
        float[] in = Reference.randomFloats(r, g.batch * g.cin * g.h * g.w, 2);
        float[] w = Reference.randomFloats(r, g.weights(), 1);
        float[] dOut = Reference.randomFloats(r, g.batch * g.cout * g.ho() * g.wo(), 1);
        double[] wd = Reference.toDouble(w);
        double[] rd = Reference.toDouble(dOut);
        ToDoubleFunction<double[]> loss = x -> Reference.dot(rd, g.reference(x, wd, null));
        double[] expected = Reference.gradient(loss, Reference.toDouble(in), 0.5);

        float[] dIn = new float[in.length];
        java.util.Arrays.fill(dIn, Float.NaN);
        kernel.backwardInput(dOut, w, dIn, g.batch);
        assertTrue(Reference.relativeError(dIn, expected) < TOLERANCE,
                "input gradient error " + Reference.relativeError(dIn, expected));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void weightGradientOfSelectedChannelsMatchesFiniteDifferences(Geometry g) {
        Random r = new Random(3);
        ConvKernel kernel = g.kernel();
        float[] in = Reference.randomFloats(r, g.batch * g.cin * g.h * g.w, 2);
        float[] w = Reference.randomFloats(r, g.weights(), 1);
        float[] dOut = Reference.randomFloats(r, g.batch * g.cout * g.ho() * g.wo(), 1);
        double[] ind = Reference.toDouble(in);
        double[] rd = Reference.toDouble(dOut);
        ToDoubleFunction<double[]> loss = wt -> Reference.dot(rd, g.reference(ind, wt, null));
        double[] dense = Reference.gradient(loss, Reference.toDouble(w), 0.5);

        int[] channels = g.cin == 1 ? new int[] {0} : new int[] {g.cin - 1, 0};
        int count = channels.length;
        int per = kernel.weightsPerChannel();
        float[] dW = new float[count * per];
        kernel.weightGradient(dOut, in, g.batch, channels, count, dW);
        double[] expected = new double[count * per];
        int taps = g.k * g.k;
        for (int j = 0; j < count; j++) {
            for (int row = 0; row < kernel.sliceRows(); row++) {
                for (int t = 0; t < taps; t++) {
                    expected[j * per + row * taps + t] = dense[kernel.sliceOffset(channels[j], row) + t];
                }
            }
        }
        assertTrue(Reference.relativeError(dW, expected) < TOLERANCE,
                "weight gradient error " + Reference.relativeError(dW, expected));

        float[] db = new float[g.cout];
        kernel.biasGradient(dOut, g.batch, db);
        double[] zero = new double[g.weights()];
        double[] bd = new double[g.cout];
        ToDoubleFunction<double[]> biasLoss = bias -> Reference.dot(rd, g.reference(ind, zero, bias));
        assertTrue(Reference.relativeError(db, Reference.gradient(biasLoss, bd, 0.5)) < TOLERANCE, "bias gradient");
    }

    @Test
    void weightGradientOfAllChannelsCoversEveryWeightOnce() {
        Geometry g = new Geometry(6, 10, 1, 1, 0, 1, 4, 4, 2);
        ConvKernel kernel = g.kernel();
        Random r = new Random(4);
        float[] in = Reference.randomFloats(r, g.batch * g.cin * 16, 1);
        float[] dOut = Reference.randomFloats(r, g.batch * g.cout * 16, 1);
        int[] all = {0, 1, 2, 3, 4, 5};
        float[] dW = new float[g.weights()];
        kernel.weightGradient(dOut, in, g.batch, all, all.length, dW);
        float[] one = new float[g.cout];
        for (int c = 0; c < g.cin; c++) {
            kernel.weightGradient(dOut, in, g.batch, new int[] {c}, 1, one);
            for (int co = 0; co < g.cout; co++) {
                assertEquals(dW[c * g.cout + co], one[co], 0f, "channel " + c + " computed alone");
            }
        }
    }

    @Test
    void tfSamePaddingPutsTheOddPixelAfterTheInput() {
        assertEquals(new Padding(0, 1, 0, 1), Padding.tfSame(3, 2, 8, 8), "stride 2, even size");
        assertEquals(new Padding(1, 1, 0, 1), Padding.tfSame(3, 2, 7, 8), "stride 2, odd height");
        assertEquals(Padding.symmetric(1), Padding.tfSame(3, 1, 8, 8), "stride 1: symmetric");
        assertEquals(Padding.NONE, Padding.tfSame(1, 1, 8, 8), "1x1: none");
        assertEquals(new Padding(1, 2, 1, 2), Padding.tfSame(5, 2, 8, 8), "k 5, stride 2");
    }

    @Test
    void factoryPicksTheKernelForTheGeometry() {
        assertInstanceOf(PointwiseConv.class, ConvKernel.create(8, 16, 1, 1, 0, 1, 4, 4, 1));
        assertInstanceOf(DepthwiseConv.class, ConvKernel.create(8, 8, 3, 2, 1, 8, 4, 4, 1));
        assertInstanceOf(DenseConv.class, ConvKernel.create(3, 16, 3, 2, 1, 1, 4, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> ConvKernel.create(8, 8, 3, 1, 1, 2, 4, 4, 1));
    }

    @Test
    void batchAboveTheAllocatedMaximumIsRejected() {
        ConvKernel kernel = ConvKernel.create(2, 2, 1, 1, 0, 1, 2, 2, 1);
        float[] t = new float[16];
        assertThrows(IllegalArgumentException.class, () -> kernel.forward(t, t, null, null, t, 2, false));
    }

    @Test
    void samplesOfABatchAreIndependent() {
        Geometry g = new Geometry(6, 6, 3, 2, 1, 6, 7, 7, 3);
        ConvKernel kernel = g.kernel();
        Random r = new Random(5);
        int inLen = g.cin * g.h * g.w;
        int outLen = g.cout * g.ho() * g.wo();
        float[] in = Reference.randomFloats(r, 3 * inLen, 1);
        float[] w = Reference.randomFloats(r, g.weights(), 1);
        float[] out = new float[3 * outLen];
        kernel.forward(in, w, null, null, out, 3, true);
        float[] single = new float[outLen];
        kernel.forward(java.util.Arrays.copyOfRange(in, 2 * inLen, 3 * inLen), w, null, null, single, 1, true);
        assertArrayEquals(single, java.util.Arrays.copyOfRange(out, 2 * outLen, 3 * outLen), 0f);
    }
}
