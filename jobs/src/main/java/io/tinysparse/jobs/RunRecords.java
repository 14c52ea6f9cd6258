package io.tinysparse.jobs;

import static io.tinysparse.results.RunsTable.ARENA_BYTES;
import static io.tinysparse.results.RunsTable.BACKBONE_HASH;
import static io.tinysparse.results.RunsTable.BIAS_LAYERS;
import static io.tinysparse.results.RunsTable.BREAKDOWN;
import static io.tinysparse.results.RunsTable.BUDGET_BYTES;
import static io.tinysparse.results.RunsTable.COVERAGE;
import static io.tinysparse.results.RunsTable.CREATED_AT;
import static io.tinysparse.results.RunsTable.DATASET;
import static io.tinysparse.results.RunsTable.DEVICE;
import static io.tinysparse.results.RunsTable.DEVICE_TIME_MS;
import static io.tinysparse.results.RunsTable.FEASIBLE;
import static io.tinysparse.results.RunsTable.FIDELITY;
import static io.tinysparse.results.RunsTable.GIT_COMMIT;
import static io.tinysparse.results.RunsTable.ITERATIONS;
import static io.tinysparse.results.RunsTable.LEARNING_RATE;
import static io.tinysparse.results.RunsTable.LIN2022_BYTES;
import static io.tinysparse.results.RunsTable.MODEL;
import static io.tinysparse.results.RunsTable.NUM_CLASSES;
import static io.tinysparse.results.RunsTable.POLICY_JSON;
import static io.tinysparse.results.RunsTable.PRECISION;
import static io.tinysparse.results.RunsTable.RESOLUTION;
import static io.tinysparse.results.RunsTable.ROLE;
import static io.tinysparse.results.RunsTable.RUN_ID;
import static io.tinysparse.results.RunsTable.SEED;
import static io.tinysparse.results.RunsTable.SELECTION;
import static io.tinysparse.results.RunsTable.TEST_ACCURACY;
import static io.tinysparse.results.RunsTable.TINYSPARSE_VERSION;
import static io.tinysparse.results.RunsTable.TRAINED_BY;
import static io.tinysparse.results.RunsTable.TRAIN_MACS;
import static io.tinysparse.results.RunsTable.UPDATED_FRACTION;
import static io.tinysparse.results.RunsTable.VAL_ACCURACY;
import static io.tinysparse.results.RunsTable.WALL_TIME_MS;
import static io.tinysparse.results.RunsTable.WEIGHT_LAYERS;
import static io.tinysparse.results.RunsTable.WEIGHT_RATIOS;

import io.tinysparse.results.RunRecord;
import io.tinysparse.search.driver.RunRole;
import io.tinysparse.simulator.memory.MemoryReport;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.WeightUpdate;
import io.tinysparse.simulator.run.RunResult;
import io.tinysparse.simulator.run.RunSpec;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where each column of the {@code runs} table ({@link io.tinysparse.results.RunsTable}) comes
 * from in a simulator {@link RunResult}; and records as JSON for the trip back from executors.
 */
final class RunRecords {
    private RunRecords() {}

    /** The record of result {@code r}, trained as {@code role} at fidelity level {@code fidelity}. */
    static RunRecord of(RunResult r, String searchId, int generation, int fidelity, RunRole role, String version,
            String gitCommit) {
        RunSpec s = r.spec();
        LayerTable convs = s.model().layers();
        List<Integer> layers = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (WeightUpdate w : s.policy().weights()) {
            int in = convs.conv(w.layer()).inChannels();
            layers.add(w.layer());
            ratios.add((double) w.channelsOf(in) / in);
        }
        List<RunRecord.BreakdownEntry> bd = new ArrayList<>();
        for (MemoryReport.Entry e : r.arena().breakdown()) {
            bd.add(new RunRecord.BreakdownEntry(e.layer(), e.kind().name().toLowerCase(Locale.ROOT), e.bytes()));
        }
        return RunRecord.builder(searchId, generation)
                .set(RUN_ID, r.runId())
                .set(FIDELITY, fidelity)
                .set(ITERATIONS, s.budget().iterations())
                .set(POLICY_JSON, PolicyJson.write(s.policy()))
                .set(BIAS_LAYERS, Math.min(s.policy().biasLayers(), convs.convCount()))
                .set(WEIGHT_LAYERS, layers)
                .set(WEIGHT_RATIOS, ratios)
                .set(SELECTION, s.policy().selection().strategy().jsonName())
                .set(MODEL, s.model().label())
                .set(RESOLUTION, s.model().resolution())
                .set(NUM_CLASSES, s.model().numClasses())
                .set(DATASET, s.data().dataset())
                .set(DEVICE, s.device())
                .set(SEED, s.seed())
                .set(TEST_ACCURACY, r.testAccuracy())
                .set(VAL_ACCURACY, r.validationCurve())
                .set(LIN2022_BYTES, r.lin2022().totalBytes())
                .set(ARENA_BYTES, r.arena().totalBytes())
                .set(BUDGET_BYTES, r.budgetBytes())
                .set(FEASIBLE, r.feasible())
                .set(BREAKDOWN, bd)
                .set(UPDATED_FRACTION, r.updatedFraction())
                .set(COVERAGE, r.coverage())
                .set(TRAIN_MACS, r.trainMacs())
                .set(DEVICE_TIME_MS, r.deviceTimeMs())
                .set(WALL_TIME_MS, r.wallTimeMs())
                .set(BACKBONE_HASH, s.backboneHash())
                .set(TINYSPARSE_VERSION, version)
                .set(GIT_COMMIT, gitCommit)
                .set(CREATED_AT, new Timestamp(System.currentTimeMillis()))
                .set(ROLE, role.columnValue())
                .set(LEARNING_RATE, r.learningRate())
                .set(TRAINED_BY, searchId)
                .set(PRECISION, s.quantization() == null ? "fp32" : s.quantization().label())
                .build();
    }

    static String toJson(RunRecord r) {
        return r.toJson();
    }

    static RunRecord fromJson(String json) {
        return RunRecord.fromJson(json);
    }
}
