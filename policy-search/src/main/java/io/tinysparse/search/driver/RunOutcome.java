package io.tinysparse.search.driver;

/**
 * A finished run as the {@link GenerationDriver} decides on it: whatever type a
 * {@link BatchEvaluator} returns and a {@link SearchLog} stores exposes these figures.
 *
 * <p>Units: accuracy is a fraction in [0, 1], memory in bytes, device time in milliseconds. The test split is held out:
 * the driver reads {@link #validationAccuracy()} for every decision and carries the test
 * accuracy only to the log.
 */
public interface RunOutcome {
    /** Content hash of the run spec: the run's identity. */
    String runId();

    /** The policy trained, as canonical JSON: runs of one policy at one fidelity are its replicates. */
    String policyJson();

    /** Fidelity level the run was trained at (0 = the base budget). */
    int fidelity();

    /** Training steps the run was given. */
    int iterations();

    /**
     * Top-1 accuracy on the validation split at the end of training: what every decision of a
     * search (ranking, promotion, contribution gains, fronts) is made on.
     */
    double validationAccuracy();

    /** Top-1 accuracy on the test split: reported, never used for a decision. */
    double testAccuracy();

    /** Peak SRAM of one training step by the arena simulation, in bytes. */
    long arenaBytes();

    /**
     * Estimated on-device time of one training step, in milliseconds, from the device profile
     * (the same for every run of a policy on one device): the third objective of a search with
     * {@code --objectives accuracy,memory,time}.
     */
    double deviceTimeMs();

    /**
     * Content hash of the backbone the run fine-tuned, or null where the search has one backbone
     * and does not say (runs of one policy on two backbones are two points of a search over
     * pruned backbones).
     */
    default String backboneHash() {
        return null;
    }
}
