package io.tinysparse.search.fidelity;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.Seeds;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.Genome;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Objectives;
import io.tinysparse.search.SearchDriver;
import io.tinysparse.search.SyntheticProblems;
import io.tinysparse.search.engine.SearchLoop;
import io.tinysparse.search.pareto.Dominance;
import io.tinysparse.search.pareto.ParetoFront;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuccessiveHalvingSearcherTest {
    private final SyntheticProblems.Zdt zdt = new SyntheticProblems.Zdt(6, 8, false);

    /**
     * ZDT1 whose accuracy is blurred by a deterministic per-(genome, rung) error that shrinks
     * with the training budget, like a short training run; genomes whose last gene is 7 report
     * a constraint violation.
     */
    private Function<Candidate, Evaluation> noisy() {
        return c -> {
            Objectives exact = zdt.objectives(c.genome());
            long h = Seeds.derive(c.genome().hashCode(), c.fidelity().level());
            double noise = (new SplitMix64(h).nextDouble() - 0.5) * 0.2 / c.fidelity().multiplier();
            double acc = Math.min(1, Math.max(0, exact.accuracy() + noise));
            boolean violates = c.genome().gene(5) == 7;
            return new Evaluation(c.id(), c.fidelity(), Objectives.of(acc, exact.memoryBytes()), violates ? 10 : 0);
        };
    }

    @Test
    void rungsShrinkByEtaAndEveryRecordCarriesItsFidelity() {
        SuccessiveHalvingSearcher s = new SuccessiveHalvingSearcher(zdt.problem(), HalvingConfig.geometric(1, 3, 3, 27));
        List<EvaluatedCandidate> all = SearchLoop.run(s, noisy(), 10);
        Map<Fidelity, Integer> perRung = new TreeMap<>();
        for (EvaluatedCandidate e : all) {
            assertEquals(e.candidate().fidelity(), e.evaluation().fidelity());
            perRung.merge(e.candidate().fidelity(), 1, Integer::sum);
        }
        assertEquals(Map.of(new Fidelity(0, 1), 27, new Fidelity(1, 3), 9, new Fidelity(2, 9), 3), perRung);
        assertTrue(s.isFinished());
    }

    @Test
    void promotesWholeNonDominatedRanksAndNeverAnInfeasibleOrDominatedOne() {
        SuccessiveHalvingSearcher s = new SuccessiveHalvingSearcher(zdt.problem(), HalvingConfig.geometric(2, 3, 3, 81));
        List<EvaluatedCandidate> all = SearchLoop.run(s, noisy(), 81);
        for (int level = 0; level < 2; level++) {
            List<EvaluatedCandidate> rung = atLevel(all, level);
            Set<Genome> promoted = new HashSet<>();
            for (EvaluatedCandidate e : atLevel(all, level + 1)) {
                promoted.add(e.candidate().genome());
            }
            assertEquals(Math.max(1, rung.size() / 3), promoted.size());
            List<EvaluatedCandidate> feasible = rung.stream().filter(e -> e.evaluation().isFeasible()).toList();
            if (level == 0) {
                assertTrue(feasible.size() < rung.size(), "the fixture must contain infeasible results");
            } else {
                assertEquals(rung.size(), feasible.size(), "only feasible results are promoted");
            }
            for (EvaluatedCandidate x : rung) {
                if (!promoted.contains(x.candidate().genome())) {
                    continue;
                }
                assertTrue(x.evaluation().isFeasible(), "infeasible result promoted: " + x);
                for (EvaluatedCandidate y : feasible) {
                    if (Dominance.dominates(vec(y), vec(x))) {
                        assertTrue(promoted.contains(y.candidate().genome()),
                                y + " dominates promoted " + x + " but was not promoted");
                    }
                }
            }
            ParetoFront front = ParetoFront.of(ObjectiveMode.ACCURACY_MEMORY, feasible);
            if (front.size() <= promoted.size()) {
                for (EvaluatedCandidate f : front.members()) {
                    assertTrue(promoted.contains(f.candidate().genome()), "non-dominated " + f + " not promoted");
                }
            }
        }
    }

    private static double[] vec(EvaluatedCandidate e) {
        return ObjectiveMode.ACCURACY_MEMORY.minimised(e.evaluation().objectives());
    }

    private static List<EvaluatedCandidate> atLevel(List<EvaluatedCandidate> all, int level) {
        return all.stream().filter(e -> e.candidate().fidelity().level() == level).toList();
    }

    @Test
    void keepsOneFrontPerFidelity() {
        SuccessiveHalvingSearcher s = new SuccessiveHalvingSearcher(zdt.problem(), HalvingConfig.geometric(3, 3, 3, 27));
        List<EvaluatedCandidate> all = SearchLoop.run(s, noisy(), 5);
        assertEquals(3, s.fronts().all().size());
        s.fronts().all().forEach((fidelity, front) -> {
            assertFalse(front.members().isEmpty());
            for (EvaluatedCandidate e : front.members()) {
                assertEquals(fidelity, e.candidate().fidelity());
            }
            List<EvaluatedCandidate> same = all.stream().filter(e -> e.candidate().fidelity().equals(fidelity)).toList();
            assertEquals(ParetoFront.of(ObjectiveMode.ACCURACY_MEMORY, same).members(), front.members());
        });
    }

    @Test
    void runsBracketsOneAfterAnotherWithFreshGenomes() {
        HalvingConfig c = new HalvingConfig(4, List.of(1, 4), 8, 4, 3, 1000);
        SuccessiveHalvingSearcher s = new SuccessiveHalvingSearcher(zdt.problem(), c);
        List<EvaluatedCandidate> all = SearchLoop.run(s, noisy(), 3);
        assertEquals(3 * (8 + 2), all.size());
        Set<Genome> rung0 = new HashSet<>();
        for (EvaluatedCandidate e : atLevel(all, 0)) {
            assertTrue(rung0.add(e.candidate().genome()), "rung-0 genome reused across brackets");
        }
        assertEquals(3, s.bracket());
    }

    @Test
    void sameCandidatesWhateverTheOrderOfResultsAndAfterResume() {
        HalvingConfig c = new HalvingConfig(5, List.of(1, 3, 9), 27, 3, 2, 1000);
        List<Candidate> reference = SearchDriver.inOrder(new SuccessiveHalvingSearcher(zdt.problem(), c), noisy(), 27);
        for (long chaos = 1; chaos <= 3; chaos++) {
            SearchDriver.assertSameSequence(reference,
                    new SearchDriver(noisy(), chaos, 9, -1, null).run(new SuccessiveHalvingSearcher(zdt.problem(), c)),
                    "chaos " + chaos);
        }
        for (long cut : new long[] {3, 27, 31, 40, 60}) {
            SearchDriver d = new SearchDriver(noisy(), cut, 9, cut, null);
            SearchDriver.assertSameSequence(reference, d.run(new SuccessiveHalvingSearcher(zdt.problem(), c)),
                    "resume after " + cut);
            assertEquals(1, d.restores());
        }
    }

    @Test
    void rejectsNonIncreasingMultipliers() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new HalvingConfig(1, List.of(1, 3, 3), 9, 3, 1, 10));
        assertTrue(e.getMessage().contains("[1, 3, 3]"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> new HalvingConfig(1, List.of(1, 3), 9, 1, 1, 10));
        assertThrows(InvalidInputException.class, () -> new HalvingConfig(1, new ArrayList<>(), 9, 3, 1, 10));
    }
}
