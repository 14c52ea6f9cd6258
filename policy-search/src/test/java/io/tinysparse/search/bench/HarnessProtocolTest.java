package io.tinysparse.search.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Genome;
import io.tinysparse.search.bench.BenchFixtures.FormulaTrainer;
import io.tinysparse.search.space.MemoryBudget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarnessProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MemoryBudget budget = BenchFixtures.budget();

    @TempDir
    Path dir;

    private JsonNode ask(HarnessProtocol protocol, String request) throws Exception {
        return JSON.readTree(protocol.answer(request));
    }

    @Test
    void theSpaceIsTheProductGenomeWithItsBudget() throws Exception {
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("m.jsonl"))) {
            HarnessProtocol p = new HarnessProtocol(budget,
                    new RunAccounting(7, budget, budget, memo, new FormulaTrainer(7, budget)));
            JsonNode space = ask(p, "{\"op\":\"space\"}");
            assertEquals(budget.space().genomeSpace().dimensions(), space.get("genes").size());
            assertEquals("bias_depth", space.get("genes").get(0).get("name").asText());
            assertEquals(31, space.get("genes").get(0).get("values").asInt());
            assertEquals("selection", space.get("genes").get(space.get("genes").size() - 1).get("name").asText());
            assertEquals(BenchFixtures.BUDGET_BYTES, space.get("budget_bytes").asLong());
            assertEquals(7, space.get("seed").asLong());
        }
    }

    @Test
    void anInvalidGenomeIsMadeValidThenCountedAndARepeatIsADuplicate() throws Exception {
        Genome raw = Genome.of(0, 2, 0, 0, 0, 0); // bias depth 0: no weight layer may train
        assertFalse(budget.space().isValid(raw), "fixture");
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("m.jsonl"))) {
            HarnessProtocol p = new HarnessProtocol(budget,
                    new RunAccounting(1, budget, budget, memo, new FormulaTrainer(1, budget)));
            JsonNode first = ask(p, "{\"op\":\"evaluate\",\"genome\":[0,2,0,0,0,0]}");
            assertEquals("counted", first.get("outcome").asText());
            assertEquals("[0,0,0,0,0,0]", first.get("genome").toString());
            assertEquals(1, first.get("counted").asInt());
            assertTrue(first.get("violation").asDouble() < 0);
            JsonNode second = ask(p, "{\"op\":\"evaluate\",\"genome\":[0,0,0,0,0,0]}");
            assertEquals("duplicate", second.get("outcome").asText());
            assertEquals(first.get("accuracy").asDouble(), second.get("accuracy").asDouble());
            assertEquals(1, second.get("counted").asInt());
        }
    }

    @Test
    void anInfeasibleGenomeHasNoAccuracyAndAPositiveViolation() throws Exception {
        FormulaTrainer trainer = new FormulaTrainer(1, budget);
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("m.jsonl"))) {
            HarnessProtocol p = new HarnessProtocol(budget, new RunAccounting(1, budget, budget, memo, trainer));
            JsonNode a = ask(p, "{\"op\":\"evaluate\",\"genome\":[30,4,4,4,4,0]}");
            assertEquals("infeasible", a.get("outcome").asText());
            assertTrue(a.get("accuracy").isNull());
            assertEquals((a.get("memory_bytes").asDouble() - BenchFixtures.BUDGET_BYTES) / BenchFixtures.BUDGET_BYTES,
                    a.get("violation").asDouble(), 1e-12);
            assertTrue(a.get("violation").asDouble() > 0);
            assertEquals(0, a.get("counted").asInt());
            assertEquals(0, trainer.trainings.get());
        }
    }

    @Test
    void aMalformedRequestStopsTheBenchmark() throws Exception {
        try (EvaluationMemo memo = EvaluationMemo.open(dir.resolve("m.jsonl"))) {
            HarnessProtocol p = new HarnessProtocol(budget,
                    new RunAccounting(1, budget, budget, memo, new FormulaTrainer(1, budget)));
            assertThrows(IllegalStateException.class, () -> p.answer("{\"op\":\"train\"}"));
            assertThrows(IllegalStateException.class, () -> p.answer("{\"op\":\"evaluate\"}"));
            assertThrows(IllegalStateException.class, () -> p.answer("not json"));
            assertThrows(InvalidInputException.class, () -> p.answer("{\"op\":\"evaluate\",\"genome\":[99,0,0,0,0,0]}"),
                    "a gene outside the space");
        }
    }
}
