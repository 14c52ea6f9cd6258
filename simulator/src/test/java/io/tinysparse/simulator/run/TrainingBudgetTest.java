package io.tinysparse.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.simulator.engine.train.TrainingConfig;
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
}
