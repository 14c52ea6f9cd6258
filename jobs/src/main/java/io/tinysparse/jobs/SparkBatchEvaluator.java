package io.tinysparse.jobs;

import io.tinysparse.search.driver.BatchEvaluator;
import io.tinysparse.search.driver.PlannedRun;
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
 * ({@link ExecutorRunFailure}), not Spark's job failure with the executor's stack trace.
 */
final class SparkBatchEvaluator implements BatchEvaluator<StoredRun> {
    private final JavaSparkContext jsc;
    private final Broadcast<byte[]> backbone;
    private final String searchId;
    private final String dataDir;
    private final String version;
    private final String commit;

    /**
     * @param backbone the serialised backbone every run fine-tunes
     * @param dataDir  data directory as executors see it ({@code null}: their default)
     */
    SparkBatchEvaluator(JavaSparkContext jsc, Broadcast<byte[]> backbone, String searchId, String dataDir,
            String version, String commit) {
        this.jsc = jsc;
        this.backbone = backbone;
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
        Map<String, Integer> levels = new HashMap<>();
        runs.forEach(p -> levels.put(p.runId(), p.fidelity()));
        List<String> specs = runs.stream()
                .map(PlannedRun::spec)
                .sorted(Comparator.comparingLong(RunSpec::engineMacs).reversed())
                .map(RunSpec::toJson)
                .toList();
        // Locals, so the task closure captures only these (not this evaluator and its context).
        Broadcast<byte[]> shared = backbone;
        String id = searchId;
        String dir = dataDir;
        String v = version;
        String c = commit;
        List<String> json;
        try {
            json = jsc.parallelize(specs, specs.size())
                    .map(j -> {
                        RunSpec s = RunSpec.fromJson(j);
                        try {
                            var ev = ExecutorContext.evaluator(shared.value(), s.backboneHash(), s.data(), dir);
                            return RunRecords.toJson(RunRecords.of(ev.evaluate(s), id, generation,
                                    levels.getOrDefault(s.runId(), 0), v, c));
                        } catch (Exception e) {
                            throw new ExecutorRunFailure(s.runId(), e);
                        }
                    })
                    .collect();
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
