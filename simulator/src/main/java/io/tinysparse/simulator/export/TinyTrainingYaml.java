package io.tinysparse.simulator.export;

import io.tinysparse.core.text.PlainDecimal;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy as tiny-training's {@code backward_config} section, in YAML, the way its
 * {@code configs/*.yaml} spell it and its {@code parsed_backward_config} reads it: every key of
 * its {@code configs/default.yaml} section in that order, layer indices and ratios joined with
 * {@code -}, counts as integers, {@code null} where unused. The text can be merged into a
 * tiny-training run config as is, and {@code tinysparse memory --policy} reads it back.
 *
 * <p>What tiny-training cannot say is said in comments above the section, never silently
 * dropped:
 * <ul>
 *   <li>a dynamic selection ({@code dynamic-random}, {@code cyclic}, {@code importance}) has no
 *       tiny-training key: the file names the nearest static criterion ({@code random} for
 *       {@code dynamic-random}, tiny-training's default {@code magnitude+} otherwise) and says that
 *       the re-selection every {@code refresh_period} iterations (and with it the coverage of the
 *       layer over the run) is lost;</li>
 *   <li>an exact channel count is written as the smallest ratio {@code r <= 1} for which
 *       {@code int(C_in * r)} is that count, since tiny-training reads counts only as one number
 *       for every layer (a count in its {@code -}-joined list becomes a float and fails its
 *       {@code isinstance(keep_ratio, int)} check).</li>
 * </ul>
 */
public final class TinyTrainingYaml {
    private TinyTrainingYaml() {}

    /**
     * The {@code memory} command's options that describe {@code model}'s network (resolution
     * and classes apart): its preset's name, the MobileNetV2 parameters where they differ from
     * the default preset's, or, for an MBConv network that is no preset, a placeholder for the
     * network config file it came from.
     */
    static String modelOptions(ModelSpec model) {
        if (!model.isMobileNetV2()) {
            String name = model.mbconv().name();
            boolean preset = java.util.Arrays.asList(ModelSpec.presetNames().split(", ")).contains(name)
                    && model.mbconv().equals(ModelSpec.preset(name).mbconv());
            return "--model " + (preset ? name : "NETWORK_CONFIG_OF_" + name);
        }
        ModelSpec base = ModelSpec.preset("mbv2-w0.35");
        StringBuilder o = new StringBuilder("--model mbv2-w0.35");
        if (model.widthMultiplier() != base.widthMultiplier()) {
            o.append(" --width ").append(model.widthMultiplier());
        }
        if (model.featureMix() != base.featureMix()) {
            o.append(model.featureMix() ? " --feature-mix" : " --no-feature-mix");
        }
        if (model.featureMixChannels() > 0) {
            o.append(" --feature-mix-channels ").append(model.featureMixChannels());
        }
        if (model.firstBlockExpansion() != base.firstBlockExpansion()) {
            o.append(" --first-block-expansion ").append(model.firstBlockExpansion());
        }
        return o.toString();
    }

    /** The YAML text: header comments (provenance, measurements, what is lost), then the section. */
    public static String write(ExportedPolicy exported, String producedBy) {
        SparseUpdatePolicy policy = exported.policy();
        ModelSpec model = exported.model();
        StringBuilder y = new StringBuilder();
        comment(y, "tiny-training backward_config of one policy, exported by " + producedBy);
        comment(y, "search " + exported.searchId() + ", run " + exported.runId() + " (" + exported.pickedBy() + ")");
        comment(y, "policy: " + policy.describe());
        comment(y, Measurements.line(exported));
        comment(y, "model: " + model.label() + " (" + model.layers().convCount() + " convolutions, input "
                + model.resolution() + "x" + model.resolution() + ", " + model.numClasses() + " classes)");
        comment(y, "check: tinysparse memory --policy THIS_FILE " + modelOptions(model) + " --resolution "
                + model.resolution() + " --classes " + model.numClasses() + " --estimator lin2022");

        SelectionStrategy strategy = policy.selection().strategy();
        String criterion = strategy.tinyTrainingCriterion().orElse(strategy == SelectionStrategy.DYNAMIC_RANDOM
                ? SelectionStrategy.RANDOM.tinyTrainingCriterion().orElseThrow()
                : SelectionStrategy.MAGNITUDE.tinyTrainingCriterion().orElseThrow());
        if (strategy.tinyTrainingCriterion().isEmpty()) {
            comment(y, "LOST: the channel selection '" + strategy.jsonName() + "' re-selects the updated channels every "
                    + policy.selection().refreshPeriod() + " iteration(s)" + parameters(policy)
                    + "; tiny-training has no key for a dynamic selection and");
            comment(y, "LOST: chooses the channels once, before training: weight_select_criteria " + criterion
                    + " below is the nearest static criterion; the accuracy and coverage measured here may not carry over.");
        }
        List<String> indices = new ArrayList<>();
        List<String> ratios = new ArrayList<>();
        for (WeightUpdate w : policy.weights()) {
            ConvLayer conv = model.layers().conv(w.layer());
            indices.add(Integer.toString(w.layer()));
            if (w.channels() == null) {
                ratios.add(PlainDecimal.of(w.ratio()));
            } else {
                double r = ratioFor(w.channels(), conv.inChannels());
                ratios.add(Double.toString(r));
                comment(y, "layer " + w.layer() + " updates " + w.channels() + " of its " + conv.inChannels()
                        + " input channels: written as the ratio " + r + " (int(" + conv.inChannels() + " * r) = "
                        + w.channels() + ")");
            }
        }
        if (!policy.trainClassifier()) {
            comment(y, "the classifier is frozen (freeze_fc: 1); tiny-training's apply_backward_config does not act on"
                    + " freeze_fc, so freeze its parameters in the training script");
        }
        y.append("backward_config:\n");
        entry(y, "enable_backward_config", "1");
        entry(y, "n_bias_update", Integer.toString(policy.biasLayers()));
        entry(y, "n_weight_update", indices.isEmpty() ? "0" : "null");
        entry(y, "weight_update_ratio", ratios.isEmpty() ? "null" : String.join("-", ratios));
        entry(y, "weight_select_criteria", criterion);
        entry(y, "pw1_weight_only", "0");
        entry(y, "manual_weight_idx", indices.isEmpty() ? "null" : String.join("-", indices));
        entry(y, "quantize_gradient", "0");
        entry(y, "freeze_fc", policy.trainClassifier() ? "0" : "1");
        entry(y, "train_scale", "0");
        return y.toString();
    }

    /**
     * The smallest double {@code r <= 1} with {@code floor(r * inChannels) == channels} in IEEE
     * arithmetic, as Python's {@code int(C_in * r)} computes it.
     */
    static double ratioFor(int channels, int inChannels) {
        double r = (double) channels / inChannels;
        while (Math.floor(r * inChannels) < channels) {
            r = Math.nextUp(r);
        }
        while (r > 0 && Math.floor(Math.nextDown(r) * inChannels) >= channels) {
            r = Math.nextDown(r);
        }
        return r;
    }

    private static String parameters(SparseUpdatePolicy policy) {
        StringBuilder s = new StringBuilder();
        policy.selection().parameters().forEach((k, v) -> s.append(", ").append(k).append(' ')
                .append(PlainDecimal.of(v)));
        return s.toString();
    }

    private static void comment(StringBuilder y, String text) {
        y.append("# ").append(text.replace('\n', ' ')).append('\n');
    }

    private static void entry(StringBuilder y, String key, String value) {
        y.append("  ").append(key).append(": ").append(value).append('\n');
    }
}
