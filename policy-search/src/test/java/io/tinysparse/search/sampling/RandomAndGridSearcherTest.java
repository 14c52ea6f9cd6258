package io.tinysparse.search.sampling;

import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.Genome;
import io.tinysparse.search.GenomeSpace;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Objectives;
import io.tinysparse.search.Repair;
import io.tinysparse.search.SearchDriver;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.engine.SearchLoop;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomAndGridSearcherTest {
    /** 4 x 5 x 3 = 60 points; feasible when the genes sum to at most 5 (41 points). */
    private final GenomeSpace space = GenomeSpace.of(4, 5, 3);

    private static boolean fits(Genome g) {
        return g.gene(0) + g.gene(1) + g.gene(2) <= 5;
    }

    private final SearchProblem problem = new SearchProblem(space, ObjectiveMode.ACCURACY_MEMORY,
            RandomAndGridSearcherTest::fits, Repair.NONE);

    private static final Function<Candidate, Evaluation> EVAL = c -> {
        assertTrue(fits(c.genome()), "infeasible candidate evaluated: " + c);
        Genome g = c.genome();
        return Evaluation.feasible(c, Objectives.of(0.1 * g.gene(0) + 0.01 * g.gene(2), 100 + g.gene(1)));
    };

    private static List<Genome> feasibleInGridOrder(GenomeSpace space) {
        List<Genome> out = new ArrayList<>();
        for (BigInteger i = BigInteger.ZERO; i.compareTo(space.size()) < 0; i = i.add(BigInteger.ONE)) {
            Genome g = space.decode(i);
            if (fits(g)) {
                out.add(g);
            }
        }
        return out;
    }

    @Test
    void gridVisitsEveryFeasiblePointOnceInMixedRadixOrderAndCountsTheRest() {
        GridSearcher s = new GridSearcher(problem, GridConfig.all());
        List<EvaluatedCandidate> all = SearchLoop.run(s, EVAL, 7);
        assertEquals(feasibleInGridOrder(space), all.stream().map(e -> e.candidate().genome()).toList());
        assertEquals(41, all.size());
        assertEquals(60 - 41, s.stats().rejectedInfeasible());
        assertEquals(60, s.stats().feasibilityChecks());
    }

    @Test
    void gridStopsAtItsCandidateLimitAndResumesExactly() {
        GridConfig c = new GridConfig(20);
        List<Candidate> reference = SearchDriver.inOrder(new GridSearcher(problem, c), EVAL, 3);
        assertEquals(feasibleInGridOrder(space).subList(0, 20), reference.stream().map(Candidate::genome).toList());
        for (long cut : new long[] {0, 7, 19}) {
            SearchDriver.assertSameSequence(reference,
                    new SearchDriver(EVAL, cut, 5, cut, null).run(new GridSearcher(problem, c)), "cut " + cut);
        }
    }

    @Test
    void randomSearchAsksOnlyFeasibleDistinctGenomesUntilItsBudget() {
        RandomSearcher s = new RandomSearcher(problem, RandomConfig.of(3, 20));
        List<EvaluatedCandidate> all = SearchLoop.run(s, EVAL, 6);
        assertEquals(20, all.size());
        Set<Genome> distinct = new HashSet<>();
        all.forEach(e -> assertTrue(distinct.add(e.candidate().genome())));
        assertTrue(s.stats().rejectedInfeasible() > 0);
    }

    @Test
    void randomSearchStopsWhenTheFeasibleSpaceIsExhausted() {
        RandomSearcher s = new RandomSearcher(problem, new RandomConfig(3, 1000, 2000));
        List<EvaluatedCandidate> all = SearchLoop.run(s, EVAL, 10);
        assertEquals(new HashSet<>(feasibleInGridOrder(space)),
                new HashSet<>(all.stream().map(e -> e.candidate().genome()).toList()));
        assertTrue(s.exhausted());
        assertTrue(s.isFinished());
    }

    @Test
    void randomSearchDrawsFromTheProblemsSampler() {
        SearchProblem onlyFirstGeneZero = new SearchProblem(space, ObjectiveMode.ACCURACY_MEMORY,
                RandomAndGridSearcherTest::fits, Repair.NONE, rng -> Genome.of(0, rng.nextInt(5), rng.nextInt(3)));
        List<EvaluatedCandidate> all = SearchLoop.run(
                new RandomSearcher(onlyFirstGeneZero, new RandomConfig(1, 100, 500)), EVAL, 10);
        assertEquals(14, all.size(), "15 points with gene 0 = 0, one of them infeasible");
        all.forEach(e -> assertEquals(0, e.candidate().genome().gene(0)));
    }

    @Test
    void randomSearchGivesTheSameCandidatesWhateverTheOrderOfResultsAndAfterResume() {
        RandomConfig c = RandomConfig.of(9, 22);
        List<Candidate> reference = SearchDriver.inOrder(new RandomSearcher(problem, c), EVAL, 22);
        for (long cut : new long[] {-1, 0, 5, 21}) {
            SearchDriver.assertSameSequence(reference,
                    new SearchDriver(EVAL, 100 + cut, 4, cut, null).run(new RandomSearcher(problem, c)), "cut " + cut);
        }
    }
}
