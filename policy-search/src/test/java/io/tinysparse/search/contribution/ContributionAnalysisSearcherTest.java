package io.tinysparse.search.contribution;

import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.Genome;
import io.tinysparse.search.GenomeSpace;
import io.tinysparse.search.MemoryCost;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Objectives;
import io.tinysparse.search.Repair;
import io.tinysparse.search.SearchDriver;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.engine.SearchLoop;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small network of 8 convolutions; bias depths {0, 2, 4, 6, 8}; candidate weight layers at
 * conv 2, 4, 5, 6, 7 with 4 ratio levels; a sixth gene (selection) held at the base value.
 * Accuracy and memory are additive in the genes, as the method assumes.
 */
class ContributionAnalysisSearcherTest {
    private static final int CONVS = 8;
    private static final List<Integer> DEPTHS = List.of(0, 2, 4, 6, 8);
    private static final List<Integer> LAYERS = List.of(2, 4, 5, 6, 7);
    private static final int RATIOS = 4;

    private final GenomeSpace space = GenomeSpace.of(DEPTHS.size(), RATIOS, RATIOS, RATIOS, RATIOS, RATIOS, 2);
    private final ContributionLayout layout =
            new ContributionLayout(0, DEPTHS, List.of(1, 2, 3, 4, 5), LAYERS, CONVS);
    private final double[] biasGain = new double[DEPTHS.size()];
    private final double[] biasCost = new double[DEPTHS.size()];
    private final double[][] weightGain = new double[LAYERS.size()][RATIOS];
    private final double[][] weightCost = new double[LAYERS.size()][RATIOS];
    private final double budget;
    private boolean interaction;

    ContributionAnalysisSearcherTest() {
        SplitMix64 r = new SplitMix64(31);
        for (int v = 1; v < DEPTHS.size(); v++) {
            biasGain[v] = biasGain[v - 1] + 0.02 * r.nextDouble();
            biasCost[v] = biasCost[v - 1] + Math.round(500 * r.nextDouble());
        }
        for (int j = 0; j < LAYERS.size(); j++) {
            for (int k = 1; k < RATIOS; k++) {
                // mostly positive, diminishing gains; one layer hurts
                weightGain[j][k] = weightGain[j][k - 1] + (j == 2 ? -0.01 : 0.04 * r.nextDouble() / k);
                weightCost[j][k] = weightCost[j][k - 1] + Math.round(1000 + 3000 * r.nextDouble());
            }
        }
        budget = 9000;
    }

    private boolean valid(Genome g) {
        for (int j = 0; j < LAYERS.size(); j++) {
            if (g.gene(1 + j) != 0 && LAYERS.get(j) < CONVS - DEPTHS.get(g.gene(0))) {
                return false;
            }
        }
        return true;
    }

    private double memory(Genome g) {
        double m = 1000 + biasCost[g.gene(0)];
        for (int j = 0; j < LAYERS.size(); j++) {
            m += weightCost[j][g.gene(1 + j)];
        }
        // optional non-additive part: layers 6 and 7 together need an extra buffer
        if (interaction && g.gene(4) > 0 && g.gene(5) > 0) {
            m += 2500;
        }
        return m;
    }

    private double accuracy(Genome g) {
        double a = 0.3 + biasGain[g.gene(0)];
        for (int j = 0; j < LAYERS.size(); j++) {
            a += weightGain[j][g.gene(1 + j)];
        }
        return a;
    }

    private SearchProblem problem() {
        return new SearchProblem(space, ObjectiveMode.ACCURACY_MEMORY, g -> valid(g) && memory(g) <= budget,
                Repair.NONE);
    }

    private Function<Candidate, Evaluation> evaluator() {
        return c -> {
            assertTrue(valid(c.genome()) && memory(c.genome()) <= budget, "infeasible candidate evaluated: " + c);
            assertEquals(1, c.genome().gene(6), "the base value of the other genes is kept");
            return Evaluation.feasible(c, Objectives.of(accuracy(c.genome()), memory(c.genome())));
        };
    }

    private ContributionConfig config(int finalists) {
        return new ContributionConfig(layout, Genome.of(0, 0, 0, 0, 0, 0, 1), -1, budget, finalists);
    }

    private double bruteForceBest() {
        double best = Double.NEGATIVE_INFINITY;
        for (java.math.BigInteger i = java.math.BigInteger.ZERO; i.compareTo(space.size()) < 0;
                i = i.add(java.math.BigInteger.ONE)) {
            Genome g = space.decode(i);
            if (g.gene(6) == 1 && problem().feasibility().isFeasible(g)) {
                best = Math.max(best, accuracy(g));
            }
        }
        return best;
    }

    @Test
    void measuresEveryBiasDepthAndEveryLayerRatioThenFindsTheBudgetOptimum() {
        MemoryCost mem = this::memory;
        assertTrue(memory(Genome.of(4, 3, 3, 3, 3, 3, 1)) > budget, "the budget must bind");
        ContributionAnalysisSearcher s = new ContributionAnalysisSearcher(problem(), config(1), mem);
        List<EvaluatedCandidate> all = SearchLoop.run(s, evaluator(), 7);
        // 5 bias-only runs + 5 layers x 3 ratios on top of depth 6 (the shallowest that covers
        // conv 2), minus those over budget
        assertEquals(3, config(1).effectiveReferenceBias());
        long overBudget = 0;
        for (int j = 0; j < LAYERS.size(); j++) {
            for (int k = 1; k < RATIOS; k++) {
                Genome g = Genome.of(3, 0, 0, 0, 0, 0, 1).with(1 + j, k);
                overBudget += memory(g) > budget ? 1 : 0;
            }
        }
        assertEquals(5 + 15 - overBudget, s.measurements().size());
        assertEquals(1, s.predictions().size());
        Prediction p = s.predictions().get(0);
        assertEquals(bruteForceBest(), accuracy(p.genome()), 1e-12, "additive gains: the exact optimum");
        assertEquals(accuracy(p.genome()) - accuracy(Genome.of(0, 0, 0, 0, 0, 0, 1)), p.predictedGain(), 1e-12);
        assertEquals(s.measurements().size() + (p.candidateId() >= 0 ? 1 : 0), all.size());
        assertTrue(s.isFinished());
        assertEquals(0, p.genome().gene(3), "the layer with a negative gain is never updated");
    }

    @Test
    void checksEveryCombinationAgainstANonAdditiveMemoryModelAndEvaluatesDistinctFinalists() {
        interaction = true;
        ContributionAnalysisSearcher s = new ContributionAnalysisSearcher(problem(), config(4), this::memory);
        SearchLoop.run(s, evaluator(), 50);
        List<Prediction> ps = s.predictions();
        assertEquals(4, ps.size());
        Set<Genome> distinct = new HashSet<>();
        for (int i = 0; i < ps.size(); i++) {
            assertTrue(distinct.add(ps.get(i).genome()));
            assertTrue(memory(ps.get(i).genome()) <= budget, "finalist over budget: " + ps.get(i));
            if (i > 0) {
                assertTrue(ps.get(i).predictedGain() <= ps.get(i - 1).predictedGain(), "best predicted first");
            }
        }
    }

    @Test
    void sameCandidatesWhateverTheOrderOfResultsAndAfterResume() {
        List<Candidate> reference = SearchDriver.inOrder(
                new ContributionAnalysisSearcher(problem(), config(3), this::memory), evaluator(), 4);
        for (long cut : new long[] {-1, 0, 6, 19}) {
            SearchDriver d = new SearchDriver(evaluator(), 10 + cut, 6, cut, this::memory);
            SearchDriver.assertSameSequence(reference,
                    d.run(new ContributionAnalysisSearcher(problem(), config(3), this::memory)), "cut " + cut);
        }
    }
}
