package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinysparse.results.RunRecord;
import io.tinysparse.results.RunsTable;
import io.tinysparse.search.driver.RunRole;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.memory.Lin2022Estimator;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.Quantization;
import io.tinysparse.simulator.run.RunResult;
import io.tinysparse.simulator.run.RunSpec;
import io.tinysparse.simulator.run.TrainingBudget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The row of the runs table a finished run becomes. */
class RunRecordsTest {
    static RunRecord row(Quantization q) {
        ModelSpec model = ModelSpec.preset("mbv2-w0.35");
        SparseUpdatePolicy policy = SparseUpdatePolicy.of(25, List.of(WeightUpdate.ratio(48, 0.5)));
        RunSpec spec = new RunSpec(model, policy, "backbone-abc", new DataSpec("mnist", 500, 100, 1000, 1),
                new TrainingBudget(100, 1, 0.05, 0, 10, 2), "generic-256kb", 1).withQuantization(q);
        RunResult r = new RunResult(spec.runId(), spec, 0.7, List.of(0.5, 0.6),
                new Lin2022Estimator(model.layers()).report(policy),
                new ArenaEstimator(model.layers(), ArenaConfig.DEFAULT).report(policy), 262_144, true, 0.1, 0.5, 1000,
                12.5, 40, 0.05);
        return RunRecords.of(r, "s", 0, 0, RunRole.SEARCH, "v", "c");
    }

    @Test
    void aRowSaysTheArithmeticItsRunTrainedIn() {
        assertEquals("fp32", row(null).get(RunsTable.PRECISION));
        assertEquals("int8+qas", row(Quantization.int8(true, "fashion-mnist")).get(RunsTable.PRECISION));
        assertEquals("int8", row(Quantization.int8(false, "fashion-mnist")).get(RunsTable.PRECISION));
        RunRecord back = RunRecords.fromJson(RunRecords.toJson(row(Quantization.int8(true, "fashion-mnist"))));
        assertEquals("int8+qas", back.get(RunsTable.PRECISION), "and keeps it through the executors' JSON");
    }
}
