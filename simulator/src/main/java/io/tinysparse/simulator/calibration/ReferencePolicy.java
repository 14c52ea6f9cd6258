package io.tinysparse.simulator.calibration;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.train.SparseTrainer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One policy of the calibration's reference set (issue 11 item 5), with the network form it is
 * fine-tuned in.
 *
 * @param name     short name printed in the tables, e.g. {@code 99kb-static}
 * @param policy   the sparse-update policy (validated against the model)
 * @param unfolded true: fine-tuned on the network with its batch norms unfolded and trained, as
 *                 dense fine-tuning is run off the device; false: folded, as every run of a search
 * @param runningStatistics with {@code unfolded}: the batch norms normalise with their running
 *                 statistics, held fixed, instead of each batch's
 */
public record ReferencePolicy(String name, SparseUpdatePolicy policy, boolean unfolded, boolean runningStatistics) {
    public ReferencePolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        if (runningStatistics && !unfolded) {
            throw new IllegalArgumentException(name + ": running statistics need the unfolded network");
        }
    }

    /** A policy run as every run of a search: on the folded network. */
    static ReferencePolicy folded(String name, SparseUpdatePolicy policy) {
        return new ReferencePolicy(name, policy, false, false);
    }

    /** Bias depth of the 99kb scheme (METHODS.md section 3). */
    static final int SCHEME_BIAS_LAYERS = 25;

    /**
     * The reference set for mbv2-w0.35's layer table ({@code layers} must have at least 49
     * convolutions, the 99kb scheme's last weight layer being 48):
     * <ul>
     *   <li>{@code classifier}: the classifier alone;
     *   <li>{@code bias-25}: biases of the last 25 convolutions and the classifier;
     *   <li>{@code dense-folded}: every parameter, batch norm folded (as a search would run it);
     *   <li>{@code 99kb-static}, {@code 99kb-cyclic}, {@code 99kb-random}: the 99kb scheme with
     *       its static magnitude+ mask, and its layers and ratios re-selected every step
     *       cyclically or at random;
     *   <li>{@code early-blocks}: biases from the first conv of block 3 on, weights of the expand
     *       convs of blocks 3-5 (layers 9, 12, 15) in full: an update that reaches the early
     *       stages and no late weights;
     *   <li>{@code all-bias+early}: every bias, weights of the expand convs of blocks 1-2
     *       (layers 3, 6) at half their input channels, and the 99kb scheme's weights;
     *   <li>{@code dense-bn}: every parameter on the unfolded network, batch norm trained with
     *       batch statistics, and {@code dense-bn-running}: the same with the running statistics
     *       held fixed (the reference upper bound as users run dense fine-tuning; reported beside
     *       the others, not ranked).
     * </ul>
     */
    public static List<ReferencePolicy> referenceSet(LayerTable layers) {
        int n = layers.convCount();
        if (n < 49) {
            throw new InvalidInputException("the reference set needs mbv2-w0.35's 51 convolutions, "
                    + layers.spec().label() + " has " + n);
        }
        List<WeightUpdate> scheme = List.of(WeightUpdate.full(27), WeightUpdate.full(30), WeightUpdate.full(33),
                WeightUpdate.full(36), WeightUpdate.full(39), WeightUpdate.ratio(42, 0.125), WeightUpdate.ratio(45, 0.5),
                WeightUpdate.full(48));
        SparseUpdatePolicy kb99 = SparseUpdatePolicy.of(SCHEME_BIAS_LAYERS, scheme);
        List<WeightUpdate> early = new ArrayList<>(List.of(WeightUpdate.ratio(3, 0.5), WeightUpdate.ratio(6, 0.5)));
        early.addAll(scheme);
        SparseUpdatePolicy dense = SparseTrainer.densePolicy(layers);
        List<ReferencePolicy> set = List.of(
                folded("classifier", SparseUpdatePolicy.biasOnly(0)),
                folded("bias-25", SparseUpdatePolicy.biasOnly(SCHEME_BIAS_LAYERS)),
                folded("dense-folded", dense),
                folded("99kb-static", kb99),
                folded("99kb-cyclic", kb99.withSelection(ChannelSelection.dynamic(SelectionStrategy.CYCLIC, 1))),
                folded("99kb-random", kb99.withSelection(ChannelSelection.dynamic(SelectionStrategy.DYNAMIC_RANDOM, 1))),
                folded("early-blocks", SparseUpdatePolicy.of(n - 9,
                        List.of(WeightUpdate.full(9), WeightUpdate.full(12), WeightUpdate.full(15)))),
                folded("all-bias+early", SparseUpdatePolicy.of(n, early)),
                new ReferencePolicy("dense-bn", dense, true, false),
                new ReferencePolicy("dense-bn-running", dense, true, true));
        for (ReferencePolicy p : set) {
            p.policy().validate(layers);
        }
        return set;
    }
}
