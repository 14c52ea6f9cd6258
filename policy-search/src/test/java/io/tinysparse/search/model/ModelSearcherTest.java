package io.tinysparse.search.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.hash.CanonicalJson;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.Genome;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Objectives;
import io.tinysparse.search.SearchDriver;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.SyntheticProblems;
import io.tinysparse.search.design.CandidatePool;
import io.tinysparse.search.design.ContributionDesign;
import io.tinysparse.search.engine.SearchLoop;
import io.tinysparse.search.nsga2.Nsga2Config;
import io.tinysparse.search.nsga2.Nsga2Searcher;
import io.tinysparse.search.pareto.ParetoFront;
import io.tinysparse.search.sampling.RandomConfig;
import io.tinysparse.search.sampling.RandomSearcher;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.search.state.SearchCheckpoint;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.pretrain.PretrainSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ModelSearcherTest {
    private static final long BUDGET_BYTES = 256 * 1024;

    /** The default space of the default backbone under 256 KiB, with the real memory model. */
    private static MemoryBudget policyBudget() {
        PolicySpace space = PolicySpace.defaultFor(PretrainSpec.defaults().model());
        return new MemoryBudget(space, new ArenaEstimator(space.table(), ArenaConfig.DEFAULT), BUDGET_BYTES);
    }

    /**
     * A landscape shaped like fine-tuning results: accuracy grows with diminishing returns in the
     * bias depth and in the ratio of each weight layer, later layers worth more (METHODS.md 3);
     * the channel selection matters little. Deterministic, with a small genome-keyed wobble.
     */
    private static Function<Candidate, Evaluation> policyLandscape(MemoryBudget b) {
        PolicySpace space = b.space();
        return c -> {
            Genome g = c.genome();
            double s = 0.35 + 0.25 * (1 - Math.exp(-space.biasDepths().get(g.gene(0)) / 8.0));
            for (int j = 0; j < space.weightLayers().size(); j++) {
                s += 0.04 * Math.sqrt(space.ratios().get(g.gene(PolicySpace.layerGene(j)))) * (0.5 + j / 8.0);
            }
            s += 0.01 * g.gene(space.selectionGene());
            s += Math.floorMod(g.hashCode() * 2654435761L, 1000) / 1000.0 * 0.01;
            return Evaluation.feasible(c, Objectives.of(Math.min(0.99, s), b.bytes(g)));
        };
    }

    private static double hypervolumeOfFirst(List<EvaluatedCandidate> all, int n, MemoryBudget b) {
        return ParetoFront.of(ObjectiveMode.ACCURACY_MEMORY, all.subList(0, Math.min(n, all.size())))
                .normalisedHypervolume(b.reference());
    }

    @Test
    void aheadOfRandomSearchAndNsga2AtThirtyTwoAndSixtyFourRunsOnAPolicyShapedLandscape() {
        MemoryBudget b = policyBudget();
        SearchProblem p = b.problem(ObjectiveMode.ACCURACY_MEMORY);
        Function<Candidate, Evaluation> eval = policyLandscape(b);
        for (int runs : new int[] {32, 64}) {
            double model = 0;
            double priors = 0;
            double random = 0;
            double nsga2 = 0;
            for (long seed = 1; seed <= 3; seed++) {
                model += hypervolumeOfFirst(SearchLoop.run(new ModelSearcher(p, b, ModelConfig.of(seed, runs,
                        BUDGET_BYTES)), eval, 16), runs, b) / 3;
                priors += hypervolumeOfFirst(SearchLoop.run(new ModelSearcher(p, b, ModelConfig.of(seed, runs,
                        BUDGET_BYTES, b.space().contributionLayout())), eval, 16), runs, b) / 3;
                random += hypervolumeOfFirst(SearchLoop.run(new RandomSearcher(p, RandomConfig.of(seed, runs)), eval,
                        16), runs, b) / 3;
                nsga2 += hypervolumeOfFirst(SearchLoop.run(new Nsga2Searcher(p, Nsga2Config.of(seed, 16, runs)), eval,
                        16), runs, b) / 3;
            }
            assertTrue(model > random + 0.03 && model > nsga2 + 0.03,
                    runs + " runs: model " + model + ", random " + random + ", nsga2 " + nsga2);
            // On a landscape whose layer effects add up, the contribution design and the main effects find more.
            assertTrue(priors > model, runs + " runs: with priors " + priors + ", without " + model);
        }
    }

    @Test
    void withALayoutTheContributionDesignComesFirstAndTheConfigSurvivesACheckpoint() {
        MemoryBudget b = policyBudget();
        SearchProblem p = b.problem(ObjectiveMode.ACCURACY_MEMORY);
        ModelConfig config = ModelConfig.of(1, 100, BUDGET_BYTES, b.space().contributionLayout());
        ModelSearcher s = new ModelSearcher(p, b, config);
        List<Genome> design = s.ask(100).stream().map(Candidate::genome).toList();
        List<Genome> contribution = ContributionDesign.design(config.layout(),
                Genome.of(new int[p.space().dimensions()]), new CandidatePool(p, b, g -> true), 100);
        assertEquals(ModelConfig.DEFAULT_DESIGN, design.size());
        assertTrue(contribution.size() < design.size(), "the contribution design is " + contribution.size());
        assertEquals(contribution, design.subList(0, contribution.size()), "the contribution design comes first");
        ModelSearcher restored = (ModelSearcher) SearchCheckpoint.fromJson(SearchCheckpoint.of(s).toJson())
                .restore(p, b);
        assertEquals(config, restored.state().config());
    }

    @Test
    void aConfigSavedBeforeTheContributionDesignReadsAsASpaceFillingForestSearch() throws Exception {
        ModelConfig config = ModelConfig.of(1, 100, BUDGET_BYTES);
        String json = CanonicalJson.write(config);
        assertFalse(json.contains("layout") || json.contains("additive"), "written as before: " + json);
        assertEquals(config, CanonicalJson.read(json, ModelConfig.class));
    }

    @Test
    void designSpreadsOverTheWholeFeasibleMemoryRange() {
        MemoryBudget b = policyBudget();
        SearchProblem p = b.problem(ObjectiveMode.ACCURACY_MEMORY);
        ModelSearcher s = new ModelSearcher(p, b, ModelConfig.of(1, 100, BUDGET_BYTES));
        List<Candidate> design = s.ask(100);
        assertEquals(ModelConfig.DEFAULT_DESIGN, design.size(), "the design is all that is asked before results");
        // the smallest feasible step: no bias, no weights (the classifier only)
        double floor = b.bytes(Genome.of(new int[p.space().dimensions()]));
        double width = (BUDGET_BYTES - floor) / design.size();
        Set<Integer> strata = new HashSet<>();
        for (Candidate c : design) {
            double bytes = b.bytes(c.genome());
            assertTrue(bytes <= BUDGET_BYTES, "feasible: " + bytes);
            strata.add((int) Math.min(design.size() - 1, (bytes - floor) / width));
        }
        assertTrue(strata.contains(0) && strata.contains(design.size() - 1) && strata.size() >= design.size() - 2,
                "design covers the memory strata: " + strata);
        // A uniform start misses the lower third of the range (measured: nothing below 152 KiB) ...
        Nsga2Searcher uniform = new Nsga2Searcher(p, Nsga2Config.of(1, 16, 100));
        double lowest = uniform.ask(16).stream().mapToDouble(c -> b.bytes(c.genome())).min().orElseThrow();
        assertTrue(lowest > floor + width, "uniform sampling starts above the lowest stratum: " + lowest);
        // ... and NSGA-II given the memory model starts from the same kind of design
        Nsga2Searcher designed = new Nsga2Searcher(p, Nsga2Config.of(1, 16, 100), b);
        List<Candidate> generation0 = designed.ask(100);
        assertEquals(16, generation0.size());
        double lowestDesigned = generation0.stream().mapToDouble(c -> b.bytes(c.genome())).min().orElseThrow();
        assertTrue(lowestDesigned < floor + (BUDGET_BYTES - floor) / 16, "starts in the lowest of 16 strata: "
                + lowestDesigned);
        assertEquals(16, generation0.stream().map(Candidate::genome).distinct().count());
    }

    @Test
    void neverSpendsTwoRunsOnOnePolicyUnderSelectionsThatSelectNothing() {
        MemoryBudget b = policyBudget();
        SearchProblem p = b.problem(ObjectiveMode.ACCURACY_MEMORY);
        for (Searcher s : List.<Searcher>of(new ModelSearcher(p, b, ModelConfig.of(2, 48, BUDGET_BYTES)),
                new RandomSearcher(p, RandomConfig.of(2, 48)), new Nsga2Searcher(p, Nsga2Config.of(2, 16, 48)))) {
            Set<String> trained = new HashSet<>();
            for (EvaluatedCandidate e : SearchLoop.run(s, policyLandscape(b), 16)) {
                SparseUpdatePolicy policy = b.space().toPolicy(e.candidate().genome());
                String effect = policy.biasLayers() + " " + policy.weights()
                        + (policy.weights().stream().allMatch(w -> w.ratio() == 1.0) ? "" : " " + policy.selection());
                assertTrue(trained.add(effect), s.getClass().getSimpleName() + " trained " + effect + " twice");
            }
        }
    }

    @Test
    void neverHandsOutAnInfeasibleOrRepeatedGenomeAndSpendsExactlyItsBudget() {
        SyntheticProblems.Knapsack k = new SyntheticProblems.Knapsack(8, 4, 0.4, 11);
        Function<Candidate, Evaluation> guarded = c -> {
            assertTrue(k.memory(c.genome()) <= k.budget, "infeasible candidate reached the evaluator: " + c);
            return k.evaluator().apply(c);
        };
        ModelSearcher s = new ModelSearcher(k.problem(true), k::memory, ModelConfig.of(4, 90, k.budget));
        List<EvaluatedCandidate> all = SearchLoop.run(s, guarded, 7);
        assertEquals(90, all.size());
        Set<Genome> seen = new HashSet<>();
        for (EvaluatedCandidate e : all) {
            assertTrue(seen.add(e.candidate().genome()), "asked twice: " + e.candidate());
        }
        assertTrue(s.isFinished());
        assertEquals(90, s.stats().asked());
        assertEquals(90, s.plannedRuns());
    }

    @Test
    void resumedFromJsonAfterAnyGenerationItAsksWhatAnUninterruptedSearchAsks() {
        SyntheticProblems.Knapsack k = new SyntheticProblems.Knapsack(8, 4, 0.4, 9);
        SearchProblem p = k.problem(true);
        for (ModelConfig config : List.of(ModelConfig.of(3, 60, k.budget), new ModelConfig(3, 60, k.budget,
                ModelConfig.DEFAULT_DESIGN, ModelConfig.DEFAULT_TREES, ModelConfig.DEFAULT_POOL, 200, null, true))) {
            resumesAsUninterrupted(p, k, config);
        }
    }

    private static void resumesAsUninterrupted(SearchProblem p, SyntheticProblems.Knapsack k, ModelConfig config) {
        List<Candidate> reference = SearchDriver.inOrder(new ModelSearcher(p, k::memory, config), k.evaluator(), 12);
        for (int cut : new int[] {1, 3}) {
            Searcher s = new ModelSearcher(p, k::memory, config);
            List<Candidate> asked = new ArrayList<>();
            int generation = 0;
            while (!s.isFinished()) {
                if (generation++ == cut) {
                    s = SearchCheckpoint.fromJson(SearchCheckpoint.of(s).toJson()).restore(p, k::memory);
                }
                List<Candidate> batch = s.ask(12);
                asked.addAll(batch);
                s.tell(batch.stream().map(k.evaluator()).toList());
            }
            SearchDriver.assertSameSequence(reference, asked, "restored before generation " + cut + ", additive "
                    + config.additive());
        }
    }

    @Test
    void asynchronousAsksProposeWhileResultsAreOutstandingAndReplayTheSameForTheSameInterleaving() {
        SyntheticProblems.Knapsack k = new SyntheticProblems.Knapsack(8, 4, 0.4, 5);
        SearchProblem p = k.problem(true);
        List<Candidate> first = twoSlots(new ModelSearcher(p, k::memory, ModelConfig.of(8, 40, k.budget)), k);
        List<Candidate> again = twoSlots(new ModelSearcher(p, k::memory, ModelConfig.of(8, 40, k.budget)), k);
        assertEquals(40, first.size());
        assertEquals(first, again);
        List<Candidate> generational = SearchDriver.inOrder(new ModelSearcher(p, k::memory,
                ModelConfig.of(8, 40, k.budget)), k.evaluator(), 16);
        assertNotEquals(first, generational, "what a proposal knows depends on the interleaving");
    }

    /** Two executor slots: whenever the older of two outstanding runs finishes, ask for one more. */
    private static List<Candidate> twoSlots(Searcher s, SyntheticProblems.Knapsack k) {
        List<Candidate> asked = new ArrayList<>();
        Deque<Candidate> running = new ArrayDeque<>();
        while (!s.isFinished()) {
            while (running.size() < 2) {
                List<Candidate> one = s.ask(1);
                if (one.isEmpty()) {
                    break;
                }
                assertFalse(asked.contains(one.get(0)));
                asked.addAll(one);
                running.add(one.get(0));
            }
            assertFalse(running.isEmpty(), "an asynchronous searcher never waits for a round");
            s.tell(List.of(k.evaluator().apply(running.poll())));
        }
        return asked;
    }
}
