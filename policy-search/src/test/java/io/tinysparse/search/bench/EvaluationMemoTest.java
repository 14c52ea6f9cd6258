package io.tinysparse.search.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Genome;
import io.tinysparse.search.bench.BenchFixtures.FormulaTrainer;
import io.tinysparse.search.bench.GenomeTrainer.TrainedRun;
import io.tinysparse.search.space.MemoryBudget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationMemoTest {
    private final MemoryBudget budget = BenchFixtures.budget();
    private final Genome a = Genome.of(5, 0, 0, 0, 0, 0);
    private final Genome b = Genome.of(6, 0, 0, 0, 0, 0);

    @TempDir
    Path dir;

    @Test
    void aGenomeIsTrainedOncePerSeedWhoeverAsks() throws Exception {
        FormulaTrainer seed1 = new FormulaTrainer(1, budget);
        FormulaTrainer seed2 = new FormulaTrainer(2, budget);
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("memo.jsonl"))) {
            TrainedRun first = memo.getOrTrain(1, a, seed1);
            TrainedRun again = memo.getOrTrain(1, a, seed1);
            memo.getOrTrain(2, a, seed2);
            assertEquals(first, again);
            assertEquals(1, seed1.trainings.get());
            assertEquals(1, seed2.trainings.get(), "another seed is another run");
            assertEquals(2, memo.trained());
        }
    }

    @Test
    void aReopenedMemoServesItsRunsWithoutTraining() throws Exception {
        Path file = dir.resolve("memo.jsonl");
        TrainedRun stored;
        try (EvaluationMemo memo = EvaluationMemo.open(file)) {
            stored = memo.getOrTrain(1, a, new FormulaTrainer(1, budget));
            memo.getOrTrain(1, b, new FormulaTrainer(1, budget));
        }
        FormulaTrainer later = new FormulaTrainer(1, budget);
        try (EvaluationMemo memo = EvaluationMemo.open(file)) {
            assertEquals(2, memo.loaded());
            assertEquals(stored, memo.getOrTrain(1, a, later));
            assertEquals(0, later.trainings.get());
            assertEquals(0, memo.trained());
        }
    }

    @Test
    void aTornLastLineIsDroppedAndItsRunTrainedAgain() throws Exception {
        Path file = dir.resolve("memo.jsonl");
        try (EvaluationMemo memo = EvaluationMemo.open(file)) {
            memo.getOrTrain(1, a, new FormulaTrainer(1, budget));
        }
        Files.writeString(file, "{\"seed\":1,\"genome\":[6,0,0,0,0,0],\"run_i", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        FormulaTrainer trainer = new FormulaTrainer(1, budget);
        try (EvaluationMemo memo = EvaluationMemo.open(file)) {
            assertEquals(1, memo.loaded());
            memo.getOrTrain(1, b, trainer);
        }
        assertEquals(1, trainer.trainings.get());
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), "the appended run starts a line of its own");
        try (EvaluationMemo memo = EvaluationMemo.open(file)) {
            assertEquals(2, memo.loaded());
        }
    }

    @Test
    void aStoredRunOfOtherSettingsIsRefused() throws Exception {
        Path file = dir.resolve("memo.jsonl");
        try (EvaluationMemo memo = EvaluationMemo.open(file)) {
            memo.getOrTrain(1, a, new FormulaTrainer(1, budget));
        }
        GenomeTrainer otherBudget = new FormulaTrainer(1, budget, "longer-budget");
        try (EvaluationMemo memo = EvaluationMemo.open(file)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> memo.getOrTrain(1, a, otherBudget));
            assertTrue(e.getMessage().contains("longer-budget-"), e.getMessage());
        }
    }

    @Test
    void aDamagedCompleteLineIsBadInputNamingTheLine() throws Exception {
        Path file = dir.resolve("memo.jsonl");
        Files.writeString(file, "not json\n{\"seed\":1}\n", StandardCharsets.UTF_8);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> EvaluationMemo.open(file));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        Files.writeString(file, "{\"seed\":1}\n", StandardCharsets.UTF_8);
        e = assertThrows(InvalidInputException.class, () -> EvaluationMemo.open(file));
        assertTrue(e.getMessage().contains("line 1 has no genome"), e.getMessage());
    }
}
