package io.tinysparse.jobs;

import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.RunEvaluator;
import io.tinysparse.simulator.run.TaskData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an executor JVM keeps between tasks: one {@link RunEvaluator} per (backbone, data spec),
 * so the backbone is deserialised, the dataset read and transformed, and the cut activations
 * computed once per executor, not once per run. The backbone arrives as broadcast bytes; the
 * data is read from the data directory (shared storage on a cluster) and the cut activations go
 * to the executor's local feature cache.
 */
final class ExecutorContext {
    private static final Map<String, RunEvaluator> EVALUATORS = new ConcurrentHashMap<>();

    private ExecutorContext() {}

    static RunEvaluator evaluator(byte[] backbone, String backboneHash, DataSpec data, String dataDir) {
        String key = backboneHash + "|" + data + "|" + dataDir;
        return EVALUATORS.computeIfAbsent(key, k -> {
            try {
                Network net = Network.read(new ByteArrayInputStream(backbone));
                DataDirectory dir = DataDirectory.resolve(dataDir);
                TaskData task = TaskData.load(DatasetCatalog.local(dir), data, net.spec());
                return new RunEvaluator(net, task, RunEvaluator.defaultFeatureCache());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
