package io.tinysparse.search.driver;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Genome;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.contribution.ContributionAnalysisSearcher;
import io.tinysparse.search.contribution.ContributionConfig;
import io.tinysparse.search.fidelity.HalvingConfig;
import io.tinysparse.search.fidelity.SuccessiveHalvingSearcher;
import io.tinysparse.search.model.ModelConfig;
import io.tinysparse.search.model.ModelSearcher;
import io.tinysparse.search.nsga2.Nsga2Config;
import io.tinysparse.search.nsga2.Nsga2Searcher;
import io.tinysparse.search.sampling.GridConfig;
import io.tinysparse.search.sampling.GridSearcher;
import io.tinysparse.search.sampling.RandomConfig;
import io.tinysparse.search.sampling.RandomSearcher;
import io.tinysparse.search.space.MemoryBudget;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The searchers a search can be run with, by name: each creates its searcher from the common
 * {@link SearcherSettings} and names the settings that are part of a search's configuration.
 * Adding a searcher is one constant here (and its state type in {@code SearchCheckpoint}).
 */
public enum SearcherKind {
    /**
     * NSGA-II over the policy genome, generations of {@code population}, {@code runs} in all;
     * steady-state NSGA-II (population {@code population}) in a steady-state search.
     */
    NSGA2("nsga2") {
        @Override
        Searcher create(SearchProblem problem, MemoryBudget budget, SearcherSettings s) {
            return new Nsga2Searcher(problem, Nsga2Config.of(s.seed(), s.population(), s.runs())
                    .withSteadyState(s.steadyState()), budget);
        }
    },
    /**
     * Model-based: a memory-stratified design, then expected hypervolume improvement under a
     * random-forest surrogate of accuracy ({@link ModelSearcher}), {@code runs} in all.
     */
    MODEL("model") {
        @Override
        Searcher create(SearchProblem problem, MemoryBudget budget, SearcherSettings s) {
            return new ModelSearcher(problem, budget, ModelConfig.of(s.seed(), s.runs(), budget.budgetBytes(),
                    budget.space().contributionLayout()));
        }

        @Override
        String whyNot(ObjectiveMode mode) {
            return mode.dimensions() == 2 ? null : "its expected hypervolume improvement is exact over accuracy"
                    + " against memory only (a staircase in one exact dimension)";
        }
    },
    /** Uniform random feasible policies, {@code runs} in all. */
    RANDOM("random") {
        @Override
        Searcher create(SearchProblem problem, MemoryBudget budget, SearcherSettings s) {
            return new RandomSearcher(problem, RandomConfig.of(s.seed(), s.runs()));
        }
    },
    /** The space in index order, the first {@code runs} feasible policies. */
    GRID("grid") {
        @Override
        Searcher create(SearchProblem problem, MemoryBudget budget, SearcherSettings s) {
            return new GridSearcher(problem, new GridConfig(s.runs()));
        }
    },
    /** Pareto-aware successive halving over training budget: {@code runs} at rung 0, 1/eta promoted. */
    HALVING("halving") {
        @Override
        Searcher create(SearchProblem problem, MemoryBudget budget, SearcherSettings s) {
            HalvingConfig g = HalvingConfig.geometric(s.seed(), s.rungs(), s.eta(), s.runs());
            return new SuccessiveHalvingSearcher(problem, new HalvingConfig(s.seed(), g.multipliers(), s.runs(),
                    s.eta(), s.brackets(), g.maxAttempts()));
        }

        @Override
        void describe(SearcherSettings s, Map<String, Object> config) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("rungs", s.rungs());
            h.put("eta", s.eta());
            h.put("brackets", s.brackets());
            config.put("halving", h);
        }
    },
    /**
     * Lin et al.'s contribution analysis: every bias depth and (layer, ratio) measured once, then
     * the best predicted combinations ({@code finalists}) trained.
     */
    CONTRIBUTION("contribution") {
        @Override
        Searcher create(SearchProblem problem, MemoryBudget budget, SearcherSettings s) {
            // Every gene at its first value: bias depth and ratios are set by the analysis, and the first
            // selection of the space (the default space's: Lin et al.'s static magnitude) is used by all runs.
            Genome base = Genome.of(new int[budget.space().genomeSpace().dimensions()]);
            return new ContributionAnalysisSearcher(problem, new ContributionConfig(
                    budget.space().contributionLayout(), base, -1, budget.budgetBytes(), s.finalists()), budget);
        }

        @Override
        void describe(SearcherSettings s, Map<String, Object> config) {
            config.put("finalists", s.finalists());
        }

        @Override
        String whyNot(ObjectiveMode mode) {
            return mode.dimensions() == 2 ? null : "it picks its finalists by predicted accuracy under the memory"
                    + " budget alone (a knapsack over memory), with no notion of time";
        }
    };

    /**
     * Refuses a search over {@code backbones} pruned backbones (the ratio a gene) with a searcher
     * that cannot trade them: contribution analysis measures each layer's contribution on one
     * backbone.
     *
     * @throws InvalidInputException naming the searcher and the number of ratios
     */
    public void requireSupportsBackbones(int backbones) {
        if (backbones > 1 && this == CONTRIBUTION) {
            throw new InvalidInputException("--searcher contribution cannot search " + backbones + " pruning ratios"
                    + " at once: it measures each layer's contribution on one backbone (give one ratio, or another"
                    + " searcher)");
        }
    }

    private final String id;

    SearcherKind(String id) {
        this.id = id;
    }

    /** The name users give ({@code --searcher}). */
    public String id() {
        return id;
    }

    /** The searcher called {@code name}; bad input naming the accepted names otherwise. */
    public static SearcherKind byName(String name) {
        for (SearcherKind k : values()) {
            if (k.id.equals(name)) {
                return k;
            }
        }
        throw new InvalidInputException("--searcher '" + name + "' is not one of " + names());
    }

    /** The accepted names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(SearcherKind::id).collect(Collectors.joining(", "));
    }

    /** A new searcher of this kind over the budget's space, accuracy against memory. */
    public Searcher create(MemoryBudget budget, SearcherSettings settings) {
        return create(budget, ObjectiveMode.ACCURACY_MEMORY, settings);
    }

    /** A new searcher of this kind over the budget's space, on {@code mode}'s objectives ({@link #requireSupports}). */
    public Searcher create(MemoryBudget budget, ObjectiveMode mode, SearcherSettings settings) {
        requireSupports(mode);
        return create(budget.problem(mode), budget, settings);
    }

    /**
     * Checks that this searcher can optimise {@code mode}'s objectives: every searcher takes
     * accuracy and memory; NSGA-II (its non-dominated sort and crowding distance are n-D), random,
     * grid and halving (its promotion ranks by the same n-D sort) take time as well.
     *
     * @throws InvalidInputException naming the searcher and why it cannot
     */
    public void requireSupports(ObjectiveMode mode) {
        String why = whyNot(mode);
        if (why != null) {
            throw new InvalidInputException("--searcher " + id + " cannot take --objectives " + mode.id() + ": " + why
                    + "; use " + supporting(mode) + " for it");
        }
    }

    /** The searchers that take {@code mode}, comma-separated. */
    private static String supporting(ObjectiveMode mode) {
        return Arrays.stream(values()).filter(k -> k.whyNot(mode) == null).map(SearcherKind::id)
                .collect(Collectors.joining(", "));
    }

    /** Why this searcher cannot optimise {@code mode}, or null when it can. */
    String whyNot(ObjectiveMode mode) {
        return null;
    }

    abstract Searcher create(SearchProblem problem, MemoryBudget budget, SearcherSettings settings);

    /** Adds this kind's own settings to a search's configuration (the common ones are the caller's). */
    void describe(SearcherSettings settings, Map<String, Object> config) {}

}
