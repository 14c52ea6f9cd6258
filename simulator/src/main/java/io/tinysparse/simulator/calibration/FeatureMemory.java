package io.tinysparse.simulator.calibration;

import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.BufferKind;
import io.tinysparse.simulator.memory.BufferPrecision;
import io.tinysparse.simulator.memory.Lin2022Estimator;
import io.tinysparse.simulator.memory.SramArena;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;

/**
 * The feature memory of one training step (batch 1) under a policy: the activations the forward
 * pass keeps for the backward pass, by each of the two memory estimators. Both count the same
 * three things, all live together when the backward pass starts:
 * <ul>
 *   <li>for each weight-updated convolution, its selected input channels ({@code c * H_in * W_in}
 *       values, 8 bit), kept for the weight gradient ({@link BufferKind#SAVED_INPUT});
 *   <li>for each bias-trained convolution, the 1-bit mask of where its ReLU6 / int8 clamp passed
 *       the gradient ({@code C_out * H_out * W_out} bits, {@link BufferKind#RELU_MASK});
 *   <li>the classifier's input ({@code fc_in} values, 8 bit) when the classifier is trained.
 * </ul>
 * Not features: trained weights and biases, gradients, the classifier's parameters.
 *
 * <p>They differ only in rounding: {@code lin2022} is the Lin et al. formula's saved-input and
 * mask terms (its report's {@code saved-input} and {@code relu-mask} kinds, the total rounded up
 * to a byte once); {@code arena} allocates each of these buffers in an {@link SramArena} with
 * the arena estimator's default precisions and alignment ({@link ArenaConfig#DEFAULT}: each
 * buffer rounded up to a byte and then to 4 bytes).
 *
 * @param lin2022Bytes feature bytes by the Lin et al. formula
 * @param arenaBytes   feature bytes as the arena estimator allocates them
 */
public record FeatureMemory(long lin2022Bytes, long arenaBytes) {

    /** The feature memory of {@code policy} on {@code layers} (validates the policy). */
    public static FeatureMemory of(LayerTable layers, SparseUpdatePolicy policy) {
        policy.validate(layers);
        var byKind = new Lin2022Estimator(layers).report(policy).byKind();
        long lin = byKind.getOrDefault(BufferKind.SAVED_INPUT, 0L) + byKind.getOrDefault(BufferKind.RELU_MASK, 0L);
        int n = layers.convCount();
        ArenaConfig config = ArenaConfig.DEFAULT;
        BufferPrecision bits = config.precision();
        SramArena arena = new SramArena(2 * n + 1, config.alignmentBytes());
        for (WeightUpdate w : policy.weights()) {
            ConvLayer c = layers.conv(w.layer());
            arena.allocate(BufferKind.SAVED_INPUT, w.layer(), w.channelsOf(c.inChannels()) * c.inputPlane(),
                    bits.of(BufferKind.SAVED_INPUT));
        }
        for (int i = policy.firstBiasLayer(n); i < n; i++) {
            arena.allocate(BufferKind.RELU_MASK, i, layers.conv(i).outputElements(), bits.of(BufferKind.RELU_MASK));
        }
        if (policy.trainClassifier()) {
            arena.allocate(BufferKind.ACTIVATION, n, layers.classifier().inFeatures(), bits.of(BufferKind.ACTIVATION));
        }
        return new FeatureMemory(lin, arena.peakBytes());
    }

    /** {@code 1 - this / reference} by each estimator: {@code [lin2022, arena]}. */
    public double[] reductionAgainst(FeatureMemory reference) {
        return new double[] {1 - (double) lin2022Bytes / reference.lin2022Bytes,
            1 - (double) arenaBytes / reference.arenaBytes};
    }
}
