package io.tinysparse.search.nsga2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.Genome;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.SyntheticProblems;
import io.tinysparse.search.engine.SearchLoop;
import io.tinysparse.search.state.SearchCheckpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Steady-state NSGA-II: each result used at once, resumable, and how its candidates depend on arrival order. */
class SteadyStateNsga2Test {
    private static final SyntheticProblems.Zdt ZDT = new SyntheticProblems.Zdt(10, 16, false);

    private static Nsga2Searcher steady(long seed, int population, long budget) {
        return new Nsga2Searcher(ZDT.problem(), Nsga2Config.of(seed, population, budget).withSteadyState(true));
    }

    /**
     * Drives {@code s} with {@code slots} candidates in flight (starting with its outstanding ones); when all are out, the one told
     * next is at position {@code pick.apply(told) mod in-flight}. Returns the genomes in the
     * order asked.
     */
    private static List<Genome> drive(Searcher s, int slots, Function<Integer, Integer> pick) {
        Function<Candidate, Evaluation> eval = ZDT.evaluator();
        List<Candidate> inFlight = new ArrayList<>(s.outstanding());
        List<Genome> asked = new ArrayList<>();
        int told = 0;
        while (!s.isFinished()) {
            if (inFlight.size() < slots) {
                List<Candidate> more = s.ask(slots - inFlight.size());
                more.forEach(c -> asked.add(c.genome()));
                inFlight.addAll(more);
                if (!more.isEmpty()) {
                    continue;
                }
            }
            Candidate done = inFlight.remove(Math.floorMod(pick.apply(told++), inFlight.size()));
            s.tell(List.of(eval.apply(done)));
        }
        return asked;
    }

    @Test
    void aToldResultJoinsThePopulationAtOnceAndAnAskProposesWhileOthersAreOutstanding() {
        Nsga2Searcher s = steady(3, 4, 20);
        List<Candidate> first = s.ask(4);
        assertEquals(4, first.size());
        s.tell(List.of(ZDT.evaluator().apply(first.get(2))));
        assertEquals(1, s.population().size(), "merged at once, not at the end of a generation");
        assertEquals(1, s.ask(1).size(), "no generation barrier: a new candidate with three outstanding");

        Nsga2Searcher generational = new Nsga2Searcher(ZDT.problem(), Nsga2Config.of(3, 4, 20));
        List<Candidate> g = generational.ask(4);
        generational.tell(List.of(ZDT.evaluator().apply(g.get(2))));
        assertEquals(0, generational.population().size());
        assertEquals(List.of(), generational.ask(1));
    }

    @Test
    void thePopulationNeverExceedsItsSizeAndTheBudgetIsSpentExactly() {
        Nsga2Searcher s = steady(4, 6, 50);
        List<Genome> asked = drive(s, 3, told -> told * 7);
        assertEquals(50, asked.size());
        assertEquals(50, new java.util.HashSet<>(asked).size(), "no genome asked twice");
        assertEquals(6, s.population().size());
        assertTrue(s.isFinished());
    }

    @Test
    void theSameArrivalOrderGivesTheSameCandidatesAndAnotherOrderOthers() {
        List<Genome> a = drive(steady(5, 8, 80), 4, told -> told * 3);
        List<Genome> b = drive(steady(5, 8, 80), 4, told -> told * 3);
        List<Genome> c = drive(steady(5, 8, 80), 4, told -> 0);
        assertEquals(a, b);
        assertEquals(a.subList(0, 8), c.subList(0, 8), "the initial random population does not depend on results");
        assertNotEquals(a, c, "children are bred from the results told before they were asked");
    }

    @Test
    void withOneCandidateInFlightTheSequenceIsFixedByTheSeed() {
        assertEquals(drive(steady(6, 8, 60), 1, told -> 0), drive(steady(6, 8, 60), 1, told -> 5));
    }

    @Test
    void aCheckpointTakenWithCandidatesInFlightContinuesExactlyAsTheOriginal() {
        Nsga2Searcher original = steady(7, 6, 40);
        List<Candidate> inFlight = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            inFlight.addAll(original.ask(3 - inFlight.size()));
            original.tell(List.of(ZDT.evaluator().apply(inFlight.remove(i % inFlight.size()))));
        }
        inFlight.addAll(original.ask(3 - inFlight.size()));
        String json = SearchCheckpoint.of(original).toJson();
        assertTrue(json.contains("\"steadyState\" : true"), json.substring(0, Math.min(400, json.length())));
        Searcher restored = SearchCheckpoint.fromJson(json).restore(ZDT.problem(), null);
        assertEquals(original.outstanding(), restored.outstanding(), "the candidates in flight are in the checkpoint");
        assertEquals(drive(original, 3, told -> told), drive(restored, 3, told -> told));
    }

    @Test
    void aStateSavedBeforeSteadyStateExistedReadsAsGenerational() {
        Nsga2Searcher generational = new Nsga2Searcher(ZDT.problem(), Nsga2Config.of(8, 4, 12));
        String json = SearchCheckpoint.of(generational).toJson();
        assertFalse(json.contains("steadyState"), "a generational state is written as before");
        Nsga2Searcher back = (Nsga2Searcher) SearchCheckpoint.fromJson(json).restore(ZDT.problem(), null);
        assertFalse(back.state().config().steadyState());
        assertEquals(SearchLoop.run(generational, ZDT.evaluator(), 4), SearchLoop.run(back, ZDT.evaluator(), 4));
    }

    @Test
    void oneAtATimeItReachesNinetyFivePercentOfTheTrueZdtHypervolume() {
        // The (mu+1) scheme on the problem the generational searcher is held to (Nsga2SearcherTest).
        for (long seed = 1; seed <= 2; seed++) {
            List<EvaluatedCandidate> r = SearchLoop.run(steady(seed, 64, 2_000), ZDT.evaluator(), 1);
            double fraction = SyntheticProblems.hypervolume(r, ZDT.reference()) / ZDT.trueHypervolume();
            assertTrue(fraction >= 0.95, "seed " + seed + ": steady-state NSGA-II reached " + fraction);
        }
    }
}
