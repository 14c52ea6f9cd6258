package io.tinysparse.jobs;

import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.run.RunEvaluator;
import io.tinysparse.simulator.run.TaskData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an executor JVM keeps between tasks: a {@link RunEvaluator} per (backbone, data spec),
 * so the backbone is deserialised, the dataset read and transformed, and the cut activations
 * computed once per executor, not once per run. The backbone arrives as broadcast bytes; the
 * data is read from the data directory (shared storage on a cluster) and the cut activations go
 * to the executor's local feature cache.
 *
 * <p>Memory: a task's images are held as float tensors at the model's resolution (196 KB per
 * image at 128x128), so the report's task with the whole test split (11,500 images for MNIST's
 * quick search) holds 2.3 GB, and each evaluator may hold a quarter of the heap in cut
 * activations besides. Evaluators of one data spec and input resolution (the folded backbone of
 * the report runs, the unfolded one of the dense reference, the backbones of a search over pruning
 * ratios) therefore share one {@link TaskData}, and only the
 * {@value #KEPT} most recently used evaluators are kept: when a search moves on to its report
 * data, the search data's evaluator and its tensors are let go.
 */
final class ExecutorContext {
    /** Evaluators kept: the two backbones (folded, unfolded) of one data spec. */
    static final int KEPT = 2;

    private record Held(RunEvaluator evaluator, String taskKey) {}

    // Access order: the eldest entry is the least recently used evaluator.
    private static final LinkedHashMap<String, Held> EVALUATORS = new LinkedHashMap<>(8, 0.75f, true);
    private static final Map<String, TaskData> TASKS = new HashMap<>();

    private ExecutorContext() {}

    /**
     * The evaluator of {@code backbone} (serialised, with content hash {@code backboneHash}) on
     * {@code data} read from {@code dataDir}. Creating one blocks other tasks' lookups: they need
     * an evaluator anyway, and two tasks must not read the same data twice.
     */
    static RunEvaluator evaluator(byte[] backbone, String backboneHash, DataSpec data, String dataDir) {
        String key = backboneHash + "|" + data + "|" + dataDir;
        synchronized (EVALUATORS) {
            Held held = EVALUATORS.get(key);
            if (held != null) {
                return held.evaluator();
            }
            try {
                Network net = Network.read(new ByteArrayInputStream(backbone));
                // The tensors depend on the input resolution only: backbones pruned from one parent share them.
                String taskKey = data + "|" + dataDir + "|" + net.spec().resolution();
                TaskData task = TASKS.get(taskKey);
                if (task == null) {
                    DataDirectory dir = DataDirectory.resolve(dataDir);
                    task = TaskData.load(DatasetCatalog.local(dir), data, net.spec());
                    TASKS.put(taskKey, task);
                }
                DatasetCatalog catalog = DatasetCatalog.local(DataDirectory.resolve(dataDir));
                ModelSpec model = net.spec();
                // int8 runs calibrate on their source images, read from the same data directory.
                held = new Held(new RunEvaluator(net, task, RunEvaluator.defaultFeatureCache(),
                        (long) (Runtime.getRuntime().maxMemory() * RunEvaluator.DEFAULT_MEMORY_FRACTION),
                        images -> TaskData.loadTrain(catalog, images, model)), taskKey);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EVALUATORS.put(key, held);
            var eldest = EVALUATORS.entrySet().iterator();
            while (EVALUATORS.size() > KEPT) {
                eldest.next();
                eldest.remove();
            }
            TASKS.keySet().retainAll(EVALUATORS.values().stream().map(Held::taskKey).toList());
            return held.evaluator();
        }
    }

    /** Evaluators held now (for tests). */
    static int heldEvaluators() {
        synchronized (EVALUATORS) {
            return EVALUATORS.size();
        }
    }

    /** Task tensors held now (for tests). */
    static int heldTasks() {
        synchronized (EVALUATORS) {
            return TASKS.size();
        }
    }
}
