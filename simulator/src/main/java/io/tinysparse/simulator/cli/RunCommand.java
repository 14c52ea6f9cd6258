package io.tinysparse.simulator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.core.cli.OptionRange;
import io.tinysparse.datasets.cache.FeatureCache;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.datasets.cli.DataDirOption;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.pretrain.Backbones;
import io.tinysparse.simulator.pretrain.PretrainSpec;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.run.DataSpec;
import io.tinysparse.simulator.run.Normalisation;
import io.tinysparse.simulator.run.Quantization;
import io.tinysparse.simulator.run.RunEvaluator;
import io.tinysparse.simulator.run.RunResult;
import io.tinysparse.simulator.run.RunSpec;
import io.tinysparse.simulator.run.TaskData;
import io.tinysparse.simulator.run.TrainingBudget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tinysparse run}: one simulated MCU training run. Loads a pretrained backbone (the given
 * file, or the default pretraining from the backbone store as {@code search} takes it), folds its
 * batch norms, gives it a fresh classifier for the target dataset, fine-tunes it under the
 * policy from the frozen prefix's cut, and prints the {@link RunResult}.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Runs one simulated MCU training run (sparse-update fine-tuning) and prints its result.")
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--policy", paramLabel = "FILE", required = true,
            description = "Policy file, JSON or YAML: tinysparse's form, tiny-training's backward_config keys, or a"
                    + " whole tiny-training run config (its backward_config section).")
    Path policyFile;

    @Option(names = "--backbone", paramLabel = "FILE",
            description = "Pretrained network file (from 'tinysparse pretrain') (default: the default pretraining on"
                    + " Fashion-MNIST from the backbone store, pretrained once and reused, as 'search' does).")
    Path backboneFile;

    @Mixin
    ModelOption model;

    @Option(names = "--resolution", paramLabel = "R",
            description = "Input resolution (default: the backbone's).")
    void resolution(Integer r) {
        resolution = r == null ? null : OptionRange.atLeast(spec, "--resolution", r, 1);
    }

    Integer resolution;

    @Option(names = "--epochs", paramLabel = "E",
            description = "Passes over the training samples at --batch, instead of --iterations.")
    void epochs(Double e) {
        epochs = e == null ? null : OptionRange.positive(spec, "--epochs", e);
    }

    Double epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "1",
            description = "Batch size (default: ${DEFAULT-VALUE}, as on an MCU).")
    void batch(int b) {
        batch = OptionRange.atLeast(spec, "--batch", b, 1);
    }

    int batch;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0",
            description = "SGD momentum (default: ${DEFAULT-VALUE}, plain SGD as on the device).")
    void momentum(double m) {
        momentum = OptionRange.inHalfOpen(spec, "--momentum", m, 0, 1);
    }

    double momentum;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-cache", description = "Do not use the on-disk feature cache.")
    boolean noCache;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Mixin
    DataSpecOptions dataOptions;

    @Mixin
    TrainingBudgetOptions training;

    @Mixin
    DeviceOption device;

    @Mixin
    PrecisionOptions precision;

    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() throws IOException {
        if (training.iterationsGiven() && epochs != null) {
            throw new InvalidInputException("give --iterations or --epochs, not both");
        }
        DataDirectory dir = dataDir.resolve();
        ModelSpec modelSpec = model.spec();
        // Checked before a first pretraining (minutes) too.
        Quantization quantization = precision.quantization(sourceDataset(modelSpec));
        if (quantization != null) {
            TaskData.checkCalibration(DatasetCatalog.local(dir), quantization, dataOptions.dataSpec(seed));
        }
        if (backboneFile == null) {
            // Checked against the default backbone's model before it is pretrained (minutes) on a fresh home.
            ModelSpec defaultModel = (modelSpec == null ? PretrainSpec.defaults() : PretrainSpec.defaultsFor(modelSpec))
                    .model();
            PolicyJson.read(policyFile, resolution == null ? defaultModel : defaultModel.withResolution(resolution));
            TaskData.check(DatasetCatalog.local(dir), dataOptions.dataSpec(seed));
        }
        // Progress of a first pretraining goes to stderr: stdout is the result (--json parses it).
        Backbones.Selected selected = Backbones.select(backboneFile, modelSpec, dir, System.err, System.err);
        Network net = selected.network();
        if (resolution != null) {
            net = net.withResolution(resolution);
        }
        SparseUpdatePolicy policy = PolicyJson.read(policyFile, net.spec());
        Normalisation statistics = selected.statistics();
        DataSpec data = dataOptions.dataSpec(seed).withNormalisation(statistics);
        TaskData task = TaskData.load(DatasetCatalog.local(dir), data, net.spec());
        Network backbone = net.fold().withNewClassifier(task.classes(), seed);
        TrainingBudget budget = training.budget(epochs == null ? training.iterations() : epochSteps(data), batch,
                momentum);
        FeatureCache cache = noCache ? null : RunEvaluator.defaultFeatureCache();
        DatasetCatalog catalog = DatasetCatalog.local(dir);
        ModelSpec at = backbone.spec();
        RunEvaluator evaluator = new RunEvaluator(backbone, task, cache,
                (long) (Runtime.getRuntime().maxMemory() * RunEvaluator.DEFAULT_MEMORY_FRACTION),
                images -> TaskData.loadTrain(catalog, images, at));
        RunSpec spec = RunSpec.onDevice(backbone.spec(), policy, evaluator.backboneHash(), data, budget, device.profile(),
                seed).withQuantization(quantization);
        RunResult r = evaluator.evaluate(spec);
        System.out.println(json ? toJson(r) : toText(r));
        return CommandRunner.OK;
    }

    /** The dataset the backbone was pretrained on (its provenance's, the default pretraining's), or null if unknown. */
    private String sourceDataset(ModelSpec modelSpec) throws IOException {
        if (backboneFile == null) {
            return (modelSpec == null ? PretrainSpec.defaults() : PretrainSpec.defaultsFor(modelSpec)).dataset();
        }
        return Backbones.sourceDataset(backboneFile).orElse(null);
    }

    /** The steps of {@code --epochs} passes over the training samples at {@code --batch}: at least 1, at most an int's range. */
    private int epochSteps(DataSpec data) {
        long steps = Math.max(1, Math.round(epochs * data.trainSamples() / batch));
        if (steps > Integer.MAX_VALUE) {
            throw new InvalidInputException("--epochs " + epochs + " gives " + steps + " steps, more than "
                    + Integer.MAX_VALUE);
        }
        return (int) steps;
    }

    static String toJson(RunResult r) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("run_id", r.runId());
        o.put("test_accuracy", r.testAccuracy());
        ArrayNode curve = o.putArray("validation_accuracy");
        r.validationCurve().forEach(curve::add);
        o.put("lin2022_bytes", r.lin2022().totalBytes());
        o.put("arena_bytes", r.arena().totalBytes());
        o.put("budget_bytes", r.budgetBytes());
        o.put("feasible", r.feasible());
        o.put("updated_fraction", r.updatedFraction());
        o.put("coverage", r.coverage());
        o.put("train_macs", r.trainMacs());
        o.put("device_time_ms", r.deviceTimeMs());
        o.put("wall_time_ms", r.wallTimeMs());
        try {
            o.set("spec", m.readTree(r.spec().toJson()));
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String toText(RunResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "run %s%n", r.runId()));
        sb.append(String.format(Locale.ROOT, "  policy              %s%n", r.spec().policy().describe()));
        sb.append(String.format(Locale.ROOT, "  precision           %s%n", r.spec().precisionLabel()));
        sb.append(String.format(Locale.ROOT, "  model / data        %s on %s (%d train, %d val, %d test)%n",
                r.spec().model().label(), r.spec().data().dataset(), r.spec().data().trainSamples(),
                r.spec().data().valSamples(), r.spec().data().testSamples()));
        sb.append(String.format(Locale.ROOT, "  test accuracy       %.4f%n", r.testAccuracy()));
        sb.append(String.format(Locale.ROOT, "  validation curve    %s%n", r.validationCurve()));
        sb.append(String.format(Locale.ROOT, "  SRAM lin2022        %,d bytes (%.1f KiB)%n", r.lin2022().totalBytes(),
                r.lin2022().totalBytes() / 1024.0));
        sb.append(String.format(Locale.ROOT, "  SRAM arena (peak)   %,d bytes (%.1f KiB), budget %,d: %s%n",
                r.arena().totalBytes(), r.arena().totalBytes() / 1024.0, r.budgetBytes(),
                r.feasible() ? "fits" : "DOES NOT FIT"));
        sb.append(String.format(Locale.ROOT, "  updated per step    %.4f of conv weights%n", r.updatedFraction()));
        sb.append(String.format(Locale.ROOT, "  coverage            %.4f of updatable weights changed at least once%n",
                r.coverage()));
        sb.append(String.format(Locale.ROOT, "  MACs per step       %,d%n", r.trainMacs()));
        sb.append(String.format(Locale.ROOT, "  device time/step    %.2f ms (%s)%n", r.deviceTimeMs(), r.spec().device()));
        sb.append(String.format(Locale.ROOT, "  wall time           %.0f ms%n", r.wallTimeMs()));
        return sb.toString();
    }

    public static void main(String[] args) {
        CommandRunner.main(new RunCommand(), args);
    }
}
