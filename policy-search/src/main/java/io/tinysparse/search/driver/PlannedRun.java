package io.tinysparse.search.driver;

import io.tinysparse.simulator.run.RunSpec;
import java.util.Objects;

/**
 * A run the driver hands to a {@link BatchEvaluator}, with its id computed once.
 *
 * @param spec     what to train and measure
 * @param runId    {@code spec.runId()}
 * @param fidelity the fidelity level the run is trained at (0 = the base budget)
 * @param role     why the search trains it
 */
public record PlannedRun(RunSpec spec, String runId, int fidelity, RunRole role) {
    public PlannedRun {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(role, "role");
    }

    /** The searcher's run of {@code spec} at fidelity level {@code fidelity}, its id computed here. */
    public static PlannedRun of(RunSpec spec, int fidelity) {
        return of(spec, fidelity, RunRole.SEARCH);
    }

    /** The run of {@code spec} at fidelity level {@code fidelity} trained as {@code role}, its id computed here. */
    public static PlannedRun of(RunSpec spec, int fidelity, RunRole role) {
        return new PlannedRun(spec, spec.runId(), fidelity, role);
    }
}
