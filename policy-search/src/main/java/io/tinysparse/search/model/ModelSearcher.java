package io.tinysparse.search.model;

import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.Genome;
import io.tinysparse.search.MemoryCost;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.SearcherState;
import io.tinysparse.search.design.CandidatePool;
import io.tinysparse.search.design.ContributionDesign;
import io.tinysparse.search.design.MemoryStratifiedDesign;
import io.tinysparse.search.engine.AbstractSearcher;
import io.tinysparse.search.engine.EngineState;
import io.tinysparse.search.pareto.ParetoFront;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A model-based search of accuracy against memory: a first design, then, for every further
 * candidate, the genome of largest expected hypervolume improvement under a surrogate of
 * accuracy. Memory needs no model: the analytic memory model gives it exactly for every genome,
 * so only accuracy is predicted, and the expected improvement is exact ({@link StaircaseFront}).
 *
 * <ol>
 *   <li><b>Design.</b> With the space's {@linkplain ModelConfig#layout() layout} (as {@code
 *       search} creates it), the {@link ContributionDesign}: the classifier alone, each candidate
 *       layer's weights alone, biases alone; then, and without a layout throughout, feasible
 *       genomes spread evenly over the memory range and, within each stratum, over the genes
 *       ({@link MemoryStratifiedDesign}). The design does not depend on results and is queued
 *       at once.</li>
 *   <li><b>Proposals.</b> When asked with nothing queued, it fits the surrogate to every result
 *       told so far: a random forest ({@link SurrogateForest}: the genes and the memory in KiB as
 *       features), or, when the config says {@linkplain ModelConfig#additive() additive}, ridge
 *       {@link MainEffects} of the same features plus a forest of their residuals, so that
 *       layers measured apart are predicted to add up (a forest alone never predicts more than
 *       the best result it has seen). It scores a pool of random feasible genomes and the
 *       one-step neighbours of the current front ({@link CandidatePool}), and hands out the
 *       best. Several proposals at once
 *       (a generation, or several free executor slots) are chosen one after another, each
 *       added to the data and the front at its predicted accuracy and the surrogate refitted
 *       before the next is scored (the "kriging believer"), so a batch spreads out instead of
 *       piling onto one spot; candidates still outstanding are counted the same way. With fewer
 *       than {@link #MIN_OBSERVATIONS} results it extends the space-filling design instead.</li>
 * </ol>
 *
 * <p><b>Asynchronous.</b> Results are used as soon as they are told ({@link #actsOnEachTell}):
 * an {@code ask} never waits for a round, so a steady-state driver can ask for one candidate
 * whenever an executor slot frees up. <b>Deterministic</b> for a given sequence of asks and
 * tells: the surrogate's seed and the pools draw from the searcher's own generator, and results are
 * kept sorted by id. Unlike the generational searchers, the candidates depend on how asks and
 * tells interleave (a candidate asked before a result is told does not know it), so a replay
 * gives the same candidates when it asks and tells in the same pattern, for instance one
 * generation at a time.
 *
 * <p>Every candidate passes the {@link io.tinysparse.search.engine.Admission} gate (feasible, never
 * asked before); no repair is applied to a chosen genome, since the pools hold feasible genomes
 * only.
 */
public final class ModelSearcher extends AbstractSearcher {
    /** Feasible results needed before the surrogate is trusted. */
    public static final int MIN_OBSERVATIONS = 4;
    private static final int TREE_DEPTH = 12;

    private final ModelConfig config;
    private final MemoryCost memory;
    private final List<EvaluatedCandidate> observations;
    private boolean exhausted;

    /** A new search; its design is queued at once. */
    public ModelSearcher(SearchProblem problem, MemoryCost memory, ModelConfig config) {
        super(problem, true, false, config.seed());
        this.config = config;
        this.memory = memory;
        this.observations = new ArrayList<>();
        int n = (int) Math.min(config.initialDesign(), config.maxCandidates());
        List<Genome> design = new ArrayList<>();
        if (config.layout() != null) {
            config.layout().requireFits(problem.space());
            design.addAll(ContributionDesign.design(config.layout(), Genome.of(new int[problem.space().dimensions()]),
                    pool(), n));
        }
        if (design.size() < n) {
            CandidatePool pool = pool().addRandom(Math.max(config.poolSize(), 8 * n), config.maxAttempts(), rng);
            design.addAll(MemoryStratifiedDesign.design(problem.space(), pool, n - design.size(), config.budgetBytes(),
                    design));
        }
        for (Genome g : design) {
            enqueue(g);
        }
        exhausted = ledger.nextId() == 0;
    }

    private ModelSearcher(SearchProblem problem, MemoryCost memory, State state) {
        super(problem, true, false, state.engine());
        this.config = state.config();
        this.memory = memory;
        for (EvaluatedCandidate e : state.observations()) {
            problem.space().require(e.candidate().genome());
        }
        this.observations = new ArrayList<>(state.observations());
        this.exhausted = state.exhausted();
    }

    /** Continues the search saved in {@code state}; {@code memory} must be the model it was started with. */
    public static ModelSearcher restore(SearchProblem problem, MemoryCost memory, State state) {
        return new ModelSearcher(problem, memory, state);
    }

    private CandidatePool pool() {
        return new CandidatePool(problem, memory, g -> !admission.hasSeen(g));
    }

    private void enqueue(Genome g) {
        Genome admitted = admission.admit(g, rng);
        if (admitted != null) {
            ledger.enqueue(admitted, Fidelity.BASE);
        }
    }

    @Override
    protected boolean actsOnEachTell() {
        return true;
    }

    @Override
    protected void onRoundComplete(List<EvaluatedCandidate> results) {
        observations.addAll(results);
        observations.sort(Comparator.comparingLong(EvaluatedCandidate::id));
    }

    @Override
    protected void refill(int max) {
        long left = config.maxCandidates() - ledger.nextId();
        int wanted = (int) Math.min(max, Math.max(0, left));
        if (wanted == 0 || exhausted) {
            return;
        }
        List<EvaluatedCandidate> feasible = observations.stream().filter(e -> e.evaluation().isFeasible()).toList();
        CandidatePool pool = pool().addRandom(config.poolSize(), config.maxAttempts(), rng);
        List<Genome> pending = ledger.outstanding().stream().map(Candidate::genome).toList();
        List<Genome> picks;
        if (feasible.size() < MIN_OBSERVATIONS) {
            List<Genome> taken = new ArrayList<>(pending);
            observations.forEach(e -> taken.add(e.candidate().genome()));
            picks = MemoryStratifiedDesign.design(problem.space(), pool, wanted, config.budgetBytes(), taken);
        } else {
            picks = propose(feasible, pending, pool, wanted);
        }
        for (Genome g : picks) {
            enqueue(g);
        }
        if (picks.isEmpty()) {
            exhausted = true;
        }
    }

    /** {@code wanted} genomes chosen one by one by expected hypervolume improvement (see the class comment). */
    private List<Genome> propose(List<EvaluatedCandidate> feasible, List<Genome> pending, CandidatePool pool,
            int wanted) {
        List<Genome> front = ParetoFront.of(problem.mode(), feasible).members().stream()
                .map(e -> e.candidate().genome()).toList();
        pool.addNeighbours(front);
        List<double[]> rows = new ArrayList<>();
        List<Double> targets = new ArrayList<>();
        StaircaseFront staircase = StaircaseFront.empty(0, config.budgetBytes());
        for (EvaluatedCandidate e : feasible) {
            double bytes = e.evaluation().objectives().memoryBytes();
            double accuracy = e.evaluation().objectives().accuracy();
            rows.add(features(e.candidate().genome(), bytes));
            targets.add(accuracy);
            staircase = staircase.with(bytes, accuracy);
        }
        Surrogate surrogate = fit(rows, targets);
        // Candidates in flight are believed to score what the surrogate of the real results predicts.
        for (Genome g : pending) {
            double bytes = memory.bytes(g);
            double[] x = features(g, bytes);
            double believed = surrogate.predict(x).mean();
            rows.add(x);
            targets.add(believed);
            staircase = staircase.with(bytes, believed);
        }
        if (!pending.isEmpty()) {
            surrogate = fit(rows, targets);
        }
        List<Genome> options = pool.genomes();
        boolean[] used = new boolean[options.size()];
        List<Genome> picks = new ArrayList<>();
        for (int k = 0; k < wanted; k++) {
            int best = -1;
            double bestGain = -1;
            double bestMean = 0;
            for (int i = 0; i < options.size(); i++) {
                if (used[i]) {
                    continue;
                }
                double bytes = pool.bytes(options.get(i));
                SurrogateForest.Estimate est = surrogate.predict(features(options.get(i), bytes));
                double gain = staircase.expectedImprovement(bytes, est.mean(), est.sd());
                if (gain > bestGain) {
                    bestGain = gain;
                    best = i;
                    bestMean = est.mean();
                }
            }
            if (best < 0) {
                break;
            }
            used[best] = true;
            Genome g = options.get(best);
            picks.add(g);
            if (k + 1 < wanted) {
                // Kriging believer: the pick joins the data at its predicted accuracy, and the surrogate
                // is refitted, so the next pick is scored knowing this one will be trained.
                double bytes = pool.bytes(g);
                rows.add(features(g, bytes));
                targets.add(bestMean);
                staircase = staircase.with(bytes, bestMean);
                surrogate = fit(rows, targets);
            }
        }
        return picks;
    }

    private Surrogate fit(List<double[]> rows, List<Double> targets) {
        return Surrogate.fit(featureNames(), rows, targets.stream().mapToDouble(Double::doubleValue).toArray(),
                config.trees(), TREE_DEPTH, rng.nextLong(), config.additive());
    }

    private String[] featureNames() {
        int n = problem.space().dimensions();
        String[] names = new String[n + 1];
        for (int i = 0; i < n; i++) {
            names[i] = problem.space().genes().get(i).name();
        }
        names[n] = "memory_kib";
        return names;
    }

    private static double[] features(Genome g, double bytes) {
        double[] x = new double[g.length() + 1];
        for (int i = 0; i < g.length(); i++) {
            x[i] = g.gene(i);
        }
        x[g.length()] = bytes / 1024;
        return x;
    }

    @Override
    public long plannedRuns() {
        return Math.max(stats().told(), config.maxCandidates());
    }

    @Override
    protected boolean hasMoreToPropose() {
        return !exhausted && ledger.nextId() < config.maxCandidates();
    }

    @Override
    public State state() {
        return new State(config, exhausted, observations, engineState());
    }

    /**
     * Saved model-based search.
     *
     * @param config       configuration
     * @param exhausted    whether no new feasible genome could be found
     * @param observations every result told so far, by candidate id (the surrogate's data)
     * @param engine       generator, ledger, genomes asked so far, counters, fronts
     */
    public record State(ModelConfig config, boolean exhausted, List<EvaluatedCandidate> observations,
            EngineState engine) implements SearcherState {
        public State {
            observations = List.copyOf(observations);
        }

        @Override
        public SearchStats stats() {
            return engine.stats();
        }
    }
}
