package io.tinysparse.search.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.search.Genome;
import io.tinysparse.search.bench.BenchFixtures.FormulaTrainer;
import io.tinysparse.search.bench.RunAccounting.Outcome;
import io.tinysparse.search.bench.RunAccounting.Verdict;
import io.tinysparse.search.space.MemoryBudget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunAccountingTest {
    private final MemoryBudget budget = BenchFixtures.budget();
    private final Genome feasible = Genome.of(3, 0, 0, 0, 0, 0);
    /** Every bias and every candidate layer at ratio 1. */
    private final Genome tooBig = Genome.of(30, 4, 4, 4, 4, 0);

    @TempDir
    Path dir;

    private RunAccounting accounting(EvaluationMemo memo, FormulaTrainer trainer) {
        return new RunAccounting(1, budget, budget, memo, trainer);
    }

    @Test
    void anInfeasibleGenomeIsNeitherTrainedNorCounted() throws Exception {
        assertTrue(budget.space().isValid(tooBig));
        assertFalse(budget.isFeasible(tooBig), "fixture: the genome must exceed the budget");
        FormulaTrainer trainer = new FormulaTrainer(1, budget);
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("m.jsonl"))) {
            RunAccounting acc = accounting(memo, trainer);
            Verdict v = acc.propose(tooBig);
            assertEquals(Outcome.INFEASIBLE, v.outcome());
            assertTrue(Double.isNaN(v.accuracy()));
            assertTrue(v.memoryBytes() > BenchFixtures.BUDGET_BYTES, "the memory model's bytes: " + v.memoryBytes());
            assertEquals(0, trainer.trainings.get());
            assertEquals(0, acc.counted().size());
            assertEquals(1, acc.infeasible());
            assertEquals(1, acc.proposals());
        }
    }

    @Test
    void aRepeatedGenomeGetsItsEarlierResultAndIsNotCounted() throws Exception {
        FormulaTrainer trainer = new FormulaTrainer(1, budget);
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("m.jsonl"))) {
            RunAccounting acc = accounting(memo, trainer);
            Verdict first = acc.propose(feasible);
            Verdict again = acc.propose(feasible);
            assertEquals(Outcome.COUNTED, first.outcome());
            assertEquals(Outcome.DUPLICATE, again.outcome());
            assertEquals(first.accuracy(), again.accuracy());
            assertEquals(first.memoryBytes(), again.memoryBytes());
            assertEquals(1, again.counted());
            assertEquals(1, acc.duplicates());
            assertEquals(1, trainer.trainings.get());
            assertEquals(1, acc.counted().get(0).proposal(), "counted at the first proposal");
        }
    }

    @Test
    void twoSearchersAskingTheSameGenomeShareOneTrainingAndBothCountIt() throws Exception {
        FormulaTrainer trainer = new FormulaTrainer(1, budget);
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("m.jsonl"))) {
            RunAccounting nsga2 = accounting(memo, trainer);
            RunAccounting tpe = accounting(memo, trainer);
            Verdict a = nsga2.propose(feasible);
            Verdict b = tpe.propose(feasible);
            assertEquals(Outcome.COUNTED, b.outcome(), "a run counts for every searcher that asks for it");
            assertEquals(a.accuracy(), b.accuracy(), "paired: the same genome has the same accuracy");
            assertEquals(1, trainer.trainings.get());
        }
    }
}
