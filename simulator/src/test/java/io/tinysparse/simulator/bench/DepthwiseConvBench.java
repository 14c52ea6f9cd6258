package io.tinysparse.simulator.bench;

import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.engine.kernels.Padding;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one depthwise convolution's forward pass, input gradient and weight gradient (every
 * channel), batch 1, for the kernel sizes of the MBConv family (3, 5, 7) at stride 1 and 2:
 * 96 channels on a 24 x 24 input (symmetric padding {@code k / 2}), the size of mcunet-5fps's
 * middle stages at 96 x 96. Divide by {@code C * H_out * W_out * k^2} for MACs per nanosecond.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class DepthwiseConvBench {
    private static final int CHANNELS = 96;
    private static final int SIZE = 24;

    @Param({"3", "5", "7"})
    public int kernel;

    @Param({"1", "2"})
    public int stride;

    private ConvKernel conv;
    private float[] in;
    private float[] w;
    private float[] b;
    private float[] out;
    private float[] dOut;
    private float[] dIn;
    private float[] dW;
    private int[] channels;

    @Setup
    public void setUp() {
        conv = ConvKernel.create(CHANNELS, CHANNELS, kernel, stride, Padding.symmetric(kernel / 2), CHANNELS, SIZE,
                SIZE, 1);
        SplittableRandom r = new SplittableRandom(1);
        in = random(r, conv.inputSize());
        w = random(r, conv.weightCount());
        b = random(r, CHANNELS);
        out = new float[conv.outputSize()];
        dOut = random(r, conv.outputSize());
        dIn = new float[conv.inputSize()];
        dW = new float[conv.weightCount()];
        channels = new int[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            channels[c] = c;
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    @Benchmark
    public float forward() {
        conv.forward(in, w, b, null, out, 1, true);
        return out[0];
    }

    @Benchmark
    public float inputGradient() {
        conv.backwardInput(dOut, w, dIn, 1);
        return dIn[0];
    }

    @Benchmark
    public float weightGradient() {
        conv.weightGradient(dOut, in, 1, channels, CHANNELS, dW);
        return dW[0];
    }
}
