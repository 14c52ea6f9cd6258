package io.tinysparse.simulator.policy;

import java.util.List;

/** Sparse-update schemes published with tiny-training, as test fixtures. */
public final class PublishedSchemes {
    private PublishedSchemes() {}

    /** The "99kb" scheme for mbv2-w0.35 at 128x128 (METHODS.md §3). */
    public static SparseUpdatePolicy mbv2W035At99kB() {
        return SparseUpdatePolicy.of(25, List.of(
                WeightUpdate.full(27), WeightUpdate.full(30), WeightUpdate.full(33), WeightUpdate.full(36),
                WeightUpdate.full(39), WeightUpdate.ratio(42, 0.125), WeightUpdate.ratio(45, 0.5), WeightUpdate.full(48)));
    }
}
