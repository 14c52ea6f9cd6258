package io.tinysparse.search.state;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.GenomeSpace;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Objectives;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.SyntheticProblems;
import io.tinysparse.search.fidelity.HalvingConfig;
import io.tinysparse.search.fidelity.SuccessiveHalvingSearcher;
import io.tinysparse.search.nsga2.Nsga2Config;
import io.tinysparse.search.nsga2.Nsga2Searcher;
import io.tinysparse.search.sampling.GridConfig;
import io.tinysparse.search.sampling.GridSearcher;
import io.tinysparse.search.sampling.RandomConfig;
import io.tinysparse.search.sampling.RandomSearcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchCheckpointTest {
    private final SyntheticProblems.Zdt zdt = new SyntheticProblems.Zdt(5, 6, false);

    /** Asks some, tells part of them with 3-objective results, so state has every part filled. */
    private Searcher midway(Searcher s) {
        Function<Candidate, Evaluation> eval = c -> {
            Objectives o = zdt.objectives(c.genome());
            return new Evaluation(c.id(), c.fidelity(), new Objectives(o.accuracy(), o.memoryBytes(), 0.001 * c.id()),
                    c.id() % 7 == 3 ? 2.5 : 0);
        };
        for (int round = 0; round < 3; round++) {
            List<Candidate> b = s.ask(10);
            List<Evaluation> r = new ArrayList<>();
            for (int i = 0; i < b.size() - 1; i++) {
                r.add(eval.apply(b.get(i)));
            }
            s.tell(r);
            if (!b.isEmpty()) {
                s.tell(List.of(eval.apply(b.get(b.size() - 1))));
            }
        }
        s.ask(4);
        s.tell(List.of(eval.apply(s.outstanding().get(0))));
        return s;
    }

    private List<Searcher> searchers() {
        SearchProblem p = zdt.problem();
        return List.of(
                midway(new RandomSearcher(p, RandomConfig.of(1, 100))),
                midway(new GridSearcher(p, new GridConfig(100))),
                midway(new Nsga2Searcher(p, Nsga2Config.of(2, 8, 100))),
                midway(new SuccessiveHalvingSearcher(p, new HalvingConfig(3, List.of(1, 3, 9), 27, 3, 2, 100))));
    }

    @Test
    void everySearcherRoundTripsThroughJsonToAnEqualState() {
        for (Searcher s : searchers()) {
            String json = SearchCheckpoint.of(s).toJson();
            Searcher back = SearchCheckpoint.fromJson(json).restore(s.problem(), null);
            assertEquals(s.getClass(), back.getClass());
            assertEquals(s.state(), back.state(), s.getClass().getSimpleName());
            assertEquals(json, SearchCheckpoint.of(back).toJson());
            assertEquals(s.outstanding(), back.outstanding());
            assertFalse(s.outstanding().isEmpty(), "fixture leaves candidates outstanding");
        }
    }

    @Test
    void writeReplacesTheFileAtomicallyAndLeavesNoTemporaryFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/search.json");
        List<Searcher> ss = searchers();
        SearchCheckpoint.write(file, ss.get(0));
        SearchCheckpoint.write(file, ss.get(2));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
        Searcher back = SearchCheckpoint.read(file).restore(zdt.problem(), null);
        assertTrue(back instanceof Nsga2Searcher);
        assertEquals(ss.get(2).state(), back.state());
    }

    @Test
    void refusesAProblemWithAnotherSpaceOrObjectives() {
        String json = SearchCheckpoint.of(searchers().get(2)).toJson();
        SearchCheckpoint c = SearchCheckpoint.fromJson(json);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> c.restore(SearchProblem.unconstrained(GenomeSpace.of(6, 6, 6, 6), ObjectiveMode.ACCURACY_MEMORY),
                        null));
        assertTrue(e.getMessage().contains("space"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> c.restore(
                SearchProblem.unconstrained(zdt.space, ObjectiveMode.ACCURACY_MEMORY_TIME), null));
    }

    @Test
    void malformedCheckpointsGiveOneLineErrorsNamingTheProblem(@TempDir Path dir) throws Exception {
        InvalidInputException syntax = assertThrows(InvalidInputException.class,
                () -> SearchCheckpoint.fromJson("{\"format\": "));
        assertFalse(syntax.getMessage().contains("\n"), syntax.getMessage());
        String json = SearchCheckpoint.of(searchers().get(0)).toJson();
        InvalidInputException kind = assertThrows(InvalidInputException.class,
                () -> SearchCheckpoint.fromJson(json.replace("\"random\"", "\"annealing\"")));
        assertTrue(kind.getMessage().contains("annealing"), kind.getMessage());
        InvalidInputException version = assertThrows(InvalidInputException.class,
                () -> SearchCheckpoint.fromJson(json.replace("\"version\" : 1", "\"version\" : 99")));
        assertTrue(version.getMessage().contains("99"), version.getMessage());
        InvalidInputException value = assertThrows(InvalidInputException.class,
                () -> SearchCheckpoint.fromJson(json.replace("\"maxCandidates\" : 100", "\"maxCandidates\" : -4")));
        assertTrue(value.getMessage().contains("maxCandidates must be >= 1, got -4"), value.getMessage());
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> SearchCheckpoint.read(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("nope.json"), missing.getMessage());
    }
}
