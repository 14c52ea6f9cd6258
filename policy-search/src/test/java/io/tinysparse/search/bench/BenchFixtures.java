package io.tinysparse.search.bench;

import io.tinysparse.search.Genome;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.search.space.PolicySpaceJson;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import java.util.concurrent.atomic.AtomicInteger;

/** Fixtures of the benchmark harness's tests: a small real policy space and a trainer that is a formula. */
final class BenchFixtures {
    /** The SRAM budget of the tests, bytes. */
    static final long BUDGET_BYTES = 256 * 1024;

    private BenchFixtures() {}

    /**
     * mbv2-w0.35's bias depths 0-30 and the expand and project convolutions of its last two
     * blocks (four ratio genes), under 256 KiB by the arena model: the real memory model, so
     * feasibility is the product's.
     */
    static MemoryBudget budget() {
        PolicySpace space = PolicySpaceJson.parse("""
                {"model": "mbv2-w0.35", "bias_depth": {"min": 0, "max": 30},
                 "weight_layers": {"kinds": ["expand", "project"], "last_blocks": 2}}""");
        return new MemoryBudget(space, new ArenaEstimator(space.table(), ArenaConfig.DEFAULT), BUDGET_BYTES);
    }

    /**
     * "Trains" a genome by a formula of the genome and the seed (deeper bias and larger ratios
     * score higher), with the memory model's bytes, counting its trainings.
     */
    static final class FormulaTrainer implements GenomeTrainer {
        final AtomicInteger trainings = new AtomicInteger();
        private final long seed;
        private final MemoryBudget budget;
        private final String settings;

        FormulaTrainer(long seed, MemoryBudget budget) {
            this(seed, budget, "quick");
        }

        /** A trainer whose run ids name {@code settings}: another budget or task gives other ids. */
        FormulaTrainer(long seed, MemoryBudget budget, String settings) {
            this.seed = seed;
            this.budget = budget;
            this.settings = settings;
        }

        @Override
        public String runId(Genome genome) {
            return settings + "-seed" + seed + "-" + genome;
        }

        @Override
        public TrainedRun train(Genome genome) {
            trainings.incrementAndGet();
            double accuracy = 0.3 + 0.01 * genome.gene(0) + 0.001 * seed;
            for (int i = 1; i < genome.length() - 1; i++) {
                accuracy += 0.02 * genome.gene(i);
            }
            return new TrainedRun(runId(genome), Math.min(1, accuracy), 0.5, Math.round(budget.bytes(genome)), 1.0);
        }
    }
}
