package io.tinysparse.search.space;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.Genome;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Objectives;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.contribution.ContributionAnalysisSearcher;
import io.tinysparse.search.contribution.ContributionConfig;
import io.tinysparse.search.engine.SearchLoop;
import io.tinysparse.search.nsga2.Nsga2Config;
import io.tinysparse.search.nsga2.Nsga2Searcher;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.memory.Lin2022Estimator;
import io.tinysparse.simulator.memory.MemoryEstimator;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryBudgetTest {
    private static final MemoryEstimator LIN = new Lin2022Estimator(PolicySpaceTest.MBV2.layers());
    private static final MemoryEstimator ARENA = new ArenaEstimator(PolicySpaceTest.MBV2.layers(), ArenaConfig.DEFAULT);

    @Test
    void the99kbSchemeFitsA100KibBudgetButNot99KibByTheLinFormula() {
        PolicySpace s = PolicySpaceTest.expandSpace();
        Genome g = s.toGenome(PolicySpaceTest.scheme99kB());
        assertEquals(101_792.0, new MemoryBudget(s, LIN, 100 * 1024).bytes(g));
        assertTrue(new MemoryBudget(s, LIN, 100 * 1024).isFeasible(g));
        assertTrue(new MemoryBudget(s, LIN, 101_792).isFeasible(g));
        assertFalse(new MemoryBudget(s, LIN, 101_791).isFeasible(g));
        assertFalse(new MemoryBudget(s, LIN, 1 << 20).isFeasible(g.with(PolicySpace.BIAS_GENE, 20)),
                "structurally invalid genomes are infeasible whatever the budget");
    }

    @Test
    void repairReturnsAFeasibleGenomeThatOnlyLowersGenes() {
        PolicySpace s = PolicySpaceTest.expandSpace();
        MemoryBudget budget = new MemoryBudget(s, ARENA, 160 * 1024);
        SplitMix64 rng = new SplitMix64(3);
        int repaired = 0;
        for (int i = 0; i < 200; i++) {
            Genome g = s.genomeSpace().sample(rng);
            Genome r = budget.repair().repair(g, rng);
            assertTrue(budget.isFeasible(r), g + " -> " + r);
            for (int k = 0; k < g.length(); k++) {
                assertTrue(r.gene(k) <= g.gene(k), g + " -> " + r);
            }
            repaired += r.equals(g) ? 0 : 1;
        }
        assertTrue(repaired > 100, "most random genomes need repair at 160 KiB: " + repaired);
    }

    @Test
    void rejectsAnEstimatorForAnotherModel() {
        MemoryEstimator other = new Lin2022Estimator(ModelSpec.preset("mbv2-w1.0").layers());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new MemoryBudget(PolicySpaceTest.expandSpace(), other, 1000));
        assertTrue(e.getMessage().contains("mbv2-w1.0"), e.getMessage());
    }

    /** A stand-in for training: accuracy grows, with diminishing returns, in what is updated. */
    private static double proxyAccuracy(SparseUpdatePolicy p) {
        double a = 0.5 + 0.002 * p.biasLayers();
        for (WeightUpdate w : p.weights()) {
            a += 0.03 * Math.sqrt(w.ratio()) * (1 + w.layer() / 51.0);
        }
        return Math.min(1, a);
    }

    private static Function<Candidate, Evaluation> evaluator(MemoryBudget budget) {
        return c -> {
            SparseUpdatePolicy p = budget.space().toPolicy(c.genome());
            long bytes = budget.estimator().peakBytes(p);
            assertTrue(bytes <= budget.budgetBytes(), "over-budget policy reached the evaluator: " + p.describe());
            return Evaluation.feasible(c, Objectives.of(proxyAccuracy(p), bytes));
        };
    }

    @Test
    void nsga2OnTheRealSpaceNeverEvaluatesAPolicyOverBudget() {
        MemoryBudget budget = new MemoryBudget(PolicySpaceTest.expandSpace(), ARENA, 192 * 1024);
        SearchProblem problem = budget.problem(ObjectiveMode.ACCURACY_MEMORY);
        Nsga2Searcher s = new Nsga2Searcher(problem, Nsga2Config.of(1, 32, 640));
        List<EvaluatedCandidate> all = SearchLoop.run(s, evaluator(budget), 32);
        assertEquals(640, all.size());
        assertTrue(s.stats().repaired() + s.stats().rejectedInfeasible() > 0, s.stats().toString());
        assertTrue(s.fronts().at(io.tinysparse.search.Fidelity.BASE).normalisedHypervolume(budget.reference()) > 0);
    }

    @Test
    void contributionAnalysisOnTheRealSpaceCombinesWithinTheBudget() {
        MemoryBudget budget = new MemoryBudget(PolicySpaceTest.expandSpace(), LIN, 100 * 1024);
        PolicySpace s = budget.space();
        ContributionConfig config = new ContributionConfig(s.contributionLayout(),
                Genome.of(new int[s.genomeSpace().dimensions()]), -1, budget.budgetBytes(), 2);
        ContributionAnalysisSearcher c =
                new ContributionAnalysisSearcher(budget.problem(ObjectiveMode.ACCURACY_MEMORY), config, budget);
        SearchLoop.run(c, evaluator(budget), 64);
        assertEquals(2, c.predictions().size());
        for (var p : c.predictions()) {
            assertTrue(p.memoryBytes() <= budget.budgetBytes());
            assertFalse(s.toPolicy(p.genome()).weights().isEmpty(), "a 100 KiB budget affords weight updates");
        }
    }
}
