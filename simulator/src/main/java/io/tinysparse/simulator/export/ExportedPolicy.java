package io.tinysparse.simulator.export;

import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import java.util.Objects;

/**
 * One front member of a search as an export writes it: the policy, the model it was searched
 * on, and what the search measured, for the exported file's header comment.
 *
 * @param searchId           the search
 * @param runId              the member's representative run
 * @param pickedBy           how the member was chosen, in words ({@code "the knee of the front"}, {@code "--run-id"})
 * @param model              the model the policy was searched on (resolution and classes included)
 * @param policy             the policy, valid for {@code model}
 * @param runSeed            the run's seed (its channel selectors' seeds derive from it)
 * @param validationAccuracy the accuracy the search decided on (mean over replicates); null for fronts that predate it
 * @param testAccuracy       test accuracy (mean over replicates), reported only
 * @param arenaBytes         peak SRAM of one training step by the arena model, bytes
 * @param lin2022Bytes       SRAM by the Lin et al. 2022 formula, bytes; null for fronts that predate it
 * @param budgetBytes        the device's SRAM budget the search ran under, bytes
 */
public record ExportedPolicy(String searchId, String runId, String pickedBy, ModelSpec model, SparseUpdatePolicy policy,
        long runSeed, Double validationAccuracy, double testAccuracy, long arenaBytes, Long lin2022Bytes,
        long budgetBytes) {

    public ExportedPolicy {
        Objects.requireNonNull(searchId, "searchId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(pickedBy, "pickedBy");
        Objects.requireNonNull(model, "model");
        policy = Objects.requireNonNull(policy, "policy").validate(model);
    }
}
