package io.tinysparse.search.fidelity;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.engine.Admission;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of a {@link SuccessiveHalvingSearcher}.
 *
 * @param seed              seed of the sampler
 * @param multipliers       training-budget multiplier of each rung, strictly increasing, first
 *                          >= 1 (for example 1, 3, 9: rung r trains {@code multipliers[r]}
 *                          times the evaluator's base budget)
 * @param initialCandidates candidates sampled into rung 0 of each bracket, >= 1
 * @param eta               reduction factor: rung r+1 gets {@code max(1, floor(n_r / eta))} of
 *                          the n_r candidates of rung r, >= 2
 * @param brackets          brackets run one after the other, each with fresh samples, >= 1
 * @param maxAttempts       random draws allowed to find one new feasible genome, >= 1
 */
public record HalvingConfig(long seed, List<Integer> multipliers, int initialCandidates, int eta, int brackets,
        int maxAttempts) {
    public HalvingConfig {
        if (multipliers == null || multipliers.isEmpty()) {
            throw new InvalidInputException("multipliers must list at least one training-budget multiplier");
        }
        multipliers = List.copyOf(multipliers);
        int previous = 0;
        for (int m : multipliers) {
            if (m <= previous) {
                throw new InvalidInputException("multipliers must be >= 1 and strictly increasing, got " + multipliers);
            }
            previous = m;
        }
        if (initialCandidates < 1) {
            throw new InvalidInputException("initialCandidates must be >= 1, got " + initialCandidates);
        }
        if (eta < 2) {
            throw new InvalidInputException("eta must be >= 2, got " + eta);
        }
        if (brackets < 1) {
            throw new InvalidInputException("brackets must be >= 1, got " + brackets);
        }
        Admission.requireAttempts(maxAttempts);
    }

    /** Rungs at multipliers 1, eta, eta^2, ... ({@code rungs} of them), one bracket. */
    public static HalvingConfig geometric(long seed, int rungs, int eta, int initialCandidates) {
        if (rungs < 1) {
            throw new InvalidInputException("rungs must be >= 1, got " + rungs);
        }
        List<Integer> m = new ArrayList<>();
        long v = 1;
        for (int r = 0; r < rungs; r++) {
            m.add(Math.toIntExact(v));
            v *= eta;
        }
        return new HalvingConfig(seed, m, initialCandidates, eta, 1, 10_000);
    }

    /** Candidates promoted from a completed rung of {@code rungSize}: the best 1/eta, at least one. */
    public int promoted(int rungSize) {
        return Math.max(1, rungSize / eta);
    }

    /**
     * Candidates asked over all brackets when every rung fills: {@code initialCandidates} at rung
     * 0, {@link #promoted} of the previous rung at each next one.
     */
    public long plannedCandidates() {
        long perBracket = 0;
        int n = initialCandidates;
        for (int r = 0; r < rungs(); r++) {
            perBracket += n;
            n = promoted(n);
        }
        return perBracket * brackets;
    }

    /** The fidelity of rung {@code r}. */
    public Fidelity fidelity(int rung) {
        return new Fidelity(rung, multipliers.get(rung));
    }

    /** Number of rungs. */
    public int rungs() {
        return multipliers.size();
    }
}
