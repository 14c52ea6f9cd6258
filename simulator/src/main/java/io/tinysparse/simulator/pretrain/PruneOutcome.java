package io.tinysparse.simulator.pretrain;

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
 */
public record PruneOutcome(
        @JsonProperty("parent_parameter_hash") String parentParameterHash,
        @JsonProperty("parent_held_out_accuracy") double parentHeldOutAccuracy,
        @JsonProperty("held_out_accuracy_before_recovery") double heldOutAccuracyBeforeRecovery,
        @JsonProperty("kept_channels") List<List<Integer>> keptChannels,
        @JsonProperty("importance_seconds") double importanceSeconds) {

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
}
