package io.tinysparse.search;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tinysparse.core.InvalidInputException;
import java.util.Objects;

/**
 * The result of evaluating one {@link Candidate}, as told back to its searcher.
 *
 * <p>{@code constraintViolation} is how far the measured run broke a constraint (for example,
 * bytes by which the fully simulated peak SRAM exceeded the budget although the analytic model
 * let it through); 0 means feasible. Searchers rank by Deb's constraint domination: a feasible
 * result beats an infeasible one, and of two infeasible results the smaller violation wins.
 *
 * @param candidateId         id of the candidate this result is for
 * @param fidelity            fidelity it was evaluated at; must equal the candidate's
 * @param objectives          what was measured
 * @param constraintViolation finite and >= 0; 0 when every constraint held
 */
public record Evaluation(long candidateId, Fidelity fidelity, Objectives objectives, double constraintViolation) {
    public Evaluation {
        Objects.requireNonNull(fidelity, "evaluation fidelity");
        Objects.requireNonNull(objectives, "evaluation objectives");
        if (!(constraintViolation >= 0) || Double.isInfinite(constraintViolation)) {
            throw new InvalidInputException("constraintViolation of candidate " + candidateId
                    + " must be finite and >= 0, got " + constraintViolation);
        }
    }

    /** A feasible result for {@code candidate}. */
    public static Evaluation feasible(Candidate candidate, Objectives objectives) {
        return new Evaluation(candidate.id(), candidate.fidelity(), objectives, 0);
    }

    /** Whether every constraint held. */
    @JsonIgnore
    public boolean isFeasible() {
        return constraintViolation == 0;
    }
}
