package io.tinysparse.search.bench;

import io.tinysparse.search.Candidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Objectives;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.SyntheticProblems;
import io.tinysparse.search.nsga2.Nsga2Config;
import io.tinysparse.search.nsga2.Nsga2Searcher;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.search.space.PolicySpaceJson;
import io.tinysparse.search.state.SearchCheckpoint;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The searcher's own cost per candidate (ask + tell), NSGA-II with population 64, averaged over
 * whole searches of 64 x 50 = 3,200 candidates (so the never-ask-twice set and the fronts grow
 * as they do in a real search):
 *
 * <ul>
 *   <li>{@code zdt1}: discretised ZDT1 (10 genes x 16 levels), unconstrained; the objective
 *       function costs nanoseconds, so this is the bookkeeping, sorting and breeding alone.</li>
 *   <li>{@code policyArena}: the mbv2-w0.35 policy space (bias depth 0-51, the expand and
 *       project convolutions of the last 7 blocks, ratios {0, 1/8, 1/4, 1/2, 1}), with the hard
 *       256 KiB constraint checked by the arena memory model and repairs, and a trivial accuracy
 *       proxy instead of training.</li>
 *   <li>{@code checkpointJson}: writing the JSON checkpoint of a finished 3,200-candidate search
 *       (per checkpoint, not per candidate).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Nsga2Bench {
    private static final int POPULATION = 64;
    private static final int CANDIDATES = POPULATION * 50;

    private SyntheticProblems.Zdt zdt;
    private SearchProblem policyProblem;
    private Function<Candidate, Evaluation> policyEvaluator;
    private Nsga2Searcher finished;
    private long seed;

    @Setup
    public void setup() {
        zdt = new SyntheticProblems.Zdt(10, 16, false);
        PolicySpace space = PolicySpaceJson.parse("""
                {"model": "mbv2-w0.35", "bias_depth": {"min": 0, "max": 51},
                 "weight_layers": {"kinds": ["expand", "project"], "last_blocks": 7}}""");
        ArenaEstimator arena = new ArenaEstimator(space.table(), ArenaConfig.DEFAULT);
        MemoryBudget budget = new MemoryBudget(space, arena, 256 * 1024);
        policyProblem = budget.problem(ObjectiveMode.ACCURACY_MEMORY);
        policyEvaluator = c -> {
            SparseUpdatePolicy p = space.toPolicy(c.genome());
            double acc = 0.5 + 0.002 * p.biasLayers();
            for (WeightUpdate w : p.weights()) {
                acc += 0.02 * Math.sqrt(w.ratio());
            }
            return Evaluation.feasible(c, Objectives.of(Math.min(1, acc), arena.peakBytes(p)));
        };
        finished = new Nsga2Searcher(zdt.problem(), Nsga2Config.of(1, POPULATION, CANDIDATES));
        run(finished, zdt.evaluator());
    }

    private static long run(Nsga2Searcher s, Function<Candidate, Evaluation> evaluator) {
        long checksum = 0;
        while (!s.isFinished()) {
            List<Candidate> batch = s.ask(POPULATION);
            List<Evaluation> results = new ArrayList<>(batch.size());
            for (Candidate c : batch) {
                results.add(evaluator.apply(c));
                checksum += c.id();
            }
            s.tell(results);
        }
        return checksum;
    }

    @Benchmark
    @OperationsPerInvocation(CANDIDATES)
    public long zdt1() {
        return run(new Nsga2Searcher(zdt.problem(), Nsga2Config.of(seed++, POPULATION, CANDIDATES)), zdt.evaluator());
    }

    @Benchmark
    @OperationsPerInvocation(CANDIDATES)
    public long policyArena() {
        return run(new Nsga2Searcher(policyProblem, Nsga2Config.of(seed++, POPULATION, CANDIDATES)), policyEvaluator);
    }

    @Benchmark
    public int checkpointJson() {
        return SearchCheckpoint.of(finished).toJson().length();
    }
}
