package io.tinysparse.simulator.bench;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.TestNetworks;
import io.tinysparse.simulator.engine.train.FineTuneResult;
import io.tinysparse.simulator.engine.train.FineTuneRun;
import io.tinysparse.simulator.engine.train.Samples;
import io.tinysparse.simulator.engine.train.TrainingConfig;
import io.tinysparse.simulator.run.TrainingBudget;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
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
 * A whole short fine-tuning run, the budget {@code search --quick} spends per policy (its option
 * defaults): mbv2-w0.35 at 128x128, 99kb-scheme layers with dynamic (importance, re-drawn every
 * step) or static selection, 200 training samples, 600 steps of batch 1 (lr 0.05, 30 warm-up
 * steps), 2 validation passes over 100 samples, a test pass over 500 samples. {@code cache=true} feeds the frozen prefix's cut
 * activations (computed once, outside the timing, as a feature cache would); {@code
 * cache=false} feeds images. One run per invocation, network copy and setup included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class FineTuneRunBench {
    @Param({"importance", "magnitude"})
    public String selection;

    @Param({"true", "false"})
    public boolean cache;

    private Network pretrained;
    private SparseUpdatePolicy policy;
    private TrainingConfig config;
    private Samples train;
    private Samples val;
    private Samples test;

    @Setup
    public void setUp() {
        ModelSpec spec = ModelSpec.preset("mbv2-w0.35");
        pretrained = TestNetworks.folded(spec, 1);
        ChannelSelection sel = selection.equals("importance")
                ? ChannelSelection.dynamic(SelectionStrategy.IMPORTANCE, 1) : ChannelSelection.DEFAULT;
        policy = StepTiming.policy("99kb", pretrained).withSelection(sel);
        config = new TrainingBudget(600, 1, 0.05, 0, 30, 2).trainingConfig(7);
        train = images(200, 1);
        val = images(100, 2);
        test = images(500, 3);
        if (cache) {
            FineTuneRun probe = new FineTuneRun(pretrained, policy, config);
            train = probe.prefixFeatures(train);
            val = probe.prefixFeatures(val);
            test = probe.prefixFeatures(test);
        }
    }

    private static Samples images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 3 * 128 * 128];
        int[] labels = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new Samples(x, labels, 3, 128, 128, 0);
    }

    @Benchmark
    public FineTuneResult run() {
        return new FineTuneRun(pretrained, policy, config).run(train, val, test);
    }
}
