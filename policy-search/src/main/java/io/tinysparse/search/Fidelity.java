package io.tinysparse.search;

import io.tinysparse.core.InvalidInputException;

/**
 * How much training a candidate gets: level {@code level} of a searcher's fidelity ladder,
 * meaning {@code multiplier} times the evaluator's base training budget (iterations). Searchers
 * without multiple fidelities use {@link #BASE}. Results at different fidelities are not
 * comparable, so fronts are always computed per fidelity.
 *
 * @param level      0-based rung of the ladder, lowest budget first
 * @param multiplier factor applied to the evaluator's base training budget, at least 1
 */
public record Fidelity(int level, int multiplier) implements Comparable<Fidelity> {
    /** Level 0 at the evaluator's base budget: the fidelity of every single-fidelity search. */
    public static final Fidelity BASE = new Fidelity(0, 1);

    public Fidelity {
        if (level < 0) {
            throw new InvalidInputException("fidelity level must be >= 0, got " + level);
        }
        if (multiplier < 1) {
            throw new InvalidInputException("fidelity multiplier must be >= 1, got " + multiplier);
        }
    }

    @Override
    public int compareTo(Fidelity o) {
        int c = Integer.compare(level, o.level);
        return c != 0 ? c : Integer.compare(multiplier, o.multiplier);
    }

    @Override
    public String toString() {
        return "L" + level + "(" + multiplier + "x)";
    }
}
