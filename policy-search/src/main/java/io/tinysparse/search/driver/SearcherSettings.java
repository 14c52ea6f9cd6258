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
 */
public record SearcherSettings(long seed, int runs, int population, int rungs, int eta, int brackets,
        int finalists) {
    public SearcherSettings {
        if (runs < 1 || population < 1) {
            throw new InvalidInputException("--runs " + runs + " and --population " + population + " must be >= 1");
        }
        if (rungs < 1 || eta < 2 || brackets < 1 || finalists < 1) {
            throw new InvalidInputException("--rungs " + rungs + ", --brackets " + brackets + ", --finalists "
                    + finalists + " must be >= 1 and --eta " + eta + " >= 2");
        }
    }
}
