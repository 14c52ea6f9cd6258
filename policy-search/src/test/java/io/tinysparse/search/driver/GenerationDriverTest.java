package io.tinysparse.search.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.TrainingWork;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.TrainingBudget;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generation loop without Spark or data: a made-up evaluator, an in-memory log. */
class GenerationDriverTest {
    static final ModelSpec MODEL = new ModelSpec(0.35, 32, 10, false, 1);
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /**
     * A stored run: accuracies fixed functions of the run id, memory the policy's arena estimate,
     * device time the device profile's estimate for the policy (as a real run's).
     */
    record FakeRun(String runId, String policyJson, int fidelity, int iterations, double validationAccuracy,
            double testAccuracy, long arenaBytes, double deviceTimeMs) implements RunOutcome {}

    /** Scores runs deterministically and counts what it trained. */
    static final class FakeEvaluator implements BatchEvaluator<FakeRun> {
        final MemoryBudget budget;
        final List<String> trained = new ArrayList<>();
        final long testSalt;

        FakeEvaluator(MemoryBudget budget) {
            this(budget, 0);
        }

        /** {@code testSalt} scrambles the test accuracies (as permuted test labels would), nothing else. */
        FakeEvaluator(MemoryBudget budget, long testSalt) {
            this.budget = budget;
            this.testSalt = testSalt;
        }

        @Override
        public List<FakeRun> evaluate(int generation, List<PlannedRun> runs) {
            List<FakeRun> out = new ArrayList<>();
            for (PlannedRun p : runs) {
                trained.add(p.runId());
                double acc = (Math.floorMod(p.runId().hashCode(), 1000) / 1000.0 + p.fidelity()) / (1 + p.fidelity());
                double test = testSalt == 0 ? acc : Math.floorMod((p.runId() + testSalt).hashCode(), 1000) / 1000.0;
                out.add(new FakeRun(p.runId(), PolicyJson.write(p.spec().policy()), p.fidelity(),
                        p.spec().budget().iterations(), acc, test, budget.estimator().report(p.spec().policy()).totalBytes(),
                        p.spec().profile().secondsPerStep(TrainingWork.of(p.spec().model().layers(), p.spec().policy()))
                                * 1000));
            }
            java.util.Collections.reverse(out); // any order is allowed
            return out;
        }
    }

    /**
     * The commits in memory; {@code failAt} makes the commit of that generation fail once;
     * {@code elsewhere} holds the runs other searches stored, by run id, and {@code lookups} counts
     * the runs the driver looked for there.
     */
    static class MemoryLog implements SearchLog<FakeRun> {
        final List<GenerationCommit<FakeRun>> commits = new ArrayList<>();
        final List<FakeRun> seeded = new ArrayList<>();
        final Map<String, FakeRun> elsewhere = new HashMap<>();
        final List<String> lookups = new ArrayList<>();
        int failAt = -1;

        @Override
        public Optional<SavedSearch> latest() {
            if (commits.isEmpty()) {
                return Optional.empty();
            }
            GenerationCommit<FakeRun> c = commits.get(commits.size() - 1);
            return Optional.of(new SavedSearch(c.generation(), c.configJson(), c.stateJson(), c.startedAt()));
        }

        @Override
        public List<FakeRun> storedRuns() {
            List<FakeRun> all = new ArrayList<>(seeded);
            commits.forEach(c -> {
                all.addAll(c.fresh());
                all.addAll(c.reused());
            });
            return all;
        }

        /** Another search's run as this search's: the stored figures at the planned fidelity. */
        @Override
        public List<FakeRun> storedElsewhere(int generation, List<PlannedRun> runs) {
            List<FakeRun> out = new ArrayList<>();
            for (PlannedRun p : runs) {
                lookups.add(p.runId());
                FakeRun r = elsewhere.get(p.runId());
                if (r != null) {
                    out.add(new FakeRun(r.runId(), r.policyJson(), p.fidelity(), r.iterations(),
                            r.validationAccuracy(), r.testAccuracy(), r.arenaBytes(), r.deviceTimeMs()));
                }
            }
            return out;
        }

        /** Every run this search took from other searches, over its commits. */
        List<String> reusedRunIds() {
            return commits.stream().flatMap(c -> c.reused().stream()).map(FakeRun::runId).toList();
        }

        @Override
        public void commit(GenerationCommit<FakeRun> g) {
            if (g.generation() == failAt) {
                failAt = -1;
                throw new IllegalStateException("disk full at generation " + g.generation());
            }
            commits.add(g);
        }

        List<String> committedRunIds() {
            return storedRuns().stream().map(FakeRun::runId).toList();
        }

        Set<String> elsewhereOrStored() {
            Set<String> ids = new HashSet<>(elsewhere.keySet());
            ids.addAll(committedRunIds());
            return ids;
        }

        List<RunFront<FakeRun>> lastFronts() {
            return commits.get(commits.size() - 1).fronts();
        }
    }

    static MemoryBudget budget() {
        var table = MODEL.layers();
        List<Integer> layers = new ArrayList<>();
        for (int i = table.convCount() - 1; layers.size() < 3; i--) {
            if (!table.conv(i).depthwise()) {
                layers.add(0, i);
            }
        }
        PolicySpace space = new PolicySpace(MODEL, List.of(0, 2, 4, 8, 12), layers, PolicySpace.DEFAULT_RATIOS,
                PolicySpace.defaultFor(MODEL).selections(), true);
        return new MemoryBudget(space, new ArenaEstimator(space.table(), ArenaConfig.DEFAULT), 262_144);
    }

    static SearchDefinition definition(SearcherKind kind, int runs, int population) {
        return definition(kind, runs, population, 1);
    }

    static SearchDefinition definition(SearcherKind kind, int runs, int population, int replicates) {
        return definition(kind, runs, population, replicates, 20);
    }

    static SearchDefinition definition(SearcherKind kind, int runs, int population, int replicates,
            int reportTestSamples) {
        return new SearchDefinition(kind, new SearcherSettings(5, runs, population, 2, 3, 1, 2), budget(),
                new DataSpec("mnist", 20, 10, 20, 5), new TrainingBudget(8, 1, 0.05, 0, 0, 2),
                DeviceProfile.preset("stm32f746"), "feedbeef", reportTestSamples, replicates, SearchRules.CURRENT);
    }

    static GenerationDriver.Summary<FakeRun> run(SearchDefinition d, FakeEvaluator ev, MemoryLog log)
            throws InterruptedException {
        return new GenerationDriver<>(d.driverSettings("t"), d::newSearcher, ev, log, QUIET).run();
    }

    static void assertSameFronts(List<RunFront<FakeRun>> expected, List<RunFront<FakeRun>> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).fidelity(), actual.get(i).fidelity());
            assertEquals(expected.get(i).hypervolume(), actual.get(i).hypervolume());
            assertEquals(expected.get(i).runIds(), actual.get(i).runIds());
        }
    }

    @Test
    void aSearchKilledByAFailedCommitResumesToTheSameRunsAndFrontsWithNoRunStoredTwice() throws Exception {
        SearchDefinition d = definition(SearcherKind.NSGA2, 12, 4);
        MemoryLog whole = new MemoryLog();
        run(d, new FakeEvaluator(d.budget()), whole);

        MemoryLog broken = new MemoryLog();
        broken.failAt = 1;
        assertThrows(IllegalStateException.class, () -> run(d, new FakeEvaluator(d.budget()), broken));
        assertEquals(1, broken.commits.size(), "generation 0 committed, generation 1 not");
        FakeEvaluator resumed = new FakeEvaluator(d.budget());
        run(d, resumed, broken);

        assertEquals(whole.committedRunIds().size(), new HashSet<>(broken.committedRunIds()).size());
        assertEquals(whole.committedRunIds().size(), broken.committedRunIds().size(), "no run stored twice");
        assertEquals(Set.copyOf(whole.committedRunIds()), Set.copyOf(broken.committedRunIds()));
        assertFalse(resumed.trained.stream().anyMatch(broken.commits.get(0).fresh().stream()
                .map(FakeRun::runId).toList()::contains), "the committed generation is not retrained");
        assertSameFronts(whole.lastFronts(), broken.lastFronts());
        assertTrue(broken.commits.get(broken.commits.size() - 1).finished());
    }

    @Test
    void runsAlreadyStoredForTheSearchAreToldFromTheStoreNotTrained() throws Exception {
        SearchDefinition d = definition(SearcherKind.RANDOM, 10, 5);
        MemoryLog first = new MemoryLog();
        run(d, new FakeEvaluator(d.budget()), first);

        MemoryLog second = new MemoryLog();
        second.seeded.addAll(first.storedRuns().subList(0, 6));
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        GenerationDriver.Summary<FakeRun> s = run(d, ev, second);
        assertEquals(4, ev.trained.size());
        assertEquals(4, s.trained());
        assertEquals(Set.copyOf(first.committedRunIds()), Set.copyOf(second.committedRunIds()));
        assertSameFronts(first.lastFronts(), second.lastFronts());
    }

    /** {@code log} with every run stored by the searches of {@code others} as runs stored elsewhere. */
    static MemoryLog besides(MemoryLog... others) {
        MemoryLog log = new MemoryLog();
        for (MemoryLog o : others) {
            o.storedRuns().forEach(r -> log.elsewhere.putIfAbsent(r.runId(), r));
        }
        return log;
    }

    @Test
    void aSecondSearchOfTheSameDefinitionTakesEveryRunFromTheOtherSearchTrainsNoneAndEndsWithTheSameFronts()
            throws Exception {
        SearchDefinition d = withReference(definition(SearcherKind.NSGA2, 12, 4, 3));
        MemoryLog first = new MemoryLog();
        FakeEvaluator ev1 = new FakeEvaluator(d.budget());
        GenerationDriver.Summary<FakeRun> a = run(d, ev1, first);

        MemoryLog second = besides(first);
        FakeEvaluator ev2 = new FakeEvaluator(d.budget());
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        GenerationDriver.Summary<FakeRun> b = new GenerationDriver<>(d.driverSettings("b"), d::newSearcher, ev2, second,
                new PrintStream(text, true)).run();
        assertEquals(List.of(), ev2.trained, "nothing trained");
        assertEquals(0, b.trained());
        assertEquals(ev1.trained.size(), second.reusedRunIds().size(), "every run of the first search taken once");
        assertEquals(Set.copyOf(ev1.trained), Set.copyOf(second.reusedRunIds()));
        assertEquals(first.commits.size(), second.commits.size());
        for (int g = 0; g < first.commits.size(); g++) {
            assertSameFronts(first.commits.get(g).fronts(), second.commits.get(g).fronts());
            assertEquals(first.commits.get(g).stateJson(), second.commits.get(g).stateJson(), "searcher state " + g);
            assertEquals(List.of(), second.commits.get(g).fresh());
        }
        assertSameFronts(a.fronts(), b.fronts());
        assertEquals(a.lastGeneration(), b.lastGeneration(), "a report generation of taken runs only is one too");
        assertEquals(a.reference().runs().stream().map(FakeRun::runId).toList(),
                b.reference().runs().stream().map(FakeRun::runId).toList(), "the dense reference is taken too");
        String gen0 = text.toString().lines().filter(l -> l.startsWith("generation 0 ")).findFirst().orElseThrow();
        assertTrue(gen0.contains("(0 trained now, 4 reused, 4 of them from other searches)"), gen0);
        assertTrue(text.toString().contains("more taken from other searches"), text.toString());

        FakeEvaluator again = new FakeEvaluator(d.budget());
        int lookups = second.lookups.size();
        run(d, again, second);
        assertEquals(List.of(), again.trained, "the finished second search resumes from its own store");
        assertEquals(lookups, second.lookups.size(), "and looks for nothing elsewhere: the reused runs are its own");
    }

    @Test
    void aPartlyOverlappingSearchTrainsOnlyTheRunsNoOtherSearchStoredAndGetsTheFrontsOfTrainingThemAll()
            throws Exception {
        SearchDefinition small = definition(SearcherKind.RANDOM, 8, 4);
        SearchDefinition large = definition(SearcherKind.RANDOM, 16, 4);
        MemoryLog first = new MemoryLog();
        run(small, new FakeEvaluator(small.budget()), first);
        MemoryLog alone = new MemoryLog();
        FakeEvaluator all = new FakeEvaluator(large.budget());
        run(large, all, alone);

        MemoryLog second = besides(first);
        FakeEvaluator ev = new FakeEvaluator(large.budget());
        run(large, ev, second);
        Set<String> taken = Set.copyOf(second.reusedRunIds());
        assertFalse(taken.isEmpty(), "the runs of the smaller search are reused");
        assertTrue(taken.stream().allMatch(first.elsewhereOrStored()::contains));
        assertTrue(ev.trained.stream().noneMatch(taken::contains), "no reused run is trained");
        assertEquals(all.trained.size(), ev.trained.size() + taken.size(), "each run either trained or taken");
        assertEquals(Set.copyOf(alone.committedRunIds()), Set.copyOf(second.committedRunIds()));
        assertEquals(alone.committedRunIds().size(), second.committedRunIds().size(), "no run stored twice");
        assertSameFronts(alone.lastFronts(), second.lastFronts());
    }

    @Test
    void aRunTheLogTakesFromElsewhereAtAnotherFidelityThanAskedFailsTheSearch() throws Exception {
        SearchDefinition d = definition(SearcherKind.RANDOM, 4, 4);
        MemoryLog first = new MemoryLog();
        run(d, new FakeEvaluator(d.budget()), first);
        MemoryLog broken = new MemoryLog() {
            @Override
            public List<FakeRun> storedElsewhere(int generation, List<PlannedRun> runs) {
                return first.storedRuns().stream().map(r -> new FakeRun(r.runId(), r.policyJson(), r.fidelity() + 1,
                        r.iterations(), r.validationAccuracy(), r.testAccuracy(), r.arenaBytes(), r.deviceTimeMs()))
                        .toList();
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run(d, new FakeEvaluator(d.budget()), broken));
        assertTrue(e.getMessage().contains("at fidelity 1, which was not asked for at that fidelity"), e.getMessage());
    }

    @Test
    void aResumeUnderAnotherConfigurationIsRefusedAndTrainsNothing() throws Exception {
        MemoryLog log = new MemoryLog();
        SearchDefinition d = definition(SearcherKind.RANDOM, 4, 4);
        run(d, new FakeEvaluator(d.budget()), log);
        SearchDefinition other = definition(SearcherKind.RANDOM, 8, 4);
        FakeEvaluator ev = new FakeEvaluator(other.budget());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(other, ev, log));
        assertTrue(e.getMessage().contains("another configuration (setting 'runs' differs)"), e.getMessage());
        assertEquals(List.of(), ev.trained);
    }

    @Test
    void theDifferingSettingsAreNamedWithAVerbThatAgrees() {
        assertEquals("setting 'quantization' differs",
                GenerationDriver.differingKeys("{\"quantization\":\"int8\",\"runs\":4}", "{\"runs\":4}"));
        assertEquals("settings 'runs', 'seed' differ",
                GenerationDriver.differingKeys("{\"runs\":4,\"seed\":1}", "{\"runs\":8,\"seed\":2}"));
    }

    /** A search of {@code d} stopped after its first commit, whose stored searcher state {@code edit} changed. */
    static MemoryLog stoppedWithEditedState(SearchDefinition d, java.util.function.UnaryOperator<String> edit)
            throws Exception {
        MemoryLog log = new MemoryLog();
        log.failAt = 1;
        assertThrows(IllegalStateException.class, () -> run(d, new FakeEvaluator(d.budget()), log));
        GenerationCommit<FakeRun> c = log.commits.get(0);
        String edited = edit.apply(c.stateJson());
        assertFalse(edited.equals(c.stateJson()), "the edit changed the stored state");
        log.commits.set(0, new GenerationCommit<>(c.generation(), c.finished(), c.configJson(), edited, c.stats(),
                c.startedAt(), c.updatedAt(), c.fresh(), c.fronts()));
        return log;
    }

    /** Resuming {@code d} after its stored state was edited is refused, naming {@code difference}; nothing trained. */
    static void assertResumeRefused(SearchDefinition d, java.util.function.UnaryOperator<String> edit,
            String difference) throws Exception {
        MemoryLog log = stoppedWithEditedState(d, edit);
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(d, ev, log));
        assertTrue(e.getMessage().contains("stored searcher state does not match the command line (" + difference),
                e.getMessage());
        assertEquals(List.of(), ev.trained);
    }

    @Test
    void aResumeWhoseStoredCandidateBudgetWasEditedIsRefusedNamingTheBudgetAndTrainsNothing() throws Exception {
        assertResumeRefused(definition(SearcherKind.RANDOM, 24, 4),
                json -> json.replace("\"maxCandidates\" : 24", "\"maxCandidates\" : 32"),
                "maxCandidates 32 stored, 24 given");
    }

    @Test
    void aResumeWhoseStoredSeedWasEditedIsRefusedNamingTheSeed() throws Exception {
        assertResumeRefused(definition(SearcherKind.NSGA2, 12, 4),
                json -> json.replaceFirst("\"seed\" : 5,", "\"seed\" : 6,"), "seed 6 stored, 5 given");
    }

    @Test
    void aResumeWhoseStoredStateIsOfAnotherSearcherIsRefusedNamingBoth() throws Exception {
        SearchDefinition grid = definition(SearcherKind.GRID, 8, 4);
        MemoryLog other = new MemoryLog();
        other.failAt = 1;
        assertThrows(IllegalStateException.class, () -> run(grid, new FakeEvaluator(grid.budget()), other));
        String gridState = other.commits.get(0).stateJson();
        assertResumeRefused(definition(SearcherKind.RANDOM, 8, 4), json -> gridState,
                "searcher grid stored, random given");
    }

    @Test
    void aResumeWhoseStoredSpaceWasEditedIsRefusedNamingTheGene() throws Exception {
        assertResumeRefused(definition(SearcherKind.RANDOM, 8, 4),
                json -> json.replaceFirst("\"cardinality\" : 3", "\"cardinality\" : 4"),
                "space.genes[4].cardinality 4 stored, 3 given");
    }

    @Test
    void successiveHalvingKeepsOneFrontPerFidelityEachOverItsOwnRunsOnly() throws Exception {
        SearchDefinition d = definition(SearcherKind.HALVING, 9, 9);
        MemoryLog log = new MemoryLog();
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        GenerationDriver.Summary<FakeRun> s = run(d, ev, log);
        assertEquals(9 + 3, ev.trained.size(), "rung 0: 9 runs; rung 1: the best 9 / 3");
        assertEquals(List.of(0, 1), s.fronts().stream().map(RunFront::fidelity).toList());
        Map<String, Integer> level = new HashMap<>();
        log.storedRuns().forEach(r -> level.put(r.runId(), r.fidelity()));
        for (RunFront<FakeRun> f : s.fronts()) {
            for (FakeRun m : f.members().stream().map(RunFront.Member::run).toList()) {
                assertEquals(f.fidelity(), level.get(m.runId()));
                for (FakeRun other : log.storedRuns()) {
                    boolean dominates = other.fidelity() == f.fidelity()
                            && other.validationAccuracy() >= m.validationAccuracy()
                            && other.arenaBytes() <= m.arenaBytes()
                            && (other.validationAccuracy() > m.validationAccuracy()
                            || other.arenaBytes() < m.arenaBytes());
                    assertFalse(dominates, other + " dominates front member " + m);
                }
            }
        }
    }

    @Test
    void everySearcherKnowsHowManyRunsItPlansAndTellsNoMore() throws Exception {
        for (SearcherKind kind : SearcherKind.values()) {
            SearchDefinition d = definition(kind, 9, 4);
            var searcher = d.newSearcher();
            long plannedAtStart = searcher.plannedRuns();
            MemoryLog log = new MemoryLog();
            GenerationDriver.Summary<FakeRun> s = run(d, new FakeEvaluator(d.budget()), log);
            assertTrue(s.stats().told() <= plannedAtStart, kind + ": told " + s.stats().told() + " > planned "
                    + plannedAtStart);
            if (kind != SearcherKind.CONTRIBUTION && kind != SearcherKind.GRID) {
                assertEquals(plannedAtStart, s.stats().told(), kind + " plans exactly");
            }
        }
    }

    @Test
    void theStartTimeSurvivesAResume() throws Exception {
        SearchDefinition d = definition(SearcherKind.NSGA2, 8, 4);
        MemoryLog log = new MemoryLog();
        log.failAt = 1;
        assertThrows(IllegalStateException.class, () -> run(d, new FakeEvaluator(d.budget()), log));
        Instant started = log.commits.get(0).startedAt();
        run(d, new FakeEvaluator(d.budget()), log);
        assertTrue(log.commits.stream().allMatch(c -> c.startedAt().equals(started)));
    }

    @Test
    void scramblingTheTestAccuraciesChangesNoDecisionOfAnySearcher() throws Exception {
        for (SearcherKind kind : SearcherKind.values()) {
            SearchDefinition d = definition(kind, 9, 4);
            MemoryLog honest = new MemoryLog();
            FakeEvaluator a = new FakeEvaluator(d.budget());
            run(d, a, honest);
            MemoryLog scrambled = new MemoryLog();
            FakeEvaluator b = new FakeEvaluator(d.budget(), 12345);
            run(d, b, scrambled);
            assertEquals(a.trained, b.trained, kind + ": the same runs in the same order");
            assertFalse(honest.storedRuns().equals(scrambled.storedRuns()), "the test accuracies did differ");
            for (int g = 0; g < honest.commits.size(); g++) {
                assertEquals(honest.commits.get(g).stateJson(), scrambled.commits.get(g).stateJson(),
                        kind + ": searcher state after generation " + g);
                List<RunFront<FakeRun>> x = honest.commits.get(g).fronts();
                List<RunFront<FakeRun>> y = scrambled.commits.get(g).fronts();
                assertEquals(x.stream().map(RunFront::runIds).toList(), y.stream().map(RunFront::runIds).toList());
                assertEquals(x.stream().map(RunFront::hypervolume).toList(), y.stream().map(RunFront::hypervolume)
                        .toList());
            }
        }
    }

    @Test
    void withReplicatesTheLastFrontIsRetrainedUnderOtherSeedsAndReportedOnItsMeans() throws Exception {
        SearchDefinition d = definition(SearcherKind.NSGA2, 12, 4, 3);
        MemoryLog log = new MemoryLog();
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        GenerationDriver.Summary<FakeRun> s = run(d, ev, log);
        GenerationCommit<FakeRun> last = log.commits.get(log.commits.size() - 1);
        RunFront<FakeRun> front = last.fronts().get(last.fronts().size() - 1);
        assertTrue(front.members().size() >= 1);
        for (RunFront.Member<FakeRun> m : front.members()) {
            assertEquals(3, m.runs().size(), "every front policy has its 3 replicates");
            assertEquals(3, m.validation().n());
            assertEquals(1, m.runs().stream().map(FakeRun::policyJson).distinct().count());
        }
        assertEquals(12 + 2L * log.commits.get(log.commits.size() - 2).fronts().get(0).members().size(),
                ev.trained.size(), "12 searched runs, then 2 more seeds for each policy of the single-run front");
        assertEquals(s.trained(), ev.trained.size());

        int commits = log.commits.size();
        FakeEvaluator again = new FakeEvaluator(d.budget());
        GenerationDriver.Summary<FakeRun> resumed = run(d, again, log);
        assertEquals(List.of(), again.trained, "a finished, replicated search trains nothing more");
        assertEquals(commits, log.commits.size(), "and commits nothing more");
        assertSameFronts(s.fronts(), resumed.fronts());
    }

    @Test
    void theFinalFrontIsRetrainedOnTheReportTestSubsetAndReportedFromThoseRunsOnly() throws Exception {
        SearchDefinition d = definition(SearcherKind.RANDOM, 8, 4, 1, 500);
        MemoryLog log = new MemoryLog();
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        GenerationDriver.Summary<FakeRun> s = run(d, ev, log);
        GenerationCommit<FakeRun> last = log.commits.get(log.commits.size() - 1);
        int frontSize = log.commits.get(log.commits.size() - 2).fronts().get(0).members().size();
        assertEquals(frontSize, last.fresh().size(), "one report run per front policy");
        assertEquals(8 + frontSize, ev.trained.size());
        Set<String> report = new HashSet<>(last.fresh().stream().map(FakeRun::runId).toList());
        for (RunFront.Member<FakeRun> m : s.fronts().get(s.fronts().size() - 1).members()) {
            assertTrue(report.contains(m.run().runId()), "front member " + m.run().runId() + " is a report run");
        }
        FakeEvaluator again = new FakeEvaluator(d.budget());
        run(d, again, log);
        assertEquals(List.of(), again.trained, "report runs are stored: a rerun trains nothing");
    }

    static SearchDefinition withReference(SearchDefinition d) {
        return new SearchDefinition(d.kind(), d.settings(), d.budget(), d.data(), d.training(), d.device(),
                d.backboneHash(), d.reportTestSamples(), d.replicates(), d.rules(),
                new DenseReference("unfoldedbeef", DenseReference.DEFAULT_LEARNING_RATE));
    }

    @Test
    void theDenseReferenceIsTrainedOnceBesideTheFinalFrontPairedWithItsReplicatesAndDecidesNothing() throws Exception {
        SearchDefinition plain = definition(SearcherKind.HALVING, 12, 4, 3);
        SearchDefinition d = withReference(plain);
        MemoryLog log = new MemoryLog();
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        GenerationDriver.Summary<FakeRun> s = run(d, ev, log);
        GenerationDriver.Summary<FakeRun> without = run(plain, new FakeEvaluator(plain.budget()), new MemoryLog());
        assertSameFronts(without.fronts(), s.fronts());
        assertEquals(without.lastGeneration(), s.lastGeneration(), "the reference adds no generation");
        assertEquals(null, without.reference());

        RunFront.Member<FakeRun> ref = s.reference();
        assertEquals(3, ref.runs().size(), "one dense run per replicate seed");
        RunFront<FakeRun> top = s.fronts().get(s.fronts().size() - 1);
        GenerationCommit<FakeRun> last = log.commits.get(log.commits.size() - 1);
        assertEquals(ref.runs(), last.reference().runs(), "committed with the report generation");
        RunPlanner planner = d.planner();
        int multiplier = planner.multiplierOf(top.members().get(0).run());
        for (int k = 0; k < 3; k++) {
            PlannedRun dense = planner.referenceRun(d.reference(), k, multiplier, top.fidelity());
            PlannedRun paired = planner.reportRun(top.members().get(0).run(), k);
            assertEquals(RunRole.REFERENCE, dense.role());
            assertEquals(paired.spec().seed(), dense.spec().seed(), "replicate " + k + " shares the policies' seed");
            assertEquals(paired.spec().data(), dense.spec().data());
            assertEquals(paired.spec().budget().iterations(), dense.spec().budget().iterations(),
                    "trained as long as the front's runs");
            assertEquals("unfoldedbeef", dense.spec().backboneHash());
            assertTrue(dense.spec().budget().runningStatistics());
            assertEquals(List.of(0.01), dense.spec().budget().learningRates());
            assertTrue(ref.runs().stream().anyMatch(r -> r.runId().equals(dense.runId())));
            assertEquals(1, ev.trained.stream().filter(dense.runId()::equals).count(), "trained once");
        }
        assertTrue(top.members().stream().flatMap(m -> m.runs().stream())
                .noneMatch(r -> ref.runs().contains(r)), "the reference is not a front member");

        FakeEvaluator again = new FakeEvaluator(d.budget());
        GenerationDriver.Summary<FakeRun> resumed = run(d, again, log);
        assertEquals(List.of(), again.trained, "a finished search with its reference trains nothing more");
        assertEquals(ref.runs(), resumed.reference().runs());
    }

    @Test
    void aSearchWithoutReportPhaseStillTrainsItsReferenceAndItsFrontIsUnchanged() throws Exception {
        SearchDefinition plain = definition(SearcherKind.RANDOM, 8, 4, 1, 20);
        SearchDefinition d = withReference(plain);
        FakeEvaluator ev = new FakeEvaluator(d.budget());
        GenerationDriver.Summary<FakeRun> s = run(d, ev, new MemoryLog());
        GenerationDriver.Summary<FakeRun> without = run(plain, new FakeEvaluator(plain.budget()), new MemoryLog());
        assertSameFronts(without.fronts(), s.fronts());
        assertEquals(9, ev.trained.size(), "8 searched runs and one dense run; replicate 0 of the front is reused");
        assertEquals(1, s.reference().validation().n());
        assertTrue(d.configJson().contains("\"dense_reference\""));
        assertTrue(DenseReference.configured(d.configJson()));
        assertFalse(DenseReference.configured(plain.configJson()), "absent from searches without one");
    }

    @Test
    void theProgressLineSaysWhatTheReportPhaseWillAdd() throws Exception {
        SearchDefinition d = withReference(definition(SearcherKind.NSGA2, 8, 4, 3));
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        new GenerationDriver<>(d.driverSettings("t"), d::newSearcher, new FakeEvaluator(d.budget()), new MemoryLog(),
                new PrintStream(text, true)).run();
        String first = text.toString().lines().filter(l -> l.startsWith("generation 0 ")).findFirst().orElseThrow();
        // 3 replicates with the search's own test subset (20): replicate 0 is the search run, 2 more per policy.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("front (\\d+),.*then the report: about (\\d+)"
                + " runs \\(3 of them dense\\)").matcher(first);
        assertTrue(m.find(), first);
        assertEquals(2 * Integer.parseInt(m.group(1)) + 3, Integer.parseInt(m.group(2)), first);
    }
}
