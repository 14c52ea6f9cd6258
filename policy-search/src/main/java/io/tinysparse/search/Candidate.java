package io.tinysparse.search;

import io.tinysparse.core.InvalidInputException;
import java.util.Objects;

/**
 * A point a searcher wants evaluated: its genome at a fidelity, under an id that is stable for
 * the life of the search (ids are handed out in increasing order, are never reused, and survive
 * a save and restore). The same genome evaluated at two fidelities is two candidates.
 *
 * @param id       non-negative, unique within one search
 * @param genome   the point to evaluate
 * @param fidelity the training budget to evaluate it with
 */
public record Candidate(long id, Genome genome, Fidelity fidelity) {
    public Candidate {
        if (id < 0) {
            throw new InvalidInputException("candidate id must be >= 0, got " + id);
        }
        Objects.requireNonNull(genome, "candidate genome");
        Objects.requireNonNull(fidelity, "candidate fidelity");
    }
}
