package io.tinysparse.search.nsga2;

import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.Genome;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.SearcherState;
import io.tinysparse.search.MemoryCost;
import io.tinysparse.search.design.CandidatePool;
import io.tinysparse.search.design.MemoryStratifiedDesign;
import io.tinysparse.search.engine.AbstractSearcher;
import io.tinysparse.search.engine.EngineState;
import io.tinysparse.search.pareto.CrowdedRanking;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * NSGA-II (Deb, Pratap, Agarwal and Meyarivan, IEEE TEC 6(2), 2002) on a discrete genome,
 * generational, behind ask/tell:
 *
 * <ol>
 *   <li>Generation 0 is {@code populationSize} random genomes, or a memory-stratified design
 *       when the memory model is given.</li>
 *   <li>When every result of a generation is in, parents and offspring are merged and ranked by
 *       fast non-dominated sort under Deb's constraint domination (a result told with a
 *       violation loses to every feasible one), then crowding distance; the best
 *       {@code populationSize} become the parents.</li>
 *   <li>Offspring: binary tournament on the crowded-comparison order, uniform crossover,
 *       integer mutation ({@link Variation}).</li>
 * </ol>
 *
 * <p>The memory budget is a hard constraint enforced before evaluation: every genome, random
 * or bred, passes the {@link io.tinysparse.search.engine.Admission} gate (feasible, after the problem's repair if needed,
 * and never asked before). A refused child is discarded and bred again; after
 * {@code maxAttempts} consecutive refusals the slot takes a random new feasible genome; if
 * even that fails the generation is smaller and, if empty, the search ends. Refusals are counted
 * in {@link #stats()}. A whole generation is bred at once when the previous one completes, and
 * results are processed sorted by candidate id, so the candidate sequence is independent of
 * the order and grouping of tells.
 *
 * <p><b>Steady-state variant</b> ({@link Nsga2Config#steadyState()}; Durillo, Nebro, Luna and
 * Alba, "On the effect of the steady-state selection scheme in multi-objective genetic
 * algorithms", EMO 2009): for a driver that asks whenever an evaluation slot frees up. The
 * initial population is the same {@code populationSize} random genomes. Every tell merges its
 * results into the population at once (ranked as above, the worst dropped, so it never exceeds
 * {@code populationSize}), and every ask breeds its children from the population as it is then
 * (the same tournament and variation, the same gate). Until the population is full (fewer than
 * {@code populationSize} results told), an ask gets further random genomes instead: the initial
 * design grows rather than breeding from a partial population. With one candidate in flight at a
 * time this is the (mu+1) scheme. Because a child depends on the results told before it was
 * asked, the candidate sequence depends on the order and grouping of tells (the same order and
 * grouping give the same sequence); {@link #generation()} stays 0.
 */
public final class Nsga2Searcher extends AbstractSearcher {
    /** Random feasible genomes the initial design chooses from. */
    private static final int DESIGN_POOL = 512;
    private final Nsga2Config config;
    private final Variation variation;
    private int generation;
    private List<EvaluatedCandidate> population;
    private boolean exhausted;

    /** A new search; generation 0 is sampled immediately. */
    public Nsga2Searcher(SearchProblem problem, Nsga2Config config) {
        this(problem, config, null);
    }

    /**
     * A new search whose generation 0 is the memory-stratified design of {@code memory}'s
     * footprints ({@link MemoryStratifiedDesign}: feasible genomes spread evenly from the smallest
     * step to the largest that fits, topped up at random if the design comes out short), rather
     * than random genomes; {@code null} for random ones. Uniform draws from a policy space pile up
     * at deep bias depths and large steps, so a random generation 0 misses the small steps where
     * much of the hypervolume lies (docs/BENCHMARKS.md, "Why NSGA-II's first generations were
     * weak").
     */
    public Nsga2Searcher(SearchProblem problem, Nsga2Config config, MemoryCost memory) {
        super(problem, true, true, config.seed());
        this.config = config;
        this.variation = variation(problem, config);
        this.population = List.of();
        int n = (int) Math.min(config.populationSize(), config.maxCandidates());
        if (memory != null) {
            CandidatePool pool = new CandidatePool(problem, memory, g -> !admission.hasSeen(g))
                    .addRandom(Math.max(DESIGN_POOL, 8 * n), config.maxAttempts(), rng);
            for (Genome g : MemoryStratifiedDesign.design(problem.space(), pool, n, List.of())) {
                Genome admitted = admission.admit(g, rng);
                if (admitted != null) {
                    ledger.enqueue(admitted, Fidelity.BASE);
                }
            }
        }
        sampleRandom((int) (n - ledger.nextId()));
    }

    /** Queues up to {@code n} random new feasible genomes; marks the search exhausted when none is found. */
    private void sampleRandom(int n) {
        for (int i = 0; i < n && !exhausted; i++) {
            Genome g = admission.sampleNew(rng, config.maxAttempts());
            if (g == null) {
                exhausted = true;
            } else {
                ledger.enqueue(g, Fidelity.BASE);
            }
        }
    }

    private Nsga2Searcher(SearchProblem problem, State state) {
        super(problem, true, true, state.engine());
        for (EvaluatedCandidate e : state.population()) {
            problem.space().require(e.candidate().genome());
        }
        this.config = state.config();
        this.variation = variation(problem, config);
        this.generation = state.generation();
        this.population = List.copyOf(state.population());
        this.exhausted = state.exhausted();
    }

    /** Continues the search saved in {@code state}. */
    public static Nsga2Searcher restore(SearchProblem problem, State state) {
        return new Nsga2Searcher(problem, state);
    }

    private static Variation variation(SearchProblem problem, Nsga2Config config) {
        return new Variation(problem.space(), config.crossoverProbability(), config.mutationProbability());
    }

    @Override
    protected boolean actsOnEachTell() {
        return config.steadyState();
    }

    @Override
    protected void refill(int max) {
        if (!config.steadyState()) {
            return; // generational: a whole generation is bred when the previous one completes
        }
        int wanted = (int) Math.min(max, Math.max(0, config.maxCandidates() - ledger.nextId()));
        if (population.size() == config.populationSize()) {
            breed(wanted);
        } else {
            sampleRandom(wanted);
        }
    }

    @Override
    protected void onRoundComplete(List<EvaluatedCandidate> results) {
        population = survivors(results);
        if (config.steadyState()) {
            return; // the next ask breeds from the population as it is then
        }
        generation++;
        breed((int) Math.min(config.populationSize(), Math.max(0, config.maxCandidates() - ledger.nextId())));
    }

    /** The best {@code populationSize} of the population and {@code results}, by candidate id. */
    private List<EvaluatedCandidate> survivors(List<EvaluatedCandidate> results) {
        List<EvaluatedCandidate> merged = new ArrayList<>(population);
        merged.addAll(results);
        merged.sort(Comparator.comparingLong(EvaluatedCandidate::id));
        List<EvaluatedCandidate> survivors =
                CrowdedRanking.of(merged, problem.mode()).best(config.populationSize());
        survivors.sort(Comparator.comparingLong(EvaluatedCandidate::id));
        return List.copyOf(survivors);
    }

    /** Queues {@code wanted} children of the population (random genomes after repeated refusals). */
    private void breed(int wanted) {
        if (wanted == 0 || exhausted) {
            return;
        }
        CrowdedRanking parents = CrowdedRanking.of(population, problem.mode());
        int produced = 0;
        int refusals = 0;
        while (produced < wanted) {
            Genome a = parents.member(tournament(parents)).candidate().genome();
            Genome b = parents.member(tournament(parents)).candidate().genome();
            for (Genome child : variation.offspring(a, b, rng)) {
                if (produced == wanted) {
                    break;
                }
                Genome admitted = admission.admit(child, rng);
                if (admitted != null) {
                    ledger.enqueue(admitted, Fidelity.BASE);
                    produced++;
                    refusals = 0;
                } else if (++refusals >= config.maxAttempts()) {
                    Genome random = admission.sampleNew(rng, config.maxAttempts());
                    if (random == null) {
                        exhausted = true;
                        return;
                    }
                    ledger.enqueue(random, Fidelity.BASE);
                    produced++;
                    refusals = 0;
                }
            }
        }
    }

    private int tournament(CrowdedRanking r) {
        int i = rng.nextInt(r.size());
        int j = rng.nextInt(r.size());
        return r.better(j, i) ? j : i;
    }

    @Override
    public long plannedRuns() {
        return Math.max(stats().told(), config.maxCandidates());
    }

    @Override
    protected boolean hasMoreToPropose() {
        if (config.steadyState()) {
            return !exhausted && ledger.nextId() < config.maxCandidates();
        }
        // Breeding happens eagerly when a generation completes; once nothing was queued the
        // search is over (budget spent or space exhausted).
        return false;
    }

    /** Index of the generation being evaluated (0 = the initial random population; always 0 when steady-state). */
    public int generation() {
        return generation;
    }

    /** The current parents (empty until generation 0 is evaluated), by candidate id. */
    public List<EvaluatedCandidate> population() {
        return population;
    }

    @Override
    public State state() {
        return new State(config, generation, exhausted, population, engineState());
    }

    /**
     * Saved NSGA-II search.
     *
     * @param config     configuration
     * @param generation generation being evaluated
     * @param exhausted  whether no new feasible genome could be found
     * @param population parents, by candidate id
     * @param engine     generator, ledger (queued and outstanding candidates, results of the
     *                   current generation), genomes asked so far, counters, fronts
     */
    public record State(Nsga2Config config, int generation, boolean exhausted, List<EvaluatedCandidate> population,
            EngineState engine) implements SearcherState {
        public State {
            population = List.copyOf(population);
        }

        @Override
        public SearchStats stats() {
            return engine.stats();
        }
    }
}
