package io.tinysparse.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.results.RunRecord;
import io.tinysparse.simulator.memory.MemoryReport;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.WeightUpdate;
import io.tinysparse.simulator.run.RunResult;
import io.tinysparse.simulator.run.RunSpec;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link RunResult} into its stored {@link RunRecord}, and records into JSON for the trip back from executors. */
final class RunRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunRecords() {}

    static RunRecord of(RunResult r, String searchId, int generation, int fidelity, String version, String gitCommit) {
        RunSpec s = r.spec();
        int c = s.model().layers().convCount();
        List<Integer> layers = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (WeightUpdate w : s.policy().weights()) {
            layers.add(w.layer());
            ratios.add((double) w.channelsOf(s.model().layers().conv(w.layer()).inChannels()) / s.model().layers()
                    .conv(w.layer()).inChannels());
        }
        List<RunRecord.BreakdownEntry> bd = new ArrayList<>();
        for (MemoryReport.Entry e : r.arena().breakdown()) {
            bd.add(new RunRecord.BreakdownEntry(e.layer(), e.kind().name().toLowerCase(java.util.Locale.ROOT), e.bytes()));
        }
        return new RunRecord(r.runId(), searchId, generation, fidelity, s.budget().iterations(),
                PolicyJson.write(s.policy()), Math.min(s.policy().biasLayers(), c), layers, ratios,
                s.policy().selection().strategy().jsonName(), s.model().label(), s.model().resolution(),
                s.model().numClasses(), s.data().dataset(), s.device(), s.seed(), r.testAccuracy(), r.validationCurve(),
                r.lin2022().totalBytes(), r.arena().totalBytes(), r.budgetBytes(), r.feasible(), bd,
                r.updatedFraction(), r.coverage(), r.trainMacs(), r.deviceTimeMs(), r.wallTimeMs(), s.backboneHash(),
                version, gitCommit, new Timestamp(System.currentTimeMillis()));
    }

    static String toJson(RunRecord r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static RunRecord fromJson(String json) {
        try {
            return JSON.readValue(json, RunRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad run record from an executor: " + e.getOriginalMessage(), e);
        }
    }
}
