package io.tinysparse.simulator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.device.Feasibility;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.BufferKind;
import io.tinysparse.simulator.memory.BufferPrecision;
import io.tinysparse.simulator.memory.MemoryEstimator;
import io.tinysparse.simulator.memory.MemoryReport;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.model.OpKind;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.TrainingWork;
import io.tinysparse.simulator.policy.WeightUpdate;
import io.tinysparse.simulator.pretrain.Backbones;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tinysparse memory}: the SRAM one training step needs under a sparse-update policy, by
 * the Lin et al. formula or the arena simulation, whether it fits a device, and the step's MACs
 * and estimated time. A readable table by default, one JSON object with {@code --json}.
 */
@Command(
        name = "memory",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "SRAM of one training step (batch 1) under a sparse-update policy, and whether it fits a device.")
public final class MemoryCommand implements Callable<Integer> {

    /** The network measured when neither --model nor --backbone is given. */
    private static final String DEFAULT_MODEL = "mbv2-w0.35";

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME|FILE",
            description = "Model preset: mbv2-w0.35 (128x128, 10 classes, no feature mix), mbv2-w1.0 (224x224, 1000 "
                    + "classes, 1280 feature mix), mbv2-320kb (the MCUNet zoo's w0.35 at 144x144, 448 feature mix, "
                    + "1000 classes), mcunet-5fps or proxyless-w0.3 (128x128, 10 classes, as tiny-training uses "
                    + "them); or an OFA/ProxylessNAS network config JSON file; with --backbone, the file's network, which a "
                    + "--model given must name (default: " + DEFAULT_MODEL + ").")
    private String model;

    @Option(names = "--backbone", paramLabel = "FILE",
            description = "A backbone file (a network, e.g. a pruned backbone from the store) whose network, resolution "
                    + "and classes to use (a --model given must name the same network).")
    private Path backbone;

    @Option(names = "--width", paramLabel = "W",
            description = "MobileNetV2 models: width multiplier (default: the preset's).")
    private Double width;

    @Option(names = "--resolution", paramLabel = "R", description = "Input height and width in pixels (default: the preset's).")
    private Integer resolution;

    @Option(names = "--classes", paramLabel = "K", description = "Number of classes (default: the preset's).")
    private Integer classes;

    @Option(names = "--feature-mix", negatable = true,
            description = "MobileNetV2 models: with (or --no-feature-mix without) the 1x1 feature-mix conv "
                    + "(default: the preset's).")
    private Boolean featureMix;

    @Option(names = "--feature-mix-channels", paramLabel = "C",
            description = "MobileNetV2 models: width of the feature-mix conv, implies --feature-mix (default: the "
                    + "preset's; 1280, scaled only above width 1).")
    private Integer featureMixChannels;

    @Option(names = "--first-block-expansion", paramLabel = "T",
            description = "MobileNetV2 models: expansion ratio of the first block, 1 = none (default: the preset's).")
    private Integer firstBlockExpansion;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Policy file, JSON or YAML: tinysparse's own form, tiny-training's backward_config keys, or a"
                    + " whole tiny-training run config (its backward_config section).")
    private Path policyFile;

    @Option(names = "--bias-layers", paramLabel = "N", description = "Train the biases of the last N convolutions.")
    private Integer biasLayers;

    @Option(names = "--weights", paramLabel = "LAYER:AMOUNT[,...]",
            description = "Weight-updated convolutions, e.g. 27:1,30:0.5,42:7 (amount <= 1: ratio of input channels; "
                    + "an integer > 1: channel count) (default: none).")
    private String weights;

    @Option(names = "--selection", paramLabel = "STRATEGY", defaultValue = "magnitude",
            completionCandidates = StrategyNames.class,
            description = "Channel selection: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private String selection;

    @Option(names = "--refresh-period", paramLabel = "K",
            description = "Iterations between re-selections of a dynamic strategy (default: 1 for dynamic strategies).")
    private Integer refreshPeriod;

    @Option(names = "--temperature", paramLabel = "T",
            description = "Sampling temperature of the importance strategy (default: 1.0 for importance).")
    private Double temperature;

    @Option(names = "--freeze-classifier", description = "Do not train the classifier (default: trained).")
    private boolean freezeClassifier;

    @Option(names = "--estimator", paramLabel = "NAME", defaultValue = "arena",
            description = "lin2022 (the formula of Lin et al., for comparison with published numbers) or arena "
                    + "(op-by-op simulation of the step) (default: ${DEFAULT-VALUE}).")
    private String estimator;

    @Mixin
    private DeviceOption device;

    @Option(names = "--momentum", description = "Arena: SGD momentum buffers for trained parameters (default: plain SGD).")
    private boolean momentum;

    @Option(names = "--precision", paramLabel = "KIND=BITS[,...]",
            description = "Arena: bits per element of buffer kinds, e.g. activation-gradient=8 (kinds activation, "
                    + "saved-input, relu-mask, activation-gradient, param-gradient, trainable-weights, trainable-biases, "
                    + "classifier, momentum) (default: 8, 8, 1, 32, 32, 8, 32, 32, 32).")
    private String precision;

    @Option(names = "--in-place-depthwise", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Arena: depthwise convolutions overwrite their input (default: ${DEFAULT-VALUE}).")
    private boolean inPlaceDepthwise;

    @Option(names = "--fuse-frozen-blocks", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Arena: frozen inverted-residual blocks run one expanded channel at a time when that "
                    + "lowers their peak (default: ${DEFAULT-VALUE}).")
    private boolean fuseFrozenBlocks;

    @Option(names = "--alignment", paramLabel = "BYTES", defaultValue = "4",
            description = "Arena: buffers are rounded up to a multiple of this many bytes (default: ${DEFAULT-VALUE}).")
    private int alignment;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    private boolean json;

    public static void main(String[] args) {
        CommandRunner.main(new MemoryCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        ModelSpec modelSpec = modelSpec();
        LayerTable table = modelSpec.layers();
        SparseUpdatePolicy policy = policy(modelSpec);
        ArenaConfig config = new ArenaConfig(BufferPrecision.parse(precision), momentum, inPlaceDepthwise,
                fuseFrozenBlocks, alignment);
        DeviceProfile profile = device.profile();
        MemoryReport report = MemoryEstimator.create(estimator, modelSpec, config).report(policy);
        Feasibility fit = Feasibility.check(report.totalBytes(), profile, table);
        TrainingWork work = TrainingWork.of(table, policy);
        double seconds = profile.secondsPerStep(work);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(report, policy, profile, fit, work, seconds));
        } else {
            printTable(out, table, report, policy, profile, fit, work, seconds);
        }
        out.flush();
        return 0;
    }

    private ModelSpec modelSpec() throws IOException {
        ModelSpec named = model == null ? null : ModelSpec.named(model);
        ModelSpec base = backbone != null ? Backbones.load(backbone, named).spec()
                : named != null ? named : ModelSpec.named(DEFAULT_MODEL);
        if (width != null) {
            base.requireMobileNetV2("--width");
        }
        if (featureMix != null) {
            base.requireMobileNetV2("--feature-mix");
        }
        if (featureMixChannels != null) {
            base.requireMobileNetV2("--feature-mix-channels");
        }
        if (firstBlockExpansion != null) {
            base.requireMobileNetV2("--first-block-expansion");
        }
        if (featureMixChannels != null && Boolean.FALSE.equals(featureMix)) {
            throw new InvalidInputException("--feature-mix-channels " + featureMixChannels
                    + " cannot be combined with --no-feature-mix");
        }
        // the options' names, not the spec's fields, in the messages
        if (resolution != null && (resolution < 1 || resolution > ModelSpec.MAX_RESOLUTION)) {
            throw new InvalidInputException("--resolution " + resolution + " must be in [1, " + ModelSpec.MAX_RESOLUTION
                    + "]");
        }
        if (classes != null && (classes < 1 || classes > ModelSpec.MAX_CLASSES)) {
            throw new InvalidInputException("--classes " + classes + " must be in [1, " + ModelSpec.MAX_CLASSES + "]");
        }
        ModelSpec retargeted = base.withResolution(resolution != null ? resolution : base.resolution())
                .withClasses(classes != null ? classes : base.numClasses());
        if (!base.isMobileNetV2()) {
            return retargeted;
        }
        boolean mix = featureMixChannels != null || (featureMix != null ? featureMix : base.featureMix());
        int mixChannels = featureMixChannels != null ? featureMixChannels : mix ? base.featureMixChannels() : 0;
        return new ModelSpec(
                width != null ? width : base.widthMultiplier(),
                retargeted.resolution(),
                retargeted.numClasses(),
                mix,
                firstBlockExpansion != null ? firstBlockExpansion : base.firstBlockExpansion(),
                mixChannels, null);
    }

    private SparseUpdatePolicy policy(ModelSpec modelSpec) {
        boolean inline = biasLayers != null || weights != null || refreshPeriod != null || temperature != null
                || freezeClassifier || !"magnitude".equals(selection);
        if (policyFile != null) {
            if (inline) {
                throw new InvalidInputException("--policy " + policyFile
                        + " cannot be combined with --bias-layers/--weights/--selection/--refresh-period/--temperature/"
                        + "--freeze-classifier");
            }
            return PolicyJson.read(policyFile, modelSpec);
        }
        if (biasLayers == null) {
            throw new InvalidInputException("give a policy: --policy FILE or --bias-layers N [--weights ...]");
        }
        SelectionStrategy strategy = SelectionStrategy.parse(selection);
        int period = refreshPeriod != null ? refreshPeriod : (strategy.dynamic() ? 1 : 0);
        Map<String, Double> parameters = temperature == null ? Map.of() : Map.of("temperature", temperature);
        return new SparseUpdatePolicy(biasLayers, WeightUpdate.parseList(weights),
                new ChannelSelection(strategy, period, parameters), !freezeClassifier).validate(modelSpec);
    }

    private static String toJson(MemoryReport r, SparseUpdatePolicy policy, DeviceProfile device, Feasibility fit,
            TrainingWork work, double seconds) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = mapper.createObjectNode();
        o.put("estimator", r.estimator());
        o.put("model", r.model());
        o.set("policy", mapper.readTree(policy.toCanonicalJson()));
        o.put("policy_hash", policy.contentHash());
        o.put("total_bytes", r.totalBytes());
        o.put("total_kib", r.totalKiB());
        ObjectNode peak = o.putObject("peak");
        peak.put("phase", r.peak().phase());
        peak.put("layer", r.peak().layer());
        peak.put("description", r.peak().description());
        o.put("device", device.name());
        o.put("sram_bytes", device.sramBytes());
        o.put("flash_bytes", device.flashBytes());
        o.put("model_flash_bytes", fit.modelFlashBytes());
        o.put("sram_fits", fit.sramFits());
        o.put("flash_fits", fit.flashFits());
        o.put("feasible", fit.feasible());
        ObjectNode byKind = o.putObject("by_kind");
        for (Map.Entry<BufferKind, Long> e : new java.util.TreeMap<>(r.byKind()).entrySet()) {
            byKind.put(e.getKey().jsonName(), e.getValue());
        }
        ArrayNode breakdown = o.putArray("breakdown");
        for (MemoryReport.Entry e : r.breakdown()) {
            ObjectNode b = breakdown.addObject();
            b.put("layer", e.layer());
            b.put("layer_name", r.layerName(e.layer()));
            b.put("kind", e.kind().jsonName());
            b.put("bytes", e.bytes());
        }
        ObjectNode w = o.putObject("work");
        w.put("forward_macs", work.forwardMacs());
        w.put("backward_macs", work.backwardMacs());
        w.put("total_macs", work.totalMacs());
        for (OpKind k : OpKind.values()) {
            w.put(k.jsonName() + "_forward_macs", work.forward(k));
            w.put(k.jsonName() + "_backward_macs", work.backward(k));
        }
        w.put("updated_conv_weights", work.updatedConvWeights());
        w.put("updated_weight_fraction", work.updatedWeightFraction());
        o.put("seconds_per_step", seconds);
        return mapper.writeValueAsString(o);
    }

    private static void printTable(PrintWriter out, LayerTable table, MemoryReport r, SparseUpdatePolicy policy,
            DeviceProfile device, Feasibility fit, TrainingWork work, double seconds) {
        out.printf(Locale.ROOT, "model      %s: %d convs, %,d params (%.2f M; %.2f M counting batch norm's scale and"
                + " shift as model zoos do), %,.2f M MACs forward%n", r.model(), table.convCount(), table.params(),
                table.params() / 1e6, table.paramsWithBatchNorm() / 1e6, table.macs() / 1e6);
        out.printf(Locale.ROOT, "policy     %s  (hash %s)%n", policy.describe(), policy.contentHash().substring(0, 12));
        out.printf(Locale.ROOT, "estimator  %s%n", r.estimator());
        out.printf(Locale.ROOT, "peak SRAM  %,d bytes (%.1f KiB), %s%n", r.totalBytes(), r.totalKiB(), r.peak().description());
        out.printf(Locale.ROOT, "device     %s: %,d bytes SRAM, %,d bytes Flash, %.0f MHz%n", device.name(),
                device.sramBytes(), device.flashBytes(), device.clockHz() / 1e6);
        out.printf(Locale.ROOT, "feasible   %s (SRAM %,d %s %,d; model Flash %,d %s %,d)%n",
                fit.feasible() ? "yes" : "NO", fit.peakSramBytes(), fit.sramFits() ? "<=" : ">", fit.sramBytes(),
                fit.modelFlashBytes(), fit.flashFits() ? "<=" : ">", fit.flashBytes());
        out.printf(Locale.ROOT, "work       %,d forward + %,d backward MACs; %.2f %% of conv weights updated; ~%.3f s per step%n",
                work.forwardMacs(), work.backwardMacs(), 100 * work.updatedWeightFraction(), seconds);
        out.println();
        out.println("bytes live at the peak, by kind");
        for (Map.Entry<BufferKind, Long> e : new java.util.TreeMap<>(r.byKind()).entrySet()) {
            out.printf(Locale.ROOT, "  %-20s %,12d%n", e.getKey().jsonName(), e.getValue());
        }
        out.println();
        out.println("bytes live at the peak, by layer and kind");
        out.printf(Locale.ROOT, "  %-11s %-20s %12s%n", "layer", "kind", "bytes");
        for (MemoryReport.Entry e : r.breakdown()) {
            out.printf(Locale.ROOT, "  %-11s %-20s %,12d%n", r.layerName(e.layer()), e.kind().jsonName(), e.bytes());
        }
    }

    /** The strategy names {@code --selection} accepts, for its help. */
    static final class StrategyNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(SelectionStrategy.values()).map(SelectionStrategy::jsonName).iterator();
        }
    }
}
