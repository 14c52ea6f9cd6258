package io.tinysparse.simulator.memory;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;

/**
 * Estimates the SRAM that one training step (batch 1) of one model needs under a sparse-update
 * policy. An instance is bound to one {@link LayerTable} and precomputes what it can from it.
 *
 * <p>Contract: {@link #peakBytes} and {@link #report} agree ({@code report(p).totalBytes() ==
 * peakBytes(p)}); both validate the policy against the table and throw
 * {@link InvalidInputException} when it does not fit. {@link #peakBytes} allocates no objects on
 * its successful path, so a search can call it millions of times. Implementations are
 * thread-safe.
 */
public interface MemoryEstimator {

    /** The estimator's name: {@code lin2022} or {@code arena}. */
    String name();

    /** The layer table this estimator was built for. */
    LayerTable table();

    /** Peak SRAM bytes of one training step under {@code policy}; allocation-free. */
    long peakBytes(SparseUpdatePolicy policy);

    /** The full report: total, where the peak is, and what is live there. */
    MemoryReport report(SparseUpdatePolicy policy);

    /**
     * The estimator called {@code name} for {@code spec}: {@code lin2022}, or {@code arena}
     * with {@code config} (ignored by lin2022).
     *
     * @throws InvalidInputException for an unknown name
     */
    static MemoryEstimator create(String name, ModelSpec spec, ArenaConfig config) {
        if (Lin2022Estimator.NAME.equals(name)) {
            return new Lin2022Estimator(spec.layers());
        }
        if (ArenaEstimator.NAME.equals(name)) {
            return new ArenaEstimator(spec.layers(), config);
        }
        throw new InvalidInputException("unknown estimator '" + name + "' (known: lin2022, arena)");
    }
}
