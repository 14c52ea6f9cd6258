package io.tinysparse.search.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.config.ConfigDocument;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerRole;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.ChannelSelectionJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes a {@link PolicySpace} as JSON (and reads it from YAML too: the same keys;
 * which syntax a file is read in is {@link ConfigDocument}'s rule):
 *
 * <pre>{@code
 * {
 *   "model": "mbv2-w0.35",
 *   "bias_depth": {"min": 0, "max": 51, "step": 1},
 *   "weight_layers": {"kinds": ["expand", "project"], "last_blocks": 6},
 *   "ratios": [0, 0.125, 0.25, 0.5, 1],
 *   "selection": ["magnitude", {"strategy": "dynamic-random", "refresh_period": [1, 10]}],
 *   "train_classifier": true
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code model} (required): a preset name or network config file
 *       ({@link ModelSpec#named}), or an object with an optional {@code preset}, {@code resolution}
 *       and {@code classes}, and for MobileNetV2 models the fields {@code width},
 *       {@code feature_mix} (default false), {@code first_block_expansion} (default 1),
 *       {@code feature_mix_channels} (default: the rule's); without a preset, {@code width},
 *       {@code resolution} and {@code classes} are required, or {@code mbconv} (an MBConv network
 *       in {@link ModelSpec}'s JSON form) with {@code resolution} and {@code classes}.</li>
 *   <li>{@code bias_depth} (required): a list of depths, or {@code {"min", "max", "step"}}
 *       (step default 1).</li>
 *   <li>{@code weight_layers} (required): a list of conv indices, or {@code {"kinds": [...],
 *       "last_blocks": N, "min_layer": I}}: the convolutions whose role is one of the kinds
 *       ({@code stem}, {@code expand}, {@code depthwise}, {@code project}, {@code feature_mix}),
 *       restricted to the last N inverted-residual blocks (and what follows them) and to
 *       indices &gt;= I when given.</li>
 *   <li>{@code ratios} (optional, default {0, 1/8, 1/4, 1/2, 1}).</li>
 *   <li>{@code selection} (optional, default {@code magnitude}): strategy names or objects
 *       {@code {"strategy", "refresh_period", PARAMETER...}} (such as importance's
 *       {@code temperature}) where the refresh period and parameters may be single values or
 *       lists; every combination becomes one option ({@link ChannelSelectionJson#readOptions}).</li>
 *   <li>{@code train_classifier} (optional, default true).</li>
 * </ul>
 * Unknown keys and malformed values are rejected with an {@link InvalidInputException} naming
 * the key and value. {@link #write} produces the explicit form (lists, full model), which reads
 * back to an equal space.
 */
public final class PolicySpaceJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> KEYS = Set.of("model", "bias_depth", "weight_layers", "ratios", "selection",
            "train_classifier");
    private static final Set<String> MODEL_KEYS = Set.of("preset", "width", "resolution", "classes", "feature_mix",
            "first_block_expansion", "feature_mix_channels", "mbconv");
    /** Fields that only a MobileNetV2 model has. */
    private static final List<String> MOBILENETV2_KEYS = List.of("width", "feature_mix", "first_block_expansion",
            "feature_mix_channels");
    private static final Set<String> RANGE_KEYS = Set.of("min", "max", "step");
    private static final Set<String> LAYER_KEYS = Set.of("kinds", "last_blocks", "min_layer");
    private static final List<String> TINY_TRAINING_SECTIONS =
            List.of("backward_config", "data_provider", "net_config", "run_config");

    private PolicySpaceJson() {}

    /**
     * Reads the space in {@code file}, JSON or YAML ({@link ConfigDocument#syntaxOf(Path, String)}:
     * by the extension, else the content); errors name the file.
     */
    public static PolicySpace read(Path file) throws IOException {
        String text = ConfigDocument.readText(file, "policy space file");
        try {
            return parse(ConfigDocument.parse(text, ConfigDocument.syntaxOf(file, text)));
        } catch (InvalidInputException e) {
            throw new InvalidInputException("policy space " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a space from JSON or YAML text (which one: by its content, see {@link ConfigDocument}). */
    public static PolicySpace parse(String text) {
        return parse(ConfigDocument.parse(text));
    }

    private static PolicySpace parse(JsonNode root) {
        if (!root.isObject()) {
            throw new InvalidInputException("a policy space must be an object (a mapping of keys), got "
                    + (root.isMissingNode() ? "an empty document" : root.toString()));
        }
        for (String section : TINY_TRAINING_SECTIONS) {
            if (root.has(section)) {
                // one policy, not a space: say so rather than calling the section an unknown key
                throw new InvalidInputException("section '" + section + "' is tiny-training's: a tiny-training run"
                        + " config is one policy (give it as --policy); a space has the keys "
                        + String.join(", ", new TreeSet<>(KEYS)));
            }
        }
        checkKeys(root, KEYS, "policy space");
        ModelSpec model = model(required(root, "model"));
        LayerTable table = model.layers();
        List<Integer> depths = biasDepths(required(root, "bias_depth"), table.convCount());
        List<Integer> layers = weightLayers(required(root, "weight_layers"), table);
        List<Double> ratios = root.has("ratios") ? doubles(root.get("ratios"), "ratios") : PolicySpace.DEFAULT_RATIOS;
        List<ChannelSelection> selections = root.has("selection") ? selections(root.get("selection"))
                : List.of(ChannelSelection.DEFAULT);
        boolean trainClassifier = true;
        if (root.has("train_classifier")) {
            JsonNode fc = root.get("train_classifier");
            if (!fc.isBoolean()) {
                throw new InvalidInputException("train_classifier must be true or false, got " + fc);
            }
            trainClassifier = fc.booleanValue();
        }
        return new PolicySpace(model, depths, layers, ratios, selections, trainClassifier);
    }

    /**
     * The explicit JSON form of a model, as a space's {@code model} field writes it (a MobileNetV2's
     * fields, or the MBConv network listing every block's widths) and {@link #model(JsonNode)} reads it.
     */
    public static ObjectNode modelNode(ModelSpec m) {
        ObjectNode model = MAPPER.createObjectNode();
        if (m.isMobileNetV2()) {
            model.put("width", m.widthMultiplier());
        } else {
            model.set("mbconv", MAPPER.valueToTree(m.mbconv()));
        }
        model.put("resolution", m.resolution());
        model.put("classes", m.numClasses());
        if (m.isMobileNetV2()) {
            model.put("feature_mix", m.featureMix());
            model.put("first_block_expansion", m.firstBlockExpansion());
            if (m.featureMixChannels() != 0) {
                model.put("feature_mix_channels", m.featureMixChannels());
            }
        }
        return model;
    }

    /** The explicit JSON form of {@code space}. */
    public static String write(PolicySpace space) {
        ObjectNode root = MAPPER.createObjectNode();
        root.set("model", modelNode(space.model()));
        ArrayNode depths = root.putArray("bias_depth");
        space.biasDepths().forEach(depths::add);
        ArrayNode layers = root.putArray("weight_layers");
        space.weightLayers().forEach(layers::add);
        ArrayNode ratios = root.putArray("ratios");
        space.ratios().forEach(ratios::add);
        ArrayNode sel = root.putArray("selection");
        for (ChannelSelection s : space.selections()) {
            sel.add(ChannelSelectionJson.toOptionNode(s));
        }
        root.put("train_classifier", space.trainClassifier());
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The model of a space's {@code model} field: a preset name or network config file, or an
     * object (as {@link #modelNode} writes it).
     */
    public static ModelSpec model(JsonNode node) {
        if (node.isTextual()) {
            return ModelSpec.named(node.textValue());
        }
        if (!node.isObject()) {
            throw new InvalidInputException("model must be a preset name or an object, got " + node);
        }
        checkKeys(node, MODEL_KEYS, "model");
        if (node.has("mbconv") && node.has("preset")) {
            throw new InvalidInputException("model gives both preset and mbconv: name one network");
        }
        ModelSpec base = node.has("preset") ? ModelSpec.preset(text(node.get("preset"), "model.preset")) : null;
        if (node.has("mbconv")) {
            ObjectNode spec = MAPPER.createObjectNode();
            spec.set("mbconv", node.get("mbconv"));
            spec.put("resolution", integer(required(node, "resolution"), "model.resolution"));
            spec.put("num_classes", integer(required(node, "classes"), "model.classes"));
            base = ModelSpec.fromJson(spec);
        }
        if (base != null && !base.isMobileNetV2()) {
            for (String k : MOBILENETV2_KEYS) {
                if (node.has(k)) {
                    base.requireMobileNetV2("model." + k);
                }
            }
            return base.withResolution(node.has("resolution") ? integer(node.get("resolution"), "model.resolution")
                    : base.resolution()).withClasses(node.has("classes") ? integer(node.get("classes"), "model.classes")
                    : base.numClasses());
        }
        if (base == null) {
            for (String k : List.of("width", "resolution", "classes")) {
                required(node, k);
            }
        }
        double width = node.has("width") ? number(node.get("width"), "model.width") : base.widthMultiplier();
        int resolution = node.has("resolution") ? integer(node.get("resolution"), "model.resolution") : base.resolution();
        int classes = node.has("classes") ? integer(node.get("classes"), "model.classes") : base.numClasses();
        boolean mix = node.has("feature_mix") ? bool(node.get("feature_mix"), "model.feature_mix")
                : base != null && base.featureMix();
        int t = node.has("first_block_expansion") ? integer(node.get("first_block_expansion"), "model.first_block_expansion")
                : base == null ? 1 : base.firstBlockExpansion();
        int mixChannels = node.has("feature_mix_channels")
                ? integer(node.get("feature_mix_channels"), "model.feature_mix_channels")
                : mix && base != null ? base.featureMixChannels() : 0;
        return new ModelSpec(width, resolution, classes, mix, t, mixChannels, null);
    }

    private static List<Integer> biasDepths(JsonNode node, int convCount) {
        if (node.isArray()) {
            return integers(node, "bias_depth");
        }
        if (!node.isObject()) {
            throw new InvalidInputException("bias_depth must be a list or {min, max, step}, got " + node);
        }
        checkKeys(node, RANGE_KEYS, "bias_depth");
        int min = integer(required(node, "min"), "bias_depth.min");
        int max = integer(required(node, "max"), "bias_depth.max");
        int step = node.has("step") ? integer(node.get("step"), "bias_depth.step") : 1;
        if (step < 1) {
            throw new InvalidInputException("bias_depth.step must be >= 1, got " + step);
        }
        if (min < 0 || max > convCount || min > max) {
            throw new InvalidInputException("bias_depth range [" + min + ", " + max + "] must lie within [0, "
                    + convCount + "] with min <= max");
        }
        List<Integer> out = new ArrayList<>();
        for (int d = min; d <= max; d += step) {
            out.add(d);
        }
        return out;
    }

    private static List<Integer> weightLayers(JsonNode node, LayerTable table) {
        if (node.isArray()) {
            return integers(node, "weight_layers");
        }
        if (!node.isObject()) {
            throw new InvalidInputException("weight_layers must be a list of conv indices or {kinds, last_blocks, "
                    + "min_layer}, got " + node);
        }
        checkKeys(node, LAYER_KEYS, "weight_layers");
        JsonNode kindsNode = required(node, "kinds");
        if (!kindsNode.isArray() || kindsNode.isEmpty()) {
            throw new InvalidInputException("weight_layers.kinds must be a non-empty list, got " + kindsNode);
        }
        EnumSet<LayerRole> roles = EnumSet.noneOf(LayerRole.class);
        for (JsonNode k : kindsNode) {
            roles.add(role(text(k, "weight_layers.kinds")));
        }
        int from = 0;
        if (node.has("last_blocks")) {
            int n = integer(node.get("last_blocks"), "weight_layers.last_blocks");
            int blocks = table.blocks().size();
            if (n < 1 || n > blocks) {
                throw new InvalidInputException("weight_layers.last_blocks must be in [1, " + blocks + "], got " + n);
            }
            from = table.blocks().get(blocks - n).firstLayer();
        }
        if (node.has("min_layer")) {
            from = Math.max(from, integer(node.get("min_layer"), "weight_layers.min_layer"));
        }
        List<Integer> out = new ArrayList<>();
        for (ConvLayer c : table.convs()) {
            if (c.index() >= from && roles.contains(c.role())) {
                out.add(c.index());
            }
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("weight_layers " + node + " selects no convolution of " + table.spec().label());
        }
        return out;
    }

    private static LayerRole role(String name) {
        try {
            return LayerRole.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("unknown layer kind '" + name
                    + "' (known: stem, expand, depthwise, project, feature_mix)");
        }
    }

    private static List<ChannelSelection> selections(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw new InvalidInputException("selection must be a non-empty list, got " + node);
        }
        List<ChannelSelection> out = new ArrayList<>();
        for (JsonNode entry : node) {
            out.addAll(ChannelSelectionJson.readOptions(entry));
        }
        return out;
    }

    private static JsonNode required(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new InvalidInputException(key + " is required");
        }
        return v;
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new InvalidInputException("unknown " + where + " key '" + key + "' (known: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static List<Integer> integers(JsonNode node, String key) {
        if (!node.isArray()) {
            throw new InvalidInputException(key + " must be a list, got " + node);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode v : node) {
            out.add(integer(v, key));
        }
        return out;
    }

    private static List<Double> doubles(JsonNode node, String key) {
        if (!node.isArray()) {
            throw new InvalidInputException(key + " must be a list, got " + node);
        }
        List<Double> out = new ArrayList<>();
        for (JsonNode v : node) {
            out.add(number(v, key));
        }
        return out;
    }

    private static int integer(JsonNode v, String key) {
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        throw new InvalidInputException(key + " must be an integer, got " + v);
    }

    private static double number(JsonNode v, String key) {
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new InvalidInputException(key + " must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static String text(JsonNode v, String key) {
        if (!v.isTextual()) {
            throw new InvalidInputException(key + " must be a string, got " + v);
        }
        return v.textValue();
    }

    private static boolean bool(JsonNode v, String key) {
        if (!v.isBoolean()) {
            throw new InvalidInputException(key + " must be true or false, got " + v);
        }
        return v.booleanValue();
    }
}
