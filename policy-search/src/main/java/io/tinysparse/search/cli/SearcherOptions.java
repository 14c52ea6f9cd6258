package io.tinysparse.search.cli;

import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.driver.SearcherKind;
import io.tinysparse.search.driver.SearcherSettings;
import picocli.CommandLine.Option;

/**
 * Which searcher a search runs and its settings ({@code @Mixin SearcherOptions searcher;}), as a
 * {@link SearcherKind} and {@link SearcherSettings}; each default is declared here once.
 */
public final class SearcherOptions {
    @Option(names = "--searcher", paramLabel = "NAME", defaultValue = "nsga2",
            description = "nsga2, model (a random-forest surrogate of accuracy, expected hypervolume improvement),"
                    + " random, grid (the space in order), halving (Pareto-aware successive halving over"
                    + " training budget) or contribution (Lin et al.'s contribution analysis) (default: ${DEFAULT-VALUE}).")
    String searcherName;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "200",
            description = "Runs to evaluate in all; with halving, the candidates of each bracket's first rung; ignored by"
                    + " contribution, whose run count follows from the space (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--rungs", paramLabel = "N", defaultValue = "3",
            description = "halving: rungs, at 1, eta, eta^2, ... times --iterations (default: ${DEFAULT-VALUE}).")
    int rungs;

    @Option(names = "--eta", paramLabel = "N", defaultValue = "3",
            description = "halving: 1/eta of a rung is promoted to the next (default: ${DEFAULT-VALUE}).")
    int eta;

    @Option(names = "--brackets", paramLabel = "N", defaultValue = "1",
            description = "halving: brackets, each with fresh candidates (default: ${DEFAULT-VALUE}).")
    int brackets;

    @Option(names = "--finalists", paramLabel = "N", defaultValue = "5",
            description = "contribution: best predicted combinations trained at the end (default: ${DEFAULT-VALUE}).")
    int finalists;

    @Option(names = "--population", paramLabel = "N", defaultValue = "40",
            description = "Candidates per generation (default: ${DEFAULT-VALUE}).")
    int population;

    @Option(names = "--objectives", paramLabel = "LIST", defaultValue = "accuracy,memory",
            description = "What the search trades off: accuracy,memory (validation accuracy against peak SRAM), or"
                    + " accuracy,memory,time (also the estimated device time of a training step, from the device"
                    + " profile; nsga2, random, grid and halving take it) (default: ${DEFAULT-VALUE}).")
    String objectives;

    /**
     * The objectives named by {@code --objectives}, checked against the searcher: bad input naming
     * the value for an unknown or repeated name, a list without accuracy, or a searcher that cannot take them.
     */
    public ObjectiveMode objectives() {
        ObjectiveMode mode = ObjectiveMode.parse(objectives);
        kind().requireSupports(mode);
        return mode;
    }

    /** The searcher named by {@code --searcher}; bad input naming it if there is none of that name. */
    public SearcherKind kind() {
        return SearcherKind.byName(searcherName);
    }

    /** The searcher settings, with the search seed {@code seed}. */
    public SearcherSettings settings(long seed) {
        return new SearcherSettings(seed, runs, population, rungs, eta, brackets, finalists);
    }
}
