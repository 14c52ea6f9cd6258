package io.tinysparse.search.driver;

import static io.tinysparse.search.driver.GenerationDriverTest.definition;
import static io.tinysparse.search.driver.GenerationDriverTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.driver.GenerationDriverTest.FakeEvaluator;
import io.tinysparse.search.driver.GenerationDriverTest.FakeRun;
import io.tinysparse.search.driver.GenerationDriverTest.MemoryLog;
import io.tinysparse.search.state.SearchCheckpoint;
import io.tinysparse.simulator.engine.train.SparseTrainer;
import io.tinysparse.simulator.policy.TrainingWork;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A search with device time as its third objective, through the driver, without Spark. */
class ThreeObjectiveSearchTest {
    static SearchDefinition threeD(SearcherKind kind, int runs, int population) {
        return definition(kind, runs, population).withObjectives(ObjectiveMode.ACCURACY_MEMORY_TIME);
    }

    @Test
    void theFrontsOfAThreeObjectiveSearchKeepFasterPoliciesThatTheTwoObjectiveFrontDrops() throws Exception {
        SearchDefinition d = threeD(SearcherKind.NSGA2, 24, 8);
        MemoryLog log = new MemoryLog();
        GenerationDriver.Summary<FakeRun> s = run(d, new FakeEvaluator(d.budget()), log);

        List<FakeRun> runs = log.storedRuns();
        RunFront<FakeRun> front = s.fronts().get(0);
        RunFront<FakeRun> expected = RunFront.perFidelity(runs, d.searchObjectives(), 1,
                RunOutcome::validationAccuracy).get(0);
        assertEquals(expected.runIds(), front.runIds());
        assertEquals(expected.hypervolume(), front.hypervolume());
        List<String> twoD = RunFront.perFidelity(runs, d.budget().reference(), 1).get(0).runIds();
        assertTrue(front.runIds().containsAll(twoD), "every 2-D member is still non-dominated in 3-D");
        assertTrue(front.runIds().size() > twoD.size(), "time adds members: " + front.runIds() + " vs " + twoD);
        for (RunFront.Member<FakeRun> m : front.members()) {
            for (FakeRun r : runs) {
                boolean better = r.validationAccuracy() >= m.validation().mean() && r.arenaBytes() <= m.arenaBytes()
                        && r.deviceTimeMs() <= m.run().deviceTimeMs();
                boolean strictly = r.validationAccuracy() > m.validation().mean() || r.arenaBytes() < m.arenaBytes()
                        || r.deviceTimeMs() < m.run().deviceTimeMs();
                assertFalse(better && strictly, r.runId() + " dominates front member " + m.run().runId());
            }
        }
    }

    @Test
    void aSteadyStateSearchTellsDeviceTimeAndReachesTheThreeObjectiveFrontOfItsRuns() throws Exception {
        SearchDefinition d = SteadyStateDriverTest.steady(SearcherKind.NSGA2, 16, 4, 1)
                .withObjectives(ObjectiveMode.ACCURACY_MEMORY_TIME);
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        MemoryLog log = new MemoryLog();
        GenerationDriver.Summary<FakeRun> s = SteadyStateDriverTest.run(d, ev,
                SteadyStateDriverTest.slots(2, ev, SteadyStateDriverTest.VARIED), SteadyStateDriverTest.EVERY_5, log);
        String state = log.commits.get(log.commits.size() - 1).stateJson();
        assertEquals(ObjectiveMode.ACCURACY_MEMORY_TIME, SearchCheckpoint.fromJson(state).mode());
        assertTrue(state.contains("\"deviceSeconds\" : 0."), "told results carry their device seconds");
        assertEquals(RunFront.perFidelity(log.storedRuns(), d.searchObjectives(), 1, RunOutcome::validationAccuracy)
                .get(0).runIds(), s.fronts().get(0).runIds());
    }

    @Test
    void theSearcherIsToldDeviceTimeAndItsCheckpointRecordsThreeObjectives() throws Exception {
        SearchDefinition d = threeD(SearcherKind.NSGA2, 16, 8);
        MemoryLog log = new MemoryLog();
        run(d, new FakeEvaluator(d.budget()), log);
        String state = log.commits.get(log.commits.size() - 1).stateJson();
        assertEquals(ObjectiveMode.ACCURACY_MEMORY_TIME, SearchCheckpoint.fromJson(state).mode());
        assertTrue(state.contains("\"deviceSeconds\" : 0."), "told results carry their device seconds");
        assertTrue(d.configJson().endsWith(",\"objectives\":\"accuracy,memory,time\"}"), d.configJson());
        assertFalse(definition(SearcherKind.NSGA2, 16, 8).configJson().contains("objectives"),
                "a 2-objective search keeps the configuration it had before time existed");
    }

    @Test
    void theHypervolumeIsAFractionOfTheBoxUpToTheDeviceTimeOfADenseStep() throws Exception {
        SearchDefinition d = threeD(SearcherKind.RANDOM, 12, 6);
        SearchObjectives o = d.searchObjectives();
        var table = d.budget().space().table();
        double dense = d.device().secondsPerStep(TrainingWork.of(table, SparseTrainer.densePolicy(table)));
        assertEquals(dense, o.reference().deviceSeconds());
        assertEquals(dense * 1000, o.timeReferenceMs());
        MemoryLog log = new MemoryLog();
        GenerationDriver.Summary<FakeRun> s = run(d, new FakeEvaluator(d.budget()), log);
        for (FakeRun r : log.storedRuns()) {
            assertTrue(r.deviceTimeMs() < o.timeReferenceMs(), "every policy is faster than dense");
        }
        RunFront<FakeRun> f = s.fronts().get(0);
        double fraction = GenerationDriver.boxFraction(d.driverSettings("t"), f);
        assertEquals(f.hypervolume() / (d.budget().budgetBytes() * dense), fraction, 1e-15);
        assertTrue(fraction > 0 && fraction < 1, "fraction " + fraction);
        assertNull(SearchObjectives.accuracyMemory(d.budget()).timeReferenceMs());
    }

    @Test
    void resumingASearchWithOtherObjectivesIsRefusedNamingThem() throws Exception {
        SearchDefinition two = definition(SearcherKind.NSGA2, 16, 8);
        MemoryLog log = new MemoryLog();
        log.failAt = 1;
        assertThrows(IllegalStateException.class, () -> run(two, new FakeEvaluator(two.budget()), log));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run(two.withObjectives(ObjectiveMode.ACCURACY_MEMORY_TIME), new FakeEvaluator(two.budget()), log));
        assertTrue(e.getMessage().contains("exists with another configuration (setting 'objectives' differs)"), e.getMessage());
        assertEquals(1, log.commits.size(), "nothing written");
    }

    @Test
    void aSearchWhoseCheckpointHasOtherObjectivesIsRefusedEvenUnderTheSameConfiguration() {
        SearchDefinition d = threeD(SearcherKind.NSGA2, 16, 8);
        SearchCheckpoint twoD = SearchCheckpoint.of(definition(SearcherKind.NSGA2, 16, 8).newSearcher());
        List<String> changed = twoD.differences(d.budget().problem(ObjectiveMode.ACCURACY_MEMORY_TIME),
                d.newSearcher().state());
        assertEquals(List.of("objectives ACCURACY_MEMORY stored, ACCURACY_MEMORY_TIME given"), changed);
    }

    @Test
    void searchersThatCannotTakeTimeAreRefusedWithOneLineAndTheOthersRunIt() throws Exception {
        for (SearcherKind k : List.of(SearcherKind.MODEL, SearcherKind.CONTRIBUTION)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> threeD(k, 12, 4));
            assertTrue(e.getMessage().startsWith("--searcher " + k.id() + " cannot take --objectives"
                    + " accuracy,memory,time: "), e.getMessage());
            assertTrue(e.getMessage().endsWith("; use nsga2, random, grid, halving for it"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        for (SearcherKind k : List.of(SearcherKind.GRID, SearcherKind.HALVING)) {
            SearchDefinition d = threeD(k, 9, 3);
            MemoryLog log = new MemoryLog();
            GenerationDriver.Summary<FakeRun> s = run(d, new FakeEvaluator(d.budget()), log);
            assertFalse(s.fronts().isEmpty());
            for (RunFront<FakeRun> f : s.fronts()) {
                assertTrue(f.hypervolume() > 0, k.id() + " fidelity " + f.fidelity());
            }
            assertEquals(ObjectiveMode.ACCURACY_MEMORY_TIME,
                    SearchCheckpoint.fromJson(log.commits.get(log.commits.size() - 1).stateJson()).mode(), k.id());
        }
    }
}
