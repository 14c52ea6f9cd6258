package io.tinysparse.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.train.LinearProbe;
import io.tinysparse.simulator.engine.train.TrainingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingBudgetTest {
    @Test
    void theEngineSettingsEvaluateEveryCeilOfIterationsOverEvaluationsStepsWithoutWeightDecay() {
        TrainingConfig c = new TrainingBudget(100, 4, 0.05, 0.9, 5, 3).trainingConfig(11);
        assertEquals(new TrainingConfig(100, 4, 0.05, 0.9, 0, 5, 34, TrainingConfig.DEFAULT_EVALUATION_BATCH, 11), c);
        assertEquals(100, new TrainingBudget(100, 1, 0.1, 0, 0, 1).trainingConfig(1).evaluationInterval(),
                "one evaluation: at the end");
        assertEquals(1, new TrainingBudget(7, 1, 0.1, 0, 0, 7).trainingConfig(1).evaluationInterval());
    }

    @Test
    void jsonHasExactlyTheSixBudgetFields() throws Exception {
        // A search's configuration, hashed into its id, carries the budget as Jackson writes it.
        assertEquals("{\"iterations\":100,\"batch_size\":1,\"learning_rate\":0.05,\"momentum\":0.0,"
                + "\"warmup_iterations\":5,\"evaluations\":2}",
                new ObjectMapper().writeValueAsString(new TrainingBudget(100, 1, 0.05, 0, 5, 2)));
    }

    @Test
    void aGridAndAProbeArePartOfTheJsonAndSurviveARoundTrip() throws Exception {
        TrainingBudget b = new TrainingBudget(100, 1, 0.05, 0, 5, 2, List.of(0.01, 0.2), new LinearProbe(300, 1e-3), false);
        ObjectMapper m = new ObjectMapper();
        String json = m.writeValueAsString(b);
        assertTrue(json.contains("\"learning_rate_grid\":[0.01,0.2]"), json);
        assertTrue(json.contains("\"linear_probe\":{\"iterations\":300,\"l2\":0.001}"), json);
        assertEquals(b, m.readValue(json, TrainingBudget.class));
        assertEquals(List.of(0.05, 0.01, 0.2), b.learningRates());
        assertEquals(new LinearProbe(300, 1e-3), b.trainingConfig(1).linearProbe());
        assertEquals(b.learningRateGrid(), b.withIterations(50).learningRateGrid(), "more iterations, same grid");
        assertEquals(new TrainingBudget(100, 1, 0.05, 0, 5, 2), m.readValue(
                "{\"iterations\":100,\"batch_size\":1,\"learning_rate\":0.05,\"momentum\":0.0,"
                        + "\"warmup_iterations\":5,\"evaluations\":2}", TrainingBudget.class),
                "a stored budget without them reads as one rate and no probe");
    }

    @Test
    void aRateGivenTwiceIsBadInput() {
        assertTrue(assertThrows(InvalidInputException.class,
                () -> new TrainingBudget(10, 1, 0.05, 0, 0, 1, List.of(0.05), null, false)).getMessage().contains("0.05"));
        assertTrue(assertThrows(InvalidInputException.class,
                () -> new TrainingBudget(10, 1, 0.05, 0, 0, 1, List.of(-0.1), null, false)).getMessage().contains("-0.1"));
    }
}
