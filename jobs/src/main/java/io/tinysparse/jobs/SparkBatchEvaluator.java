package io.tinysparse.jobs;

import io.tinysparse.search.driver.BatchEvaluator;
import io.tinysparse.search.driver.PlannedRun;
import io.tinysparse.search.driver.RunRole;
import io.tinysparse.simulator.run.RunSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Evaluates a generation's runs as Spark tasks, one per run: each executor deserialises the
 * broadcast backbone and loads the data once ({@link ExecutorContext}), and records come back
 * as JSON. Tasks are handed out longest first ({@link RunSpec#engineMacs()}), so a generation
 * does not end waiting on one long run started last (longest-processing-time-first scheduling).
 * A run that fails in its task fails the generation with one line naming the run and the cause
 * ({@link ExecutorRunFailure}), not Spark's job failure with the executor's stack trace. The task
 * itself is a {@link RunTask}.
 */
final class SparkBatchEvaluator implements BatchEvaluator<StoredRun> {
    private final JavaSparkContext jsc;
    private final Map<String, Broadcast<byte[]>> backbones;
    private final String searchId;
    private final String dataDir;
    private final String version;
    private final String commit;

    /**
     * @param backbones the serialised backbones the runs fine-tune, by content hash (a run names
     *                  its backbone's hash: the folded search backbone, the unfolded one of the
     *                  dense reference)
     * @param dataDir   data directory as executors see it ({@code null}: their default)
     */
    SparkBatchEvaluator(JavaSparkContext jsc, Map<String, Broadcast<byte[]>> backbones, String searchId,
            String dataDir, String version, String commit) {
        this.jsc = jsc;
        this.backbones = new HashMap<>(backbones);
        this.searchId = searchId;
        this.dataDir = dataDir;
        this.version = version;
        this.commit = commit;
    }

    @Override
    public List<StoredRun> evaluate(int generation, List<PlannedRun> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        jsc.setJobDescription(String.format(Locale.ROOT, "search %s generation %d: %d runs", searchId, generation,
                runs.size()));
        Map<String, PlannedRun> planned = new HashMap<>();
        runs.forEach(p -> planned.put(p.runId(), p));
        runs.forEach(p -> RunTask.requireBroadcast(backbones, p));
        List<String> specs = runs.stream()
                .map(PlannedRun::spec)
                .sorted(Comparator.comparingLong(RunSpec::engineMacs).reversed())
                .map(RunSpec::toJson)
                .toList();
        HashMap<String, Integer> levels = new HashMap<>();
        HashMap<String, RunRole> roles = new HashMap<>();
        planned.forEach((id, p) -> {
            levels.put(id, p.fidelity());
            roles.put(id, p.role());
        });
        RunTask task = new RunTask(backbones, levels, roles, searchId, generation, dataDir, version, commit);
        List<String> json;
        try {
            json = jsc.parallelize(specs, specs.size()).map(task).collect();
        } catch (Exception jobFailure) {
            throw ExecutorRunFailure.reported(jobFailure, generation);
        }
        List<StoredRun> out = new ArrayList<>(json.size());
        for (String j : json) {
            out.add(new StoredRun(RunRecords.fromJson(j)));
        }
        return out;
    }
}
