package io.tinysparse.simulator.memory;

import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * The memory model of Lin et al. (NeurIPS 2022), exactly as tiny-training's
 * {@code nelem_saved_for_backward} computes it (METHODS.md §3), in bits, batch 1:
 *
 * <ul>
 *   <li>each of the last {@code n_bias_update} convolutions: a 1-bit mask of its output,
 *       {@code C_out * H_out * W_out}, plus its biases, {@code 32 * C_out};
 *   <li>each weight-updated convolution with {@code c} selected input channels: the saved
 *       input, {@code 8 * H_in * W_in * c}, plus the trainable weights, {@code 8 * C_out * c * k * k}
 *       ({@code 8 * c * k * k} for depthwise);
 *   <li>the classifier's input, {@code 8 * fc_in}; classifier weights are not counted.
 * </ul>
 *
 * Bytes are {@code ceil(bits / 8)}. Not counted, as in the source: forward activations,
 * gradient buffers (updates are applied in place right after each gradient), momentum (plain
 * SGD), frozen weights (in Flash). Extension beyond the source, whose classifier is always
 * trained: with a frozen classifier the classifier input is not counted.
 *
 * <p>All per-layer terms are precomputed; {@link #peakBytes} is a sum over the policy's weight
 * layers plus a table lookup.
 */
public final class Lin2022Estimator implements MemoryEstimator {
    /** This estimator's name. */
    public static final String NAME = "lin2022";

    private static final int ACT_BITS = 8;
    private static final int WEIGHT_BITS = 8;
    private static final int BIAS_BITS = 32;
    private static final int MASK_BITS = 1;

    private final LayerTable table;
    private final int n;
    /** suffixBits[k]: mask + bias bits of the last k convolutions. */
    private final long[] suffixBits;
    /** Bits per selected input channel of layer i: saved input plane plus its weights. */
    private final long[] channelBits;
    private final long fcBits;

    public Lin2022Estimator(LayerTable table) {
        this.table = table;
        this.n = table.convCount();
        this.suffixBits = new long[n + 1];
        this.channelBits = new long[n];
        for (int k = 1; k <= n; k++) {
            suffixBits[k] = suffixBits[k - 1] + baseBits(table.conv(n - k));
        }
        for (int i = 0; i < n; i++) {
            ConvLayer c = table.conv(i);
            channelBits[i] = ACT_BITS * c.inputPlane() + WEIGHT_BITS * c.weightsPerInputChannel();
        }
        this.fcBits = (long) ACT_BITS * table.classifier().inFeatures();
    }

    private static long baseBits(ConvLayer c) {
        return MASK_BITS * c.outputElements() + (long) BIAS_BITS * c.outChannels();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LayerTable table() {
        return table;
    }

    @Override
    public long peakBytes(SparseUpdatePolicy policy) {
        return (totalBits(policy) + 7) >>> 3;
    }

    /** The formula's total in bits (tiny-training's return value). */
    public long totalBits(SparseUpdatePolicy policy) {
        policy.validate(table);
        long bits = suffixBits[policy.biasLayers()] + (policy.trainClassifier() ? fcBits : 0);
        List<WeightUpdate> ws = policy.weights();
        for (int j = 0, m = ws.size(); j < m; j++) {
            WeightUpdate w = ws.get(j);
            int layer = w.layer();
            bits += w.channelsOf(table.conv(layer).inChannels()) * channelBits[layer];
        }
        return bits;
    }

    @Override
    public MemoryReport report(SparseUpdatePolicy policy) {
        long totalBits = totalBits(policy);
        List<MemoryReport.Entry> entries = new ArrayList<>();
        for (int i = policy.firstBiasLayer(n); i < n; i++) {
            ConvLayer c = table.conv(i);
            add(entries, i, BufferKind.RELU_MASK, MASK_BITS * c.outputElements());
            add(entries, i, BufferKind.TRAINABLE_BIASES, (long) BIAS_BITS * c.outChannels());
            WeightUpdate w = policy.weightUpdate(i);
            if (w != null) {
                int ch = w.channelsOf(c.inChannels());
                add(entries, i, BufferKind.SAVED_INPUT, (long) ACT_BITS * c.inputPlane() * ch);
                add(entries, i, BufferKind.TRAINABLE_WEIGHTS, (long) WEIGHT_BITS * c.weightsPerInputChannel() * ch);
            }
        }
        if (policy.trainClassifier()) {
            add(entries, n, BufferKind.SAVED_INPUT, fcBits);
        }
        // Entries are whole bytes; the formula's total rounds once, so put any sub-byte remainder
        // (only possible for odd-sized masks) on the last entry to keep the sum exact.
        long total = (totalBits + 7) >>> 3;
        long sum = 0;
        for (MemoryReport.Entry e : entries) {
            sum += e.bytes();
        }
        if (sum != total && !entries.isEmpty()) {
            MemoryReport.Entry last = entries.remove(entries.size() - 1);
            entries.add(new MemoryReport.Entry(last.layer(), last.kind(), last.bytes() + total - sum));
        }
        return new MemoryReport(NAME, table.spec().label(), n, policy, total,
                new MemoryReport.Peak("formula", policy.firstBiasLayer(n),
                        "saved for backward when the backward pass starts (Lin et al. formula)"),
                entries, MemoryReport.sumByKind(entries));
    }

    private static void add(List<MemoryReport.Entry> entries, int layer, BufferKind kind, long bits) {
        if (bits > 0) {
            entries.add(new MemoryReport.Entry(layer, kind, bits >>> 3));
        }
    }
}
