package io.tinysparse.jobs;

import io.tinysparse.search.driver.PlannedRun;
import io.tinysparse.search.driver.RunRole;
import io.tinysparse.simulator.run.RunSpec;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * What one Spark task does with a run: spec JSON in, record JSON out. It fine-tunes the run's
 * broadcast backbone on the executor's cached data ({@link ExecutorContext}) and turns a failure
 * into an {@link ExecutorRunFailure} naming the run. Shared by the generation's batch job
 * ({@link SparkBatchEvaluator}) and the steady-state search's single-run jobs
 * ({@link SparkRunSlots}), so both train and record a run the same way.
 *
 * <p>Serialised into every task: it holds the broadcast handles (not the bytes) and small maps.
 */
final class RunTask implements Function<String, String> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, Broadcast<byte[]>> backbones;
    private final HashMap<String, Integer> fidelities;
    private final HashMap<String, RunRole> roles;
    private final String searchId;
    private final int generation;
    private final String dataDir;
    private final String version;
    private final String commit;

    /**
     * @param backbones  serialised backbones by content hash; every run's backbone among them
     * @param fidelities fidelity level of each run the task may get, by run id
     * @param roles      role of each run the task may get, by run id
     * @param generation the generation the records name
     * @param dataDir    data directory as executors see it ({@code null}: their default)
     */
    RunTask(Map<String, Broadcast<byte[]>> backbones, Map<String, Integer> fidelities, Map<String, RunRole> roles,
            String searchId, int generation, String dataDir, String version, String commit) {
        this.backbones = new HashMap<>(backbones);
        this.fidelities = new HashMap<>(fidelities);
        this.roles = new HashMap<>(roles);
        this.searchId = searchId;
        this.generation = generation;
        this.dataDir = dataDir;
        this.version = version;
        this.commit = commit;
    }

    /** Throws unless {@code run}'s backbone is among {@code backbones} (a driver-side bug otherwise). */
    static void requireBroadcast(Map<String, Broadcast<byte[]>> backbones, PlannedRun run) {
        if (!backbones.containsKey(run.spec().backboneHash())) {
            throw new IllegalStateException("run " + run.runId() + " fine-tunes backbone " + run.spec().backboneHash()
                    + ", which was not broadcast");
        }
    }

    @Override
    public String call(String specJson) {
        RunSpec s = RunSpec.fromJson(specJson);
        String runId = s.runId();
        try {
            var ev = ExecutorContext.evaluator(backbones.get(s.backboneHash()).value(), s.backboneHash(), s.data(),
                    dataDir);
            return RunRecords.toJson(RunRecords.of(ev.evaluate(s), searchId, generation, fidelities.get(runId),
                    roles.get(runId), version, commit));
        } catch (Exception e) {
            throw new ExecutorRunFailure(runId, e);
        }
    }
}
