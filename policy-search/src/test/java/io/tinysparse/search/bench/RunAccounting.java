package io.tinysparse.search.bench;

import io.tinysparse.search.FeasibilityCheck;
import io.tinysparse.search.Genome;
import io.tinysparse.search.MemoryCost;
import io.tinysparse.search.bench.GenomeTrainer.TrainedRun;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one accounting of a searcher's trajectory, the same for tinysparse's searchers and
 * Optuna's samplers: what the searcher proposes, in order, and which proposals count as runs.
 *
 * <ul>
 *   <li>An <b>infeasible</b> genome (the product's memory model puts one training step above the
 *       SRAM budget) is screened before training: not trained, not counted.</li>
 *   <li>A <b>duplicate</b> (a genome already counted in this trajectory) is not trained again and
 *       not counted; its earlier result is returned, so a sampler that proposes it learns the
 *       same values.</li>
 *   <li>Every other genome is a <b>counted run</b>: trained through the shared
 *       {@link EvaluationMemo} (so trained at most once per benchmark seed across searchers) and
 *       appended to {@link #counted()}.</li>
 * </ul>
 *
 * <p>Not thread-safe: one trajectory, one thread.
 */
final class RunAccounting {
    /** What became of one proposal. */
    enum Outcome { COUNTED, DUPLICATE, INFEASIBLE }

    /**
     * The answer to one proposal.
     *
     * @param outcome     counted, duplicate or infeasible
     * @param genome      the genome accounted for
     * @param accuracy    validation accuracy in [0, 1]; NaN for an infeasible genome (never trained)
     * @param memoryBytes peak SRAM of one training step, bytes (the run's arena peak; the memory
     *                    model's for an infeasible genome)
     * @param counted     counted runs of the trajectory after this proposal
     */
    record Verdict(Outcome outcome, Genome genome, double accuracy, long memoryBytes, int counted) {}

    /**
     * One counted run, in the order counted.
     *
     * @param genome      the genome trained
     * @param accuracy    validation accuracy in [0, 1]
     * @param memoryBytes peak SRAM of one training step by the arena simulation, bytes
     * @param proposal    the proposal that counted it, 1 for the trajectory's first (so proposals
     *                    before the n-th counted run that did not count are {@code proposal - n})
     */
    record CountedRun(Genome genome, double accuracy, long memoryBytes, int proposal) {}

    private final long seed;
    private final FeasibilityCheck feasibility;
    private final MemoryCost memory;
    private final EvaluationMemo memo;
    private final GenomeTrainer trainer;
    private final List<CountedRun> counted = new ArrayList<>();
    private final Map<Genome, CountedRun> seen = new HashMap<>();
    private int proposals;
    private int infeasible;
    private int duplicates;

    /**
     * @param seed        the benchmark seed (the memo's key and the runs' seed)
     * @param feasibility the hard constraint (the product's {@code MemoryBudget})
     * @param memory      the memory model's bytes of a structurally valid genome (the same budget)
     * @param memo        the benchmark's shared runs
     * @param trainer     trains a genome's run under {@code seed}
     */
    RunAccounting(long seed, FeasibilityCheck feasibility, MemoryCost memory, EvaluationMemo memo,
            GenomeTrainer trainer) {
        this.seed = seed;
        this.feasibility = Objects.requireNonNull(feasibility, "feasibility");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.memo = Objects.requireNonNull(memo, "memo");
        this.trainer = Objects.requireNonNull(trainer, "trainer");
    }

    /** Accounts for the proposal of {@code genome} (structurally valid), training it if it counts. */
    Verdict propose(Genome genome) {
        proposals++;
        if (!feasibility.isFeasible(genome)) {
            infeasible++;
            return new Verdict(Outcome.INFEASIBLE, genome, Double.NaN, Math.round(memory.bytes(genome)),
                    counted.size());
        }
        CountedRun earlier = seen.get(genome);
        if (earlier != null) {
            duplicates++;
            return new Verdict(Outcome.DUPLICATE, genome, earlier.accuracy(), earlier.memoryBytes(), counted.size());
        }
        TrainedRun run = memo.getOrTrain(seed, genome, trainer);
        CountedRun c = new CountedRun(genome, run.validationAccuracy(), run.arenaBytes(), proposals);
        counted.add(c);
        seen.put(genome, c);
        return new Verdict(Outcome.COUNTED, genome, c.accuracy(), c.memoryBytes(), counted.size());
    }

    /** The counted runs, in the order counted. */
    List<CountedRun> counted() {
        return List.copyOf(counted);
    }

    /** Proposals accounted for, counted or not. */
    int proposals() {
        return proposals;
    }

    /** Proposals screened out as infeasible. */
    int infeasible() {
        return infeasible;
    }

    /** Proposals of a genome already counted. */
    int duplicates() {
        return duplicates;
    }

    /** The benchmark seed. */
    long seed() {
        return seed;
    }
}
