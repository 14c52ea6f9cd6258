package io.tinysparse.search.driver;

/**
 * A finished run as the {@link GenerationDriver} decides on it: whatever type a
 * {@link BatchEvaluator} returns and a {@link SearchLog} stores exposes these figures.
 *
 * <p>Units: accuracy is a fraction in [0, 1], memory in bytes.
 */
public interface RunOutcome {
    /** Content hash of the run spec: the run's identity. */
    String runId();

    /** Fidelity level the run was trained at (0 = the base budget). */
    int fidelity();

    /** Top-1 accuracy the search ranks this run by. */
    double testAccuracy();

    /** Peak SRAM of one training step by the arena simulation, in bytes. */
    long arenaBytes();
}
