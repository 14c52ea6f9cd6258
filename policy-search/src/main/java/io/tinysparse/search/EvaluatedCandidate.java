package io.tinysparse.search;

import io.tinysparse.core.InvalidInputException;
import java.util.Objects;

/**
 * A candidate together with its evaluation: what fronts and populations are made of.
 *
 * @param candidate  the point
 * @param evaluation its result; same id and fidelity as the candidate
 */
public record EvaluatedCandidate(Candidate candidate, Evaluation evaluation) {
    public EvaluatedCandidate {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(evaluation, "evaluation");
        if (candidate.id() != evaluation.candidateId()) {
            throw new InvalidInputException("evaluation of candidate " + evaluation.candidateId()
                    + " paired with candidate " + candidate.id());
        }
        if (!candidate.fidelity().equals(evaluation.fidelity())) {
            throw new InvalidInputException("candidate " + candidate.id() + " was asked at fidelity "
                    + candidate.fidelity() + " but told at " + evaluation.fidelity());
        }
    }

    /** The candidate id. */
    public long id() {
        return candidate.id();
    }
}
