package io.tinysparse.search.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.search.space.PolicySpaces;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.memory.MemoryEstimator;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.TrainingWork;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.RunSpec;
import io.tinysparse.simulator.run.TrainingBudget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One search over backbones pruned by several ratios: the ratio a gene, each run on its backbone's shapes. */
class PrunedSearchTest {
    static final ModelSpec PARENT = GenerationDriverTest.MODEL;
    static final ModelSpec PRUNED = ModelSpec.of(ChannelGroups.of(PARENT.architecture()).pruned(0.5),
            PARENT.resolution(), PARENT.numClasses());
    static final String PARENT_HASH = "parentbeef";
    static final String PRUNED_HASH = "prunedbeef";

    /** A run that says which backbone it fine-tuned. */
    record Run(String runId, String policyJson, String backboneHash, int fidelity, int iterations,
            double validationAccuracy, double testAccuracy, long arenaBytes, double deviceTimeMs) implements RunOutcome {}

    static MemoryBudget budget(long bytes) {
        PolicySpace parent = GenerationDriverTest.budget().space();
        PolicySpaces spaces = PolicySpaces.of(List.of(parent, parent.forPruned(PRUNED)));
        List<MemoryEstimator> estimators = spaces.all().stream()
                .map(s -> (MemoryEstimator) new ArenaEstimator(s.table(), ArenaConfig.DEFAULT)).toList();
        return new MemoryBudget(spaces, estimators, bytes);
    }

    static SearchDefinition definition(SearcherKind kind, int runs, int replicates, ObjectiveMode mode) {
        return new SearchDefinition(kind, new SearcherSettings(5, runs, 4, 2, 3, 1, 2), budget(262_144),
                new DataSpec("mnist", 20, 10, 20, 5), new TrainingBudget(8, 1, 0.05, 0, 0, 2),
                DeviceProfile.preset("stm32f746"), PARENT_HASH, 40, replicates, SearchRules.CURRENT,
                new DenseReference("unfoldedbeef", DenseReference.DEFAULT_LEARNING_RATE), null, mode,
                new PrunedBackbones(List.of(0.0, 0.5), List.of(PARENT_HASH, PRUNED_HASH)));
    }

    /**
     * Trains nothing: the accuracy of a run is a fixed function of its id, a little lower on the
     * pruned backbone; memory and time are its spec's, costed on the spec's model (as a real run's).
     */
    static final class Evaluator implements BatchEvaluator<Run> {
        final List<RunSpec> specs = new ArrayList<>();
        final List<String> runIds = new ArrayList<>();
        final Map<Integer, List<String>> backbonesOfGeneration = new HashMap<>();

        @Override
        public List<Run> evaluate(int generation, List<PlannedRun> runs) {
            List<Run> out = new ArrayList<>();
            for (PlannedRun p : runs) {
                RunSpec s = p.spec();
                specs.add(s);
                runIds.add(p.runId());
                backbonesOfGeneration.computeIfAbsent(generation, g -> new ArrayList<>()).add(s.backboneHash());
                double acc = 0.05 + 0.9 * Math.floorMod(p.runId().hashCode(), 1000) / 1000.0
                        - (s.backboneHash().equals(PRUNED_HASH) ? 0.05 : 0);
                long bytes = new ArenaEstimator(s.model().layers(), ArenaConfig.DEFAULT).report(s.policy()).totalBytes();
                out.add(new Run(p.runId(), PolicyJson.write(s.policy()), s.backboneHash(), p.fidelity(),
                        s.budget().iterations(), acc, acc, bytes,
                        s.profile().secondsPerStep(TrainingWork.of(s.model().layers(), s.policy())) * 1000));
            }
            return out;
        }
    }

    static final class Log implements SearchLog<Run> {
        final List<GenerationCommit<Run>> commits = new ArrayList<>();

        @Override
        public Optional<SavedSearch> latest() {
            if (commits.isEmpty()) {
                return Optional.empty();
            }
            GenerationCommit<Run> c = commits.get(commits.size() - 1);
            return Optional.of(new SavedSearch(c.generation(), c.configJson(), c.stateJson(), c.startedAt()));
        }

        @Override
        public List<Run> storedRuns() {
            List<Run> all = new ArrayList<>();
            commits.forEach(c -> all.addAll(c.fresh()));
            return all;
        }

        @Override
        public void commit(GenerationCommit<Run> g) {
            commits.add(g);
        }
    }

    static GenerationDriver.Summary<Run> run(SearchDefinition d, Evaluator ev, Log log) throws Exception {
        return new GenerationDriver<>(d.driverSettings("p"), d::newSearcher, ev, log, GenerationDriverTest.QUIET).run();
    }

    @Test
    void everyRunFineTunesItsGenomesBackboneWithThatBackbonesModelAndFitsOnItsShapes() throws Exception {
        SearchDefinition d = definition(SearcherKind.NSGA2, 24, 2, ObjectiveMode.ACCURACY_MEMORY);
        Evaluator ev = new Evaluator();
        Log log = new Log();
        GenerationDriver.Summary<Run> s = run(d, ev, log);
        Map<String, ModelSpec> modelOf = Map.of(PARENT_HASH, PARENT, PRUNED_HASH, PRUNED, "unfoldedbeef", PARENT);
        Set<String> backbones = new HashSet<>();
        for (RunSpec spec : ev.specs) {
            assertEquals(modelOf.get(spec.backboneHash()), spec.model(), "a run's model is its backbone's");
            backbones.add(spec.backboneHash());
        }
        assertEquals(Set.of(PARENT_HASH, PRUNED_HASH, "unfoldedbeef"), backbones, "both ratios searched, and the"
                + " dense reference on the first backbone");
        for (Run r : log.storedRuns()) {
            if (!r.backboneHash().equals("unfoldedbeef")) {
                assertTrue(r.arenaBytes() <= 262_144, "feasible on its own backbone's shapes: " + r);
            }
        }
        // The final front: report runs (2 replicates, 40 test samples) of each member on the member's backbone.
        RunFront<Run> last = s.fronts().get(s.fronts().size() - 1);
        for (RunFront.Member<Run> m : last.members()) {
            assertEquals(2, m.runs().size());
            assertEquals(1, m.runs().stream().map(Run::backboneHash).distinct().count(), "replicates share a backbone");
        }
        assertTrue(s.reference() != null, "the dense reference is reported");
        Evaluator again = new Evaluator();
        run(d, again, log);
        assertEquals(List.of(), again.specs, "a rerun recognises every stored run (search, report, reference) and"
                + " trains nothing");
    }

    @Test
    void theInitialDesignGivesEveryBackboneItsShare() throws Exception {
        for (SearcherKind kind : List.of(SearcherKind.NSGA2, SearcherKind.MODEL)) {
            Evaluator ev = new Evaluator();
            run(definition(kind, 8, 1, ObjectiveMode.ACCURACY_MEMORY), ev, new Log());
            List<String> first = ev.backbonesOfGeneration.get(0);
            if (kind == SearcherKind.NSGA2) {
                assertEquals(4, first.size());
                assertEquals(2, first.stream().filter(PRUNED_HASH::equals).count(), kind + ": " + first);
            } else {
                // the model searcher's contribution design: its points on the backbones in turn
                List<String> design = ev.specs.stream().limit(4).map(RunSpec::backboneHash).toList();
                assertEquals(2, design.stream().filter(PRUNED_HASH::equals).count(), kind + ": " + design);
            }
        }
    }

    @Test
    void aResumedSearchAsksWhatAnUninterruptedOneAsks() throws Exception {
        SearchDefinition d = definition(SearcherKind.NSGA2, 16, 1, ObjectiveMode.ACCURACY_MEMORY);
        Evaluator whole = new Evaluator();
        run(d, whole, new Log());
        // Stop after the first generation, then resume in a new driver.
        Log log = new Log();
        Evaluator first = new Evaluator();
        SearchDefinition shorter = definition(SearcherKind.NSGA2, 16, 1, ObjectiveMode.ACCURACY_MEMORY);
        GenerationDriver<Run> driver = new GenerationDriver<>(shorter.driverSettings("p"), shorter::newSearcher,
                new BatchEvaluator<Run>() {
                    @Override
                    public List<Run> evaluate(int generation, List<PlannedRun> runs) {
                        if (generation > 0) {
                            throw new IllegalStateException("stopped");
                        }
                        return first.evaluate(generation, runs);
                    }
                }, log, GenerationDriverTest.QUIET);
        assertThrows(IllegalStateException.class, driver::run);
        Evaluator rest = new Evaluator();
        run(d, rest, log);
        List<String> resumed = new ArrayList<>(first.runIds);
        resumed.addAll(rest.runIds);
        assertEquals(whole.runIds, resumed);
        assertEquals(Set.of(PARENT_HASH, PRUNED_HASH, "unfoldedbeef"), whole.specs.stream().map(RunSpec::backboneHash)
                .collect(java.util.stream.Collectors.toSet()), "fixture: both backbones, and the reference");
    }

    @Test
    void theConfigurationRecordsTheRatiosAndTheirBackbonesAndTimeIsBoxedByTheSlowestBackbone() throws Exception {
        SearchDefinition d = definition(SearcherKind.NSGA2, 16, 1, ObjectiveMode.ACCURACY_MEMORY_TIME);
        assertTrue(d.configJson().contains("\"prune_ratios\":[0.0,0.5],\"backbone_hashes\":[\"parentbeef\","
                + "\"prunedbeef\"]"), d.configJson());
        com.fasterxml.jackson.databind.JsonNode models = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(d.configJson()).get("backbone_models");
        assertEquals(PARENT, io.tinysparse.search.space.PolicySpaceJson.model(models.get(0)));
        assertEquals(PRUNED, io.tinysparse.search.space.PolicySpaceJson.model(models.get(1)), "what export reads back");
        assertFalse(GenerationDriverTest.definition(SearcherKind.NSGA2, 16, 4).configJson().contains("prune"),
                "absent from a search of one backbone");
        double parent = SearchObjectives.denseStepSeconds(PARENT.layers(), d.device());
        assertTrue(parent > SearchObjectives.denseStepSeconds(PRUNED.layers(), d.device()));
        assertEquals(parent, d.searchObjectives().reference().deviceSeconds());
        assertEquals(new SearchDefinition(d.kind(), d.settings(), d.budget(), d.data(), d.training(), d.device(),
                d.backboneHash(), d.reportTestSamples(), d.replicates(), d.rules(), d.reference(), null,
                d.objectives(), d.pruned()).fingerprintId("q"), d.fingerprintId("q"));
    }

    @Test
    void contributionAnalysisRefusesSeveralBackbonesAndTheModelSearcherTakesThem() throws Exception {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> definition(SearcherKind.CONTRIBUTION, 16, 1, ObjectiveMode.ACCURACY_MEMORY));
        assertTrue(e.getMessage().startsWith("--searcher contribution cannot search 2 pruning ratios at once"),
                e.getMessage());
        Evaluator ev = new Evaluator();
        run(definition(SearcherKind.MODEL, 20, 1, ObjectiveMode.ACCURACY_MEMORY), ev, new Log());
        Map<String, Integer> perBackbone = new HashMap<>();
        ev.specs.forEach(s -> perBackbone.merge(s.backboneHash(), 1, Integer::sum));
        assertTrue(perBackbone.getOrDefault(PARENT_HASH, 0) > 0 && perBackbone.getOrDefault(PRUNED_HASH, 0) > 0,
                perBackbone.toString());
    }
}
