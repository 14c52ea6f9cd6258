package io.tinysparse.simulator.memory;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SRAM one training step needs under a policy, as one estimator sees it.
 *
 * <p>Layer numbers in {@link Entry#layer()}: {@code -1} is the input image, {@code 0 .. n-1} the
 * convolutions, {@code n} (the number of convolutions) the pooling + classifier head. A buffer
 * belongs to the layer whose operation wrote it: an activation to the convolution that produced
 * it, an activation gradient to the convolution whose backward produced it (the gradient w.r.t.
 * that convolution's input; the head's for the gradient of the last output), saved inputs,
 * masks, parameter gradients and trained parameters to the layer they serve.
 *
 * @param estimator  name of the estimator ({@code lin2022} or {@code arena})
 * @param model      label of the model ({@link io.tinysparse.simulator.model.ModelSpec#label()})
 * @param convCount  number of convolutions (so {@code convCount} is the head's layer number)
 * @param policy     the policy estimated
 * @param totalBytes peak SRAM bytes of the step (for lin2022, the formula's total)
 * @param peak       where the peak happens
 * @param breakdown  the bytes live at the peak, summed per (layer, kind), sorted by layer then kind;
 *                   the entries sum to {@code totalBytes}
 * @param byKind     the bytes live at the peak per kind (kinds with none omitted)
 */
public record MemoryReport(
        String estimator, String model, int convCount, SparseUpdatePolicy policy, long totalBytes, Peak peak,
        List<Entry> breakdown, Map<BufferKind, Long> byKind) {

    /** Bytes of one buffer kind attributed to one layer. */
    public record Entry(int layer, BufferKind kind, long bytes) {}

    /**
     * Where the peak happens.
     *
     * @param phase       {@code resident}, {@code forward} or {@code backward} ({@code formula}
     *                    for lin2022, whose total is what is held when the backward pass starts)
     * @param layer       layer whose operation was running (same numbering as {@link Entry#layer()})
     * @param description human-readable, e.g. {@code forward conv 3 (pointwise expand)}
     */
    public record Peak(String phase, int layer, String description) {}

    public MemoryReport {
        Objects.requireNonNull(estimator, "estimator");
        breakdown = List.copyOf(breakdown);
        byKind = Map.copyOf(byKind);
        long sum = 0;
        for (Entry e : breakdown) {
            sum += e.bytes();
        }
        if (sum != totalBytes) {
            throw new InvalidInputException("breakdown sums to " + sum + " bytes, not totalBytes " + totalBytes);
        }
    }

    /** Total in KiB (bytes / 1024), as tiny-training prints "kB". */
    public double totalKiB() {
        return totalBytes / 1024.0;
    }

    /** Name of a layer number: {@code input}, {@code conv27}, {@code classifier}. */
    public String layerName(int layer) {
        return layer < 0 ? "input" : layer >= convCount ? "classifier" : "conv" + layer;
    }

    /** Sums entries per kind. */
    static Map<BufferKind, Long> sumByKind(List<Entry> entries) {
        EnumMap<BufferKind, Long> m = new EnumMap<>(BufferKind.class);
        for (Entry e : entries) {
            m.merge(e.kind(), e.bytes(), Long::sum);
        }
        return m;
    }
}
