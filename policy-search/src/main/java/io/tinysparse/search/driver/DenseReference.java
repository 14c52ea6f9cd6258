package io.tinysparse.search.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.simulator.run.TrainingBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reference upper bound a finished search reports beside its front: dense fine-tuning as its
 * users run it off the device. Every parameter is trained, on the backbone with its batch norms
 * unfolded (scale and shift trained, normalised with the running statistics of pretraining held
 * fixed: batch statistics fail at batch 1, {@code docs/EXPERIMENTS.md}), at a learning rate
 * dense training is stable at (0.01 by default: the largest of the calibration grid at which the
 * folded dense run does not diverge at batch 1, and the rate dense selected at both budgets
 * measured).
 *
 * <p>The reference runs are paired with the report runs of the front: replicate k trains on the
 * same subset, from the same classifier initialisation, in the same sample order as replicate k
 * of every front policy, for the same number of steps (the front's fidelity), with the same
 * warm-up and evaluations; only the update (all of it) and the learning rate differ. Their SRAM
 * is estimated for the folded network a device would run: for the unfolded network it is a lower
 * bound (batch-norm inputs and statistics come on top). Dense training does not fit a 256 KB
 * device; it is a reference, never a candidate, and no decision of the search depends on it.
 *
 * @param backboneHash content hash of the unfolded backbone the dense runs fine-tune (the
 *                     search's backbone before folding, with the same new classifier)
 * @param learningRate peak learning rate of the dense runs, > 0
 */
public record DenseReference(String backboneHash, double learningRate) {
    /** The learning rate of dense runs unless configured otherwise. */
    public static final double DEFAULT_LEARNING_RATE = 0.01;

    private static final String KEY = "dense_reference";

    public DenseReference {
        Objects.requireNonNull(backboneHash, "backboneHash");
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("dense reference learning rate must be > 0, got " + learningRate);
        }
    }

    /**
     * The budget of a dense reference run paired with the search's runs of {@code multiplier}
     * times the base budget: the same steps, batch, momentum, warm-up and evaluations, this
     * reference's single learning rate (no grid), no linear probe, running statistics.
     */
    public TrainingBudget budget(TrainingBudget base, int multiplier) {
        TrainingBudget b = base.withIterations(base.iterations() * multiplier);
        return new TrainingBudget(b.iterations(), b.batchSize(), learningRate, b.momentum(), b.warmupIterations(),
                b.evaluations(), List.of(), null, true);
    }

    /** Adds this reference to a search's configuration (a search resumes only with the same reference). */
    void describe(Map<String, Object> config) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("backbone_hash", backboneHash);
        ref.put("learning_rate", learningRate);
        config.put(KEY, ref);
    }

    /**
     * Whether a stored configuration has a dense reference: a search started before references
     * existed resumes without one, as it was started.
     */
    public static boolean configured(String configJson) {
        try {
            JsonNode ref = new ObjectMapper().readTree(configJson).get(KEY);
            return ref != null && !ref.isNull();
        } catch (IOException e) {
            throw new UncheckedIOException("search configuration is not JSON", e);
        }
    }
}
