package io.tinysparse.search.bench;

import io.tinysparse.search.Genome;

/**
 * Trains the run of a genome under one benchmark seed: in the benchmark, the product's
 * {@code RunEvaluator} on the run {@code RunPlanner} plans for the genome ({@link QuickTask});
 * in tests, a formula. The run depends on the benchmark seed and the genome only, never on the
 * searcher that asks, so two searchers asking for the same genome get the same run.
 */
interface GenomeTrainer {
    /**
     * The id of the run {@code genome} stands for (the content hash of its run spec): the memo
     * checks it, so a memo made under other settings is not taken for this one.
     */
    String runId(Genome genome);

    /** Trains the run of {@code genome}, which must be feasible. */
    TrainedRun train(Genome genome);

    /**
     * What one training measured.
     *
     * @param runId              the run's id ({@link #runId})
     * @param validationAccuracy top-1 accuracy on the validation subset at the end of training, in [0, 1]:
     *                           what the searchers rank on
     * @param testAccuracy       top-1 accuracy on the test subset, in [0, 1]: recorded, never used
     * @param arenaBytes         peak SRAM of one training step by the arena simulation, bytes
     * @param wallMs             wall-clock time of the training, milliseconds
     */
    record TrainedRun(String runId, double validationAccuracy, double testAccuracy, long arenaBytes, double wallMs) {}
}
