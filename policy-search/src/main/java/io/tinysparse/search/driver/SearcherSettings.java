package io.tinysparse.search.driver;

import io.tinysparse.core.InvalidInputException;

/**
 * The settings every {@link SearcherKind} draws from; each kind reads the ones it uses.
 *
 * @param seed       search seed
 * @param runs       runs in all (nsga2, random, grid); first-rung candidates per bracket (halving)
 * @param population candidates per generation (nsga2's population; the batch size of the others)
 * @param rungs      halving: rungs, at 1, eta, eta^2, ... times the base budget
 * @param eta        halving: 1/eta of a rung is promoted
 * @param brackets   halving: brackets, each with fresh candidates
 * @param finalists  contribution: best predicted combinations trained at the end
 * @param steadyState the search runs without a generation barrier ({@link SteadyState}): nsga2
 *                   becomes steady-state NSGA-II; the others are unchanged
 */
public record SearcherSettings(long seed, int runs, int population, int rungs, int eta, int brackets,
        int finalists, boolean steadyState) {
    public SearcherSettings {
        if (runs < 1 || population < 1) {
            throw new InvalidInputException("--runs " + runs + " and --population " + population + " must be >= 1");
        }
        if (rungs < 1 || eta < 2 || brackets < 1 || finalists < 1) {
            throw new InvalidInputException("--rungs " + rungs + ", --brackets " + brackets + ", --finalists "
                    + finalists + " must be >= 1 and --eta " + eta + " >= 2");
        }
    }

    /** These settings for a steady-state ({@code true}) or generational search. */
    public SearcherSettings withSteadyState(boolean on) {
        return new SearcherSettings(seed, runs, population, rungs, eta, brackets, finalists, on);
    }

    /** Settings of a generational search. */
    public SearcherSettings(long seed, int runs, int population, int rungs, int eta, int brackets, int finalists) {
        this(seed, runs, population, rungs, eta, brackets, finalists, false);
    }
}
