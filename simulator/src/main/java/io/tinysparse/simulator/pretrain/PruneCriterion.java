package io.tinysparse.simulator.pretrain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tinysparse.core.InvalidInputException;
import java.util.Locale;

/**
 * How the importance of a channel group is measured when a backbone is pruned
 * ({@link Pruning}); the least important channels of every group are removed.
 */
public enum PruneCriterion {
    /**
     * The L2 norm of every weight tied to the channel across its group (the producing convs'
     * output rows, the depthwise filter, the consuming convs' input columns, the classifier's
     * column), measured on the batch-norm-folded weights, the ones the device runs: before
     * folding, a conv followed by batch norm is scale-invariant and its raw weight norm says
     * nothing about the channel's output. Needs no data.
     */
    L2,
    /**
     * First-order Taylor (Molchanov et al., CVPR 2019): on source batches, the estimated change of
     * the loss when the channel's whole group is zeroed, {@code (sum over its parameters of w * dL/dw)^2},
     * averaged over the batches. Measures what the source data needs.
     */
    TAYLOR;

    /** The name on the command line and in JSON. */
    @JsonValue
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The criterion called {@code name}.
     *
     * @throws InvalidInputException naming it if it is neither {@code l2} nor {@code taylor}
     */
    @JsonCreator
    public static PruneCriterion parse(String name) {
        for (PruneCriterion c : values()) {
            if (c.cliName().equals(name)) {
                return c;
            }
        }
        throw new InvalidInputException("unknown prune criterion '" + name + "' (known: l2, taylor)");
    }
}
