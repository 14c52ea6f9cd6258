package io.tinysparse.search.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.search.Candidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.Genome;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.SearcherState;
import io.tinysparse.search.bench.BenchFixtures.FormulaTrainer;
import io.tinysparse.search.driver.SearcherKind;
import io.tinysparse.search.driver.SearcherSettings;
import io.tinysparse.search.space.MemoryBudget;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AskTellTrajectoryTest {
    private final MemoryBudget budget = BenchFixtures.budget();

    @TempDir
    Path dir;

    private Searcher create(SearcherKind kind, long seed, int runs) {
        return kind.create(budget, new SearcherSettings(seed, runs, 8, 3, 3, 1, 5));
    }

    @Test
    void searchersStopAtTheRunsAskedForAndShareTrainingsThroughTheMemo() throws Exception {
        FormulaTrainer trainer = new FormulaTrainer(1, budget);
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("m.jsonl"))) {
            Trajectory nsga2 = AskTellTrajectory.run("nsga2", create(SearcherKind.NSGA2, 1, 40),
                    new RunAccounting(1, budget, budget, memo, trainer), 8, 24);
            Trajectory random = AskTellTrajectory.run("random", create(SearcherKind.RANDOM, 1, 40),
                    new RunAccounting(1, budget, budget, memo, trainer), 8, 24);
            assertEquals(24, nsga2.counted().size());
            assertEquals(24, random.counted().size());
            assertEquals(0, nsga2.infeasible() + nsga2.duplicates(), "the gate lets no infeasible or repeated genome out");
            assertNotNull(nsga2.initialStats());
            assertEquals(8, nsga2.initialStats().asked(), "counters after the first population");
            Set<Object> distinct = new HashSet<>();
            nsga2.counted().forEach(r -> distinct.add(r.genome()));
            random.counted().forEach(r -> distinct.add(r.genome()));
            assertEquals(distinct.size(), trainer.trainings.get(), "one training per distinct genome");
            assertEquals(trainer.trainings.get(), memo.trained());
        }
    }

    @Test
    void contributionAnalysisGetsTheFinalistsThatFillTheRuns() throws Exception {
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("m.jsonl"))) {
            Searcher contribution = SearcherComparison.searcher(SearcherKind.CONTRIBUTION, budget, 1, 60, 8);
            Trajectory t = AskTellTrajectory.run("contribution", contribution,
                    new RunAccounting(1, budget, budget, memo, new FormulaTrainer(1, budget)), 8, 60);
            assertEquals(60, t.counted().size(), t.note());
            assertEquals(0, t.infeasible() + t.duplicates());
        }
    }

    @Test
    void aSearcherThatFinishesEarlyIsNotedAndKeepsItsShortTrajectory() throws Exception {
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("m.jsonl"))) {
            Trajectory t = AskTellTrajectory.run("random", create(SearcherKind.RANDOM, 2, 10),
                    new RunAccounting(2, budget, budget, memo, new FormulaTrainer(2, budget)), 8, 24);
            assertEquals(10, t.counted().size());
            assertTrue(t.note().contains("after 10 counted runs"), t.note());
        }
    }

    @Test
    void aCandidateAboveTheBaseBudgetIsRefused() throws Exception {
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("m.jsonl"))) {
            RunAccounting acc = new RunAccounting(1, budget, budget, memo, new FormulaTrainer(1, budget));
            Searcher halving = create(SearcherKind.HALVING, 1, 40);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> AskTellTrajectory.run("halving", halving, acc, 40, 100));
            assertTrue(e.getMessage().contains("fidelity"), e.getMessage());
        }
    }

    @Test
    void anInfeasibleCandidateBreaksTheContractAndStopsTheBenchmark() throws Exception {
        Searcher rogue = new Searcher() {
            private boolean asked;

            @Override
            public SearchProblem problem() {
                return null;
            }

            @Override
            public List<Candidate> ask(int max) {
                asked = true;
                return List.of(new Candidate(0, Genome.of(30, 4, 4, 4, 4, 0),
                        Fidelity.BASE));
            }

            @Override
            public void tell(Collection<Evaluation> results) {}

            @Override
            public List<Candidate> outstanding() {
                return List.of();
            }

            @Override
            public boolean isFinished() {
                return asked;
            }

            @Override
            public SearchStats stats() {
                return SearchStats.ZERO;
            }

            @Override
            public long plannedRuns() {
                return 1;
            }

            @Override
            public SearcherState state() {
                return null;
            }
        };
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("m.jsonl"))) {
            RunAccounting acc = new RunAccounting(1, budget, budget, memo, new FormulaTrainer(1, budget));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> AskTellTrajectory.run("rogue", rogue, acc, 8, 8));
            assertTrue(e.getMessage().contains("infeasible"), e.getMessage());
        }
    }
}
