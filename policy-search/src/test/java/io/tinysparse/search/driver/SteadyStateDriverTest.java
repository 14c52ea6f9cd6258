package io.tinysparse.search.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.driver.GenerationDriverTest.FakeEvaluator;
import io.tinysparse.search.driver.GenerationDriverTest.FakeRun;
import io.tinysparse.search.driver.GenerationDriverTest.MemoryLog;
import io.tinysparse.search.state.SearchCheckpoint;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.TrainingBudget;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The steady-state mode of the driver on {@link SimulatedRunSlots}: the order results arrive in
 * is set by each run's simulated duration, so every test is deterministic and waits for nothing.
 */
class SteadyStateDriverTest {
    static final long SECOND = 1_000_000_000L;
    /** Run lengths of 1 to 97 s, a fixed function of the run id. */
    static final ToLongFunction<PlannedRun> VARIED = p -> (Math.floorMod(p.runId().hashCode(), 97) + 1) * SECOND;
    /** Other run lengths, another function of the run id. */
    static final ToLongFunction<PlannedRun> OTHER = p -> (Math.floorMod(p.runId().hashCode() * 31 + 7, 89) + 1) * SECOND;
    static final CommitInterval EVERY_5 = new CommitInterval(5, Duration.ofHours(1));

    static SearchDefinition steady(SearcherKind kind, int runs, int population, int replicates) {
        return new SearchDefinition(kind, new SearcherSettings(5, runs, population, 2, 3, 1, 2, true),
                GenerationDriverTest.budget(), new DataSpec("mnist", 20, 10, 20, 5),
                new TrainingBudget(8, 1, 0.05, 0, 0, 2), DeviceProfile.preset("stm32f746"), "feedbeef", 20, replicates,
                SearchRules.CURRENT);
    }

    /** Slots whose runs are scored by {@code ev} (which records what it trained). */
    static SimulatedRunSlots<FakeRun> slots(int n, FakeEvaluator ev, ToLongFunction<PlannedRun> duration) {
        return new SimulatedRunSlots<>(n, p -> ev.evaluate(0, List.of(p)).get(0), duration);
    }

    static GenerationDriver.Summary<FakeRun> run(SearchDefinition d, FakeEvaluator ev, SimulatedRunSlots<FakeRun> slots,
            CommitInterval commits, MemoryLog log) throws InterruptedException {
        return new GenerationDriver<>(d.driverSettings("t"), d::newSearcher, ev, slots, commits, log,
                GenerationDriverTest.QUIET).run();
    }

    /** The log of a generational search of {@code kind}. */
    static MemoryLog generational(SearcherKind kind, int runs, int population) throws InterruptedException {
        SearchDefinition d = GenerationDriverTest.definition(kind, runs, population);
        MemoryLog log = new MemoryLog();
        GenerationDriverTest.run(d, new FakeEvaluator(d.budget()), log);
        return log;
    }

    static List<String> distinct(List<String> ids) {
        assertEquals(ids.size(), new HashSet<>(ids).size(), "a run id stored twice: " + ids);
        return ids;
    }

    @Test
    void aSteadyStateSearchNumbersItsCommitsAfterACommitInterruptedHalfWritten() throws Exception {
        // The store holds parts of generations 0-2 of this search (runs published, no search
        // record: a driver killed mid-commit). Write-once partitions would drop anything written
        // again under those numbers, and a steady-state search does not recompute them alike.
        SearchDefinition d = steady(SearcherKind.NSGA2, 12, 4, 1);
        MemoryLog log = new MemoryLog() {
            @Override
            public int highestGeneration() {
                return Math.max(2, super.highestGeneration());
            }
        };
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        run(d, ev, slots(2, ev, VARIED), EVERY_5, log);
        assertEquals(3, log.commits.get(0).generation(), "the first commit after the interrupted one");
        List<String> committed = new java.util.ArrayList<>();
        log.commits.forEach(c -> c.fresh().forEach(r -> committed.add(r.runId())));
        assertEquals(Set.copyOf(ev.trained), Set.copyOf(distinct(committed)), "every trained run is committed");
    }

    @Test
    void aSteadyStateSearchTakesRunsOtherSearchesStoredInsteadOfTrainingThem() throws Exception {
        // Random search proposes the same candidates whatever the results, so a second search
        // meets exactly the first one's runs, whichever way they reach it.
        SearchDefinition d = steady(SearcherKind.RANDOM, 12, 4, 1);
        MemoryLog first = new MemoryLog();
        FakeEvaluator ev1 = new FakeEvaluator(d.budget());
        GenerationDriver.Summary<FakeRun> a = run(d, ev1, slots(2, ev1, VARIED), EVERY_5, first);
        MemoryLog second = GenerationDriverTest.besides(first);
        FakeEvaluator ev2 = new FakeEvaluator(d.budget());
        GenerationDriver.Summary<FakeRun> b = run(d, ev2, slots(2, ev2, OTHER), EVERY_5, second);
        assertEquals(List.of(), ev2.trained, "nothing trained");
        assertEquals(Set.copyOf(ev1.trained), Set.copyOf(distinct(second.reusedRunIds())));
        GenerationDriverTest.assertSameFronts(a.fronts(), b.fronts());
        assertTrue(second.commits.stream().allMatch(c -> c.fresh().isEmpty()));
    }

    @Test
    void aScriptedArrivalOrderGivesTheSameCandidatesRunsAndFrontsTwice() throws Exception {
        SearchDefinition d = steady(SearcherKind.NSGA2, 30, 6, 1);
        FakeEvaluator ev1 = new FakeEvaluator(d.budget());
        SimulatedRunSlots<FakeRun> s1 = slots(3, ev1, VARIED);
        MemoryLog log1 = new MemoryLog();
        run(d, ev1, s1, EVERY_5, log1);
        FakeEvaluator ev2 = new FakeEvaluator(d.budget());
        SimulatedRunSlots<FakeRun> s2 = slots(3, ev2, VARIED);
        MemoryLog log2 = new MemoryLog();
        run(d, ev2, s2, EVERY_5, log2);

        assertEquals(30, distinct(s1.started()).size());
        assertEquals(s1.started(), s2.started());
        assertEquals(distinct(log1.committedRunIds()), log2.committedRunIds());
        GenerationDriverTest.assertSameFronts(log1.lastFronts(), log2.lastFronts());
    }

    @Test
    void anotherArrivalOrderMayAskOtherCandidatesButWithOneSlotRunLengthsChangeNothing() throws Exception {
        SearchDefinition d = steady(SearcherKind.NSGA2, 30, 6, 1);
        List<String> varied = startedWith(d, 3, VARIED);
        assertNotEquals(varied, startedWith(d, 3, OTHER), "steady-state NSGA-II uses each result as it arrives");
        assertEquals(startedWith(d, 1, VARIED), startedWith(d, 1, OTHER));
    }

    private static List<String> startedWith(SearchDefinition d, int n, ToLongFunction<PlannedRun> duration)
            throws InterruptedException {
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        SimulatedRunSlots<FakeRun> s = slots(n, ev, duration);
        run(d, ev, s, EVERY_5, new MemoryLog());
        return s.started();
    }

    @Test
    void randomSearchTrainsTheSameRunsAndReachesTheSameFrontsAsGenerationalInAnyArrivalOrder() throws Exception {
        MemoryLog g = generational(SearcherKind.RANDOM, 25, 5);
        SearchDefinition d = steady(SearcherKind.RANDOM, 25, 5, 1);
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        MemoryLog s = new MemoryLog();
        run(d, ev, slots(4, ev, VARIED), EVERY_5, s);
        assertEquals(Set.copyOf(g.committedRunIds()), Set.copyOf(distinct(s.committedRunIds())));
        GenerationDriverTest.assertSameFronts(g.lastFronts(), s.lastFronts());
    }

    @ParameterizedTest
    @EnumSource(value = SearcherKind.class, names = {"GRID", "HALVING", "CONTRIBUTION"})
    void searchersThatActOnWholeRoundsTrainTheSameRunsAsGenerational(SearcherKind kind) throws Exception {
        MemoryLog g = generational(kind, 9, 3);
        SearchDefinition d = steady(kind, 9, 3, 1);
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        MemoryLog s = new MemoryLog();
        run(d, ev, slots(2, ev, VARIED), EVERY_5, s);
        assertEquals(Set.copyOf(g.committedRunIds()), Set.copyOf(distinct(s.committedRunIds())));
        GenerationDriverTest.assertSameFronts(g.lastFronts(), s.lastFronts());
        assertTrue(s.commits.get(s.commits.size() - 1).finished());
    }

    @Test
    void everyCommitHoldsNResultsAndTheCandidatesStillInFlightAreInItsCheckpoint() throws Exception {
        SearchDefinition d = steady(SearcherKind.NSGA2, 23, 6, 1);
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        MemoryLog log = new MemoryLog();
        GenerationDriver.Summary<FakeRun> summary = run(d, ev, slots(3, ev, VARIED), EVERY_5, log);
        assertEquals(List.of(5, 5, 5, 5, 3), log.commits.stream().map(c -> c.fresh().size()).toList());
        assertEquals(List.of(0, 1, 2, 3, 4), log.commits.stream().map(GenerationCommit::generation).toList());
        assertEquals(List.of(false, false, false, false, true),
                log.commits.stream().map(GenerationCommit::finished).toList());
        assertEquals(4, summary.lastGeneration());
        assertEquals(23, summary.trained());
        for (GenerationCommit<FakeRun> c : log.commits.subList(0, 4)) {
            int outstanding = SearchCheckpoint.fromJson(c.stateJson()).restore(d.budget().problem(
                    io.tinysparse.search.ObjectiveMode.ACCURACY_MEMORY), d.budget()).outstanding().size();
            assertEquals(3, outstanding, "commit " + c.generation() + ": the three runs in flight");
        }
    }

    @Test
    void aCommitIsDueAfterTheIntervalWhileALongRunIsStillTraining() throws Exception {
        SearchDefinition d = steady(SearcherKind.RANDOM, 6, 3, 1);
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        // The first run started takes 1 s, every other one an hour: only the interval commits the first result.
        int[] submitted = {0};
        SimulatedRunSlots<FakeRun> s = new SimulatedRunSlots<>(2, p -> ev.evaluate(0, List.of(p)).get(0),
                p -> submitted[0]++ == 0 ? SECOND : 3600 * SECOND);
        MemoryLog log = new MemoryLog();
        run(d, ev, s, new CommitInterval(100, Duration.ofSeconds(10)), log);
        assertEquals(1, log.commits.get(0).fresh().size(), "committed 10 s in, not after 100 results");
        assertEquals(6, distinct(log.committedRunIds()).size());
    }

    @Test
    void aKilledSearchResumesFromItsLastCommitRestartsItsRunsInFlightAndStoresNoRunTwice() throws Exception {
        SearchDefinition d = steady(SearcherKind.NSGA2, 30, 6, 1);
        MemoryLog log = new MemoryLog();
        log.failAt = 3; // the fourth commit fails, and with it the search: what was in flight is lost
        FakeEvaluator killed = new FakeEvaluator(d.budget());
        assertThrows(IllegalStateException.class, () -> run(d, killed, slots(3, killed, VARIED), EVERY_5, log));
        assertEquals(3, log.commits.size());
        List<String> committed = List.copyOf(log.committedRunIds());
        List<String> inFlightAtCommit = SearchCheckpoint.fromJson(log.commits.get(2).stateJson())
                .restore(d.budget().problem(io.tinysparse.search.ObjectiveMode.ACCURACY_MEMORY), d.budget())
                .outstanding().stream().map(c -> d.planner().plan(c).runId()).toList();
        assertEquals(3, inFlightAtCommit.size());

        FakeEvaluator resumed = new FakeEvaluator(d.budget());
        SimulatedRunSlots<FakeRun> slots = slots(3, resumed, VARIED);
        GenerationDriver.Summary<FakeRun> s = run(d, resumed, slots, EVERY_5, log);
        assertEquals(inFlightAtCommit, slots.started().subList(0, 3), "the runs in flight are planned again first");
        assertTrue(log.committedRunIds().containsAll(committed), "no committed run lost");
        assertFalse(resumed.trained.stream().anyMatch(committed::contains), "no committed run retrained");
        assertEquals(30, distinct(log.committedRunIds()).size());
        assertEquals(30, s.stats().told());
        assertTrue(log.commits.get(log.commits.size() - 1).finished());
        assertEquals(3, log.commits.get(3).generation(), "commit numbers continue after the last commit");
    }

    @Test
    void aCandidateWhoseRunIsStoredIsToldFromTheStoreAndNotStarted() throws Exception {
        SearchDefinition d = steady(SearcherKind.RANDOM, 12, 4, 1);
        FakeEvaluator first = new FakeEvaluator(d.budget());
        MemoryLog whole = new MemoryLog();
        run(d, first, slots(2, first, VARIED), EVERY_5, whole);

        MemoryLog seeded = new MemoryLog();
        seeded.seeded.addAll(whole.storedRuns().subList(0, 7));
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        SimulatedRunSlots<FakeRun> slots = slots(2, ev, VARIED);
        GenerationDriver.Summary<FakeRun> s = run(d, ev, slots, EVERY_5, seeded);
        assertEquals(5, slots.started().size());
        assertEquals(5, s.trained());
        assertEquals(Set.copyOf(whole.committedRunIds()), Set.copyOf(distinct(seeded.committedRunIds())));
    }

    @Test
    void theReportPhaseRunsOnTheBatchEvaluatorOnceTheSearcherHasFinished() throws Exception {
        SearchDefinition d = steady(SearcherKind.NSGA2, 12, 4, 3);
        FakeEvaluator batch = new FakeEvaluator(d.budget());
        FakeEvaluator single = new FakeEvaluator(d.budget());
        MemoryLog log = new MemoryLog();
        GenerationDriver.Summary<FakeRun> s = run(d, batch, slots(2, single, VARIED), EVERY_5, log);
        assertEquals(12, single.trained.size(), "the searcher's runs in the slots");
        assertFalse(batch.trained.isEmpty(), "the report's runs on the batch evaluator");
        GenerationCommit<FakeRun> report = log.commits.get(log.commits.size() - 1);
        assertEquals(batch.trained.size(), report.fresh().size());
        assertEquals(3, s.fronts().get(s.fronts().size() - 1).members().get(0).validation().n());
        assertEquals(12 + batch.trained.size(), distinct(log.committedRunIds()).size());
    }

    @Test
    void aSteadyStateSearchIsAnotherConfigurationThanAGenerationalOne() throws Exception {
        MemoryLog log = generational(SearcherKind.NSGA2, 8, 4);
        SearchDefinition d = steady(SearcherKind.NSGA2, 8, 4, 1);
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run(d, ev, slots(2, ev, VARIED), EVERY_5, log));
        assertTrue(e.getMessage().contains("(setting 'steady_state' differs)"), e.getMessage());
        assertEquals(List.of(), ev.trained);
    }

    @Test
    void aBadCommitIntervalIsBadInputNamingTheValue() {
        assertEquals("--commit-every 0 must be >= 1",
                assertThrows(InvalidInputException.class, () -> CommitInterval.of(0, 60)).getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> CommitInterval.of(20, -1)).getMessage()
                .startsWith("--commit-seconds -1.0 "));
        assertThrows(InvalidInputException.class, () -> CommitInterval.of(20, Double.NaN));
    }
}
