package io.tinysparse.simulator.bench;

import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.memory.Lin2022Estimator;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Evaluations per second of the two memory estimators on mbv2-w0.35 at 128x128, one thread,
 * cycling through 1,024 random valid policies (so that no single policy's branch pattern is
 * learnt), the way a searcher calls them. Targets (issue 3): lin2022 &gt;= 1,000,000/s and
 * arena &gt;= 100,000/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MemoryEstimatorBench {
    private Lin2022Estimator lin;
    private ArenaEstimator arena;
    private SparseUpdatePolicy[] policies;
    private int next;

    @Setup
    public void setup() {
        LayerTable t = ModelSpec.preset("mbv2-w0.35").layers();
        lin = new Lin2022Estimator(t);
        arena = new ArenaEstimator(t, ArenaConfig.DEFAULT);
        Random rnd = new Random(42);
        double[] ratios = {0.125, 0.25, 0.5, 1.0};
        policies = new SparseUpdatePolicy[1024];
        for (int p = 0; p < policies.length; p++) {
            int bias = 1 + rnd.nextInt(35);
            List<WeightUpdate> ws = new ArrayList<>();
            for (int i = t.convCount() - bias; i < t.convCount(); i++) {
                if (rnd.nextInt(3) == 0) {
                    ws.add(WeightUpdate.ratio(i, ratios[rnd.nextInt(4)]));
                }
            }
            policies[p] = SparseUpdatePolicy.of(bias, ws);
        }
    }

    private SparseUpdatePolicy nextPolicy() {
        next = (next + 1) & (policies.length - 1);
        return policies[next];
    }

    @Benchmark
    public long lin2022() {
        return lin.peakBytes(nextPolicy());
    }

    @Benchmark
    public long arena() {
        return arena.peakBytes(nextPolicy());
    }
}
