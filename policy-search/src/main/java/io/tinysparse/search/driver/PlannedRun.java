package io.tinysparse.search.driver;

import io.tinysparse.search.Candidate;
import io.tinysparse.simulator.run.RunSpec;
import java.util.Objects;

/**
 * A candidate of a generation and the run that evaluates it, with the run id computed once.
 * Two candidates of one search can map to the same run (a genome promoted twice at one
 * fidelity); the run is then trained once and its result told to both.
 *
 * @param candidate what the searcher asked for
 * @param spec      the run: the candidate's policy, trained at its fidelity's budget
 * @param runId     {@code spec.runId()}
 */
public record PlannedRun(Candidate candidate, RunSpec spec, String runId) {
    public PlannedRun {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(runId, "runId");
    }

    /** The run of {@code candidate}, its id computed here. */
    public static PlannedRun of(Candidate candidate, RunSpec spec) {
        return new PlannedRun(candidate, spec, spec.runId());
    }

    /** Fidelity level of the candidate. */
    public int fidelity() {
        return candidate.fidelity().level();
    }
}
