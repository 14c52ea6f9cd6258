package io.tinysparse.simulator.pretrain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.hash.ContentHash;
import java.util.List;
import java.util.Objects;

/**
 * What pruning a backbone measured, stored in the pruned backbone's {@link BackboneProvenance}
 * (the settings themselves are in its spec's {@link Pruning}).
 *
 * @param parentParameterHash           parameter hash of the parent network that was pruned
 * @param parentHeldOutAccuracy         the parent's held-out accuracy, in {@code [0, 1]}
 * @param heldOutAccuracyBeforeRecovery the pruned network's held-out accuracy before the
 *                                      recovery fine-tuning, in {@code [0, 1]}
 * @param keptChannels                  per dependency group (in the network's order), the
 *                                      parent's channel indices kept, ascending
 * @param importanceSeconds             wall time of the importance measurement, seconds
 * @param bnReestimation                what re-estimating the batch-norm statistics after the
 *                                      surgery measured; null (and absent from the JSON) when
 *                                      the pruning re-estimated nothing ({@link Pruning#bnBatches()} 0)
 */
public record PruneOutcome(
        @JsonProperty("parent_parameter_hash") String parentParameterHash,
        @JsonProperty("parent_held_out_accuracy") double parentHeldOutAccuracy,
        @JsonProperty("held_out_accuracy_before_recovery") double heldOutAccuracyBeforeRecovery,
        @JsonProperty("kept_channels") List<List<Integer>> keptChannels,
        @JsonProperty("importance_seconds") double importanceSeconds,
        @JsonProperty("bn_reestimation") @JsonInclude(JsonInclude.Include.NON_NULL) BnReestimation bnReestimation) {

    public PruneOutcome {
        ContentHash.require(parentParameterHash, "parent_parameter_hash");
        if (!(parentHeldOutAccuracy >= 0 && parentHeldOutAccuracy <= 1)) {
            throw new InvalidInputException("parent_held_out_accuracy must be in [0, 1], got " + parentHeldOutAccuracy);
        }
        if (!(heldOutAccuracyBeforeRecovery >= 0 && heldOutAccuracyBeforeRecovery <= 1)) {
            throw new InvalidInputException("held_out_accuracy_before_recovery must be in [0, 1], got "
                    + heldOutAccuracyBeforeRecovery);
        }
        Objects.requireNonNull(keptChannels, "kept_channels");
        keptChannels = keptChannels.stream().map(List::copyOf).toList();
    }

    /** An outcome without batch-norm re-estimation. */
    public PruneOutcome(String parentParameterHash, double parentHeldOutAccuracy, double heldOutAccuracyBeforeRecovery,
            List<List<Integer>> keptChannels, double importanceSeconds) {
        this(parentParameterHash, parentHeldOutAccuracy, heldOutAccuracyBeforeRecovery, keptChannels, importanceSeconds,
                null);
    }

    /**
     * What re-estimating the pruned network's batch-norm statistics measured.
     *
     * @param heldOutAccuracy the pruned network's held-out accuracy after the re-estimation and
     *                        before the recovery, in {@code [0, 1]} (the surgery's alone is
     *                        {@link PruneOutcome#heldOutAccuracyBeforeRecovery()})
     * @param seconds         wall time of the re-estimation's forward passes, seconds
     */
    public record BnReestimation(
            @JsonProperty("held_out_accuracy") double heldOutAccuracy,
            @JsonProperty("seconds") double seconds) {
        public BnReestimation {
            if (!(heldOutAccuracy >= 0 && heldOutAccuracy <= 1)) {
                throw new InvalidInputException("bn_reestimation.held_out_accuracy must be in [0, 1], got "
                        + heldOutAccuracy);
            }
        }
    }
}
