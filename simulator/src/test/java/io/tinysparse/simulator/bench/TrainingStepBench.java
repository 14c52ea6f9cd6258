package io.tinysparse.simulator.bench;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.TestNetworks;
import io.tinysparse.simulator.engine.quant.QuantizedNetwork;
import io.tinysparse.simulator.engine.train.SparseTrainer;
import io.tinysparse.simulator.engine.train.TrainingConfig;
import io.tinysparse.simulator.model.ModelSpec;
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
 * Time of one training step, batch 1 (forward, loss, sparse backward with in-place SGD
 * updates): by default mbv2-w0.35 at 128x128 (and 32x32) for the dense update, bias-only (last
 * 25 biases + classifier) and tiny-training's 99kb scheme; with
 * {@code -p model=mcunet-5fps -p scheme=dense,bias-only,100kb} mcunet-5fps (also 128x128) and
 * tiny-training's 100KB scheme; likewise any preset with its scheme (see
 * {@link StepTiming#policy}). {@code cache=true} starts each step at the frozen prefix's cut
 * (the activations a feature cache would supply), {@code cache=false} at the image.
 * {@code -p precision=int8} times the int8 engine instead (quantized on 8 random images, QAS on).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class TrainingStepBench {
    @Param({"mbv2-w0.35"})
    public String model;

    @Param({"dense", "bias-only", "99kb"})
    public String scheme;

    @Param({"false", "true"})
    public boolean cache;

    @Param({"128", "32"})
    public int resolution;

    @Param({"fp32"})
    public String precision;

    private SparseTrainer trainer;
    private int from;
    private final int[] labels = {3};
    private long iteration;

    @Setup
    public void setUp() {
        Network net = TestNetworks.folded(ModelSpec.preset(model).withResolution(resolution), 1);
        TrainingConfig config = TrainingConfig.of(1, 1, 1e-4, 1);
        if (precision.equals("int8")) {
            SplittableRandom images = new SplittableRandom(3);
            float[] x = new float[8 * new NetworkExecutor(net, 1).inputSize(0)];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.abs(images.nextGaussian());
            }
            trainer = SparseTrainer.quantized(QuantizedNetwork.calibrate(net, x, 8, 8), true,
                    StepTiming.policy(scheme, net), config, 1);
        } else {
            trainer = new SparseTrainer(net, StepTiming.policy(scheme, net), config, 1);
        }
        from = cache ? trainer.entryLayer() : 0;
        float[] in = trainer.executor().input(from);
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < trainer.executor().inputSize(from); i++) {
            in[i] = (float) Math.abs(r.nextGaussian());
        }
    }

    @Benchmark
    public double step() {
        return trainer.step(iteration++, from, 1, labels, 0, 1e-4);
    }
}
