package io.tinysparse.simulator.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.config.ConfigDocument;
import io.tinysparse.core.text.PlainDecimal;
import io.tinysparse.simulator.model.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes {@link SparseUpdatePolicy} as JSON, in two forms; reads them from YAML as
 * well (the same keys and values; see {@link ConfigDocument} for which syntax a file is read in).
 *
 * <p><b>Native</b> (what {@link #write} produces; keys sorted):
 * <pre>{@code
 * {"bias_layers": 25,
 *  "selection": {"strategy": "dynamic-random", "refresh_period": 10},
 *  "train_classifier": true,
 *  "weights": [{"layer": 27, "ratio": 1.0}, {"layer": 42, "channels": 7}]}
 * }</pre>
 * {@code selection} and {@code train_classifier} are optional (default static {@code magnitude},
 * true); {@code selection} is read and written by {@link ChannelSelectionJson} (a bare strategy
 * name, or the strategy with its refresh period and parameters, such as {@code importance}'s
 * {@code temperature}).
 *
 * <p><b>tiny-training</b> {@code backward_config}, as is (optionally wrapped in
 * {@code {"backward_config": {...}}}): {@code n_bias_update} (int or {@code "all"}),
 * {@code manual_weight_idx} ({@code "27-30-33"}, a list or an int), {@code n_weight_update}
 * (int or {@code "all"}: the last n convolutions, used when {@code manual_weight_idx} is null),
 * {@code weight_update_ratio} ({@code "1-1-0.125"}, a list, or one number for all; a value
 * &lt;= 1 is a fraction, a larger integer a channel count, 0 leaves that layer bias-only as in
 * tiny-training; null means all channels), {@code weight_select_criteria}
 * ({@code magnitude+}, {@code magnitude-}, {@code random}), {@code pw1_weight_only} (keep only
 * expand 1x1 convolutions), {@code freeze_fc} (1 = classifier frozen),
 * {@code enable_backward_config} (0 = dense update of everything), and {@code
 * quantize_gradient}/{@code train_scale} (accepted only as 0: tinysparse does not model them).
 * {@code "all"}, {@code n_weight_update}, {@code pw1_weight_only = 1} and
 * {@code enable_backward_config = 0} need the model.
 *
 * <p><b>A whole tiny-training run config</b> ({@code config.yaml} with the sections
 * {@code data_provider}, {@code net_config}, {@code run_config}, {@code backward_config} and
 * top-level settings such as {@code manual_seed}) is read by taking its {@code backward_config}
 * section; the rest is tiny-training's and is not looked at. A run config without that section,
 * a section that is not a mapping, or a policy key at the top level beside it is rejected naming
 * the section or key; errors inside the section are prefixed with {@code section backward_config}.
 *
 * <p>Any other key, a malformed value or a policy that does not fit the model is rejected with
 * an {@link InvalidInputException} naming the key and value.
 */
public final class PolicyJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> NATIVE_KEYS = Set.of("bias_layers", "weights", "selection", "train_classifier");
    private static final Set<String> WEIGHT_KEYS = Set.of("layer", "ratio", "channels");
    private static final Set<String> TINY_TRAINING_KEYS = Set.of("enable_backward_config", "n_bias_update",
            "n_weight_update", "weight_update_ratio", "weight_select_criteria", "pw1_weight_only",
            "manual_weight_idx", "quantize_gradient", "freeze_fc", "train_scale");
    private static final String BACKWARD_CONFIG = "backward_config";
    /** The sections of a tiny-training run config besides {@code backward_config} ({@code configs/default.yaml}). */
    private static final Set<String> RUN_CONFIG_SECTIONS = Set.of("data_provider", "net_config", "run_config");

    private PolicyJson() {}

    /** Reads a policy in either form, without a model (model-dependent tiny-training keys are rejected). */
    public static SparseUpdatePolicy read(String json) {
        return read(json, null);
    }

    /**
     * Reads a policy in either form, as JSON or YAML ({@link ConfigDocument#syntaxOf(String, String)}:
     * by content), and, when {@code model} is non-null, validates it against the model
     * ({@link SparseUpdatePolicy#validate(ModelSpec)}).
     */
    public static SparseUpdatePolicy read(String text, ModelSpec model) {
        return read(ConfigDocument.parse(text), model);
    }

    /**
     * Reads a policy file, JSON or YAML ({@link ConfigDocument#syntaxOf(Path, String)}: by the
     * extension, else the content); see {@link #read(String, ModelSpec)}. Errors name the file.
     */
    public static SparseUpdatePolicy read(Path file, ModelSpec model) {
        String text = ConfigDocument.readText(file, "policy file");
        try {
            return read(ConfigDocument.parse(text, ConfigDocument.syntaxOf(file, text)), model);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("policy file " + file + ": " + e.getMessage(), e);
        }
    }

    private static SparseUpdatePolicy read(JsonNode document, ModelSpec model) {
        if (!document.isObject()) {
            throw new InvalidInputException("a policy must be an object (a mapping of keys), got "
                    + (document.isMissingNode() ? "an empty document" : document.getNodeType().toString().toLowerCase()));
        }
        JsonNode root = document;
        boolean runConfig = false;
        if (root.has(BACKWARD_CONFIG)) {
            root = backwardConfigSection(root);
            runConfig = document.size() > 1;
        } else {
            List<String> sections = presentKeys(root, RUN_CONFIG_SECTIONS);
            if (!sections.isEmpty()) {
                throw new InvalidInputException("tiny-training run config has no " + BACKWARD_CONFIG
                        + " section (it has " + String.join(", ", sections) + "): the policy is that section");
            }
        }
        boolean tiny = !presentKeys(root, TINY_TRAINING_KEYS).isEmpty();
        try {
            SparseUpdatePolicy policy = tiny
                    ? TinyTrainingConfig.parse((ObjectNode) root, model)
                    : readNative(root);
            return model == null ? policy : policy.validate(model);
        } catch (InvalidInputException e) {
            throw runConfig ? new InvalidInputException("section " + BACKWARD_CONFIG + ": " + e.getMessage(), e) : e;
        }
    }

    /**
     * The {@code backward_config} section of a document that has one: alone, the wrapped form;
     * beside tiny-training's other sections and settings, a whole run config, whose other
     * sections are tiny-training's business and ignored, but whose top level must not hold a
     * policy key (it would be silently ignored by tiny-training and here).
     */
    private static JsonNode backwardConfigSection(JsonNode document) {
        JsonNode section = document.get(BACKWARD_CONFIG);
        if (!section.isObject()) {
            throw new InvalidInputException("section " + BACKWARD_CONFIG + " must be a mapping of tiny-training keys ("
                    + String.join(", ", new TreeSet<>(TINY_TRAINING_KEYS)) + "), got "
                    + (section.isNull() ? "nothing" : section.toString()));
        }
        for (Iterator<String> it = document.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (TINY_TRAINING_KEYS.contains(key) || NATIVE_KEYS.contains(key)) {
                throw new InvalidInputException("key '" + key + "' is at the top level beside the " + BACKWARD_CONFIG
                        + " section; a policy key belongs inside " + BACKWARD_CONFIG);
            }
        }
        return section;
    }

    private static List<String> presentKeys(JsonNode node, Set<String> keys) {
        List<String> present = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (keys.contains(key)) {
                present.add(key);
            }
        }
        return present;
    }

    /** Native JSON, pretty-printed, keys sorted. */
    public static String write(SparseUpdatePolicy policy) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toNode(policy));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Native JSON with sorted keys and no whitespace: the input of the content hash. */
    public static String canonical(SparseUpdatePolicy policy) {
        try {
            return MAPPER.writeValueAsString(toNode(policy));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The policy as a tiny-training {@code backward_config} object (string-encoded index and
     * ratio lists, counts as integers), for users of that repository. Only the strategies with
     * a {@linkplain SelectionStrategy#tinyTrainingCriterion() tiny-training criterion} and a
     * trained or frozen classifier can be expressed there.
     *
     * @throws InvalidInputException for a selection strategy without a tiny-training criterion
     */
    public static String writeBackwardConfig(SparseUpdatePolicy policy) {
        SelectionStrategy strategy = policy.selection().strategy();
        String criteria = strategy.tinyTrainingCriterion().orElseThrow(() -> new InvalidInputException(
                "selection strategy " + strategy.jsonName() + " has no tiny-training equivalent"));
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("enable_backward_config", 1);
        n.put("n_bias_update", policy.biasLayers());
        List<String> idx = new ArrayList<>();
        List<String> ratios = new ArrayList<>();
        for (WeightUpdate w : policy.weights()) {
            idx.add(Integer.toString(w.layer()));
            ratios.add(w.channels() != null ? Integer.toString(w.channels())
                    : PlainDecimal.of(w.ratio()));
        }
        if (idx.isEmpty()) {
            n.putNull("manual_weight_idx");
            n.put("n_weight_update", 0);
            n.putNull("weight_update_ratio");
        } else {
            n.put("manual_weight_idx", String.join("-", idx));
            n.put("weight_update_ratio", String.join("-", ratios));
        }
        n.put("weight_select_criteria", criteria);
        n.put("freeze_fc", policy.trainClassifier() ? 0 : 1);
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds the node with keys inserted in sorted order, so that serialisation is canonical. */
    private static ObjectNode toNode(SparseUpdatePolicy p) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("bias_layers", p.biasLayers());
        n.set("selection", ChannelSelectionJson.toCanonicalNode(p.selection()));
        n.put("train_classifier", p.trainClassifier());
        ArrayNode ws = n.putArray("weights");
        for (WeightUpdate w : p.weights()) {
            ObjectNode wn = ws.addObject();
            if (w.channels() != null) {
                wn.put("channels", w.channels().intValue());
            }
            wn.put("layer", w.layer());
            if (w.ratio() != null) {
                wn.put("ratio", w.ratio().doubleValue());
            }
        }
        return n;
    }

    private static SparseUpdatePolicy readNative(JsonNode root) {
        checkKeys(root, NATIVE_KEYS, "policy");
        int bias = intValue(root, "bias_layers", true, 0);
        List<WeightUpdate> weights = new ArrayList<>();
        JsonNode ws = root.get("weights");
        if (ws != null && !ws.isNull()) {
            if (!ws.isArray()) {
                throw new InvalidInputException("weights must be a list, got " + ws);
            }
            for (JsonNode w : ws) {
                if (!w.isObject()) {
                    throw new InvalidInputException("each entry of weights must be an object, got " + w);
                }
                checkKeys(w, WEIGHT_KEYS, "weights entry");
                int layer = intValue(w, "layer", true, 0);
                Double ratio = w.has("ratio") ? numberValue(w, "ratio") : null;
                Integer channels = w.has("channels") ? intValue(w, "channels", true, 0) : null;
                weights.add(new WeightUpdate(layer, ratio, channels));
            }
        }
        ChannelSelection selection = ChannelSelection.DEFAULT;
        JsonNode sel = root.get("selection");
        if (sel != null && !sel.isNull()) {
            selection = ChannelSelectionJson.read(sel);
        }
        boolean trainClassifier = true;
        JsonNode fc = root.get("train_classifier");
        if (fc != null && !fc.isNull()) {
            if (!fc.isBoolean()) {
                throw new InvalidInputException("train_classifier must be true or false, got " + fc);
            }
            trainClassifier = fc.booleanValue();
        }
        return new SparseUpdatePolicy(bias, weights, selection, trainClassifier);
    }

    static void checkKeys(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!allowed.contains(key)) {
                throw new InvalidInputException("unknown " + where + " key '" + key + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    static int intValue(JsonNode node, String key, boolean required, int dflt) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidInputException(key + " is required");
            }
            return dflt;
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < Integer.MAX_VALUE) {
            return (int) v.doubleValue();
        }
        throw new InvalidInputException(key + " must be an integer, got " + v);
    }

    static double numberValue(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isNumber()) {
            throw new InvalidInputException(key + " must be a number, got " + v);
        }
        return v.doubleValue();
    }
}
