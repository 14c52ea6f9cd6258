package io.tinysparse.dl4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.PaddingConvention;
import io.tinysparse.simulator.engine.kernels.Padding;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code model_config} JSON of a Keras 2 functional model, checked to be a
 * {@code tf.keras.applications.MobileNetV2}: every layer our {@link ModelSpec} implies is there
 * under its Keras name ({@link KerasLayerNames}), of the right class, fed by the right layers,
 * with the right filters, kernel, stride, padding (TensorFlow "same", written as {@code "same"}
 * or as a {@code ZeroPadding2D} before a {@code "valid"} convolution), no bias, ReLU6 and one
 * batch-norm epsilon; and there is no other layer.
 *
 * <p>The width multiplier is found by matching every convolution's filters against the
 * MobileNetV2 channel tables of Keras's widths (the one in the model's name first); the
 * resolution comes from the input shape (or the caller, when the model was saved without one);
 * the classes from {@code predictions}, absent in {@code include_top=False} models.
 */
final class KerasModelConfig {
    /** What every "not a MobileNetV2" error adds: the import's scope and where other networks go. */
    static final String ONLY_MOBILENETV2 = "Keras import reads MobileNetV2 only; other MBConv networks (mcunet-5fps,"
            + " proxyless-w0.3, an OFA/ProxylessNAS config file) are --model presets or FILEs for tinysparse pretrain";

    /** The widths {@code tf.keras.applications.MobileNetV2} has ImageNet weights for. */
    static final double[] KERAS_ALPHAS = {0.35, 0.5, 0.75, 1.0, 1.3, 1.4};

    /** One layer of the config. */
    record Layer(String name, String className, JsonNode config, List<String> inbound) {}

    private final String source;
    private final String modelName;
    private final Map<String, Layer> layers = new LinkedHashMap<>();
    private final String inputName;
    private final Integer fileResolution;
    private float batchNormEpsilon = Float.NaN;

    private KerasModelConfig(String source, JsonNode root) {
        this.source = source;
        String cls = root.path("class_name").asText("");
        if (!cls.equals("Functional") && !cls.equals("Model")) {
            throw bad("model_config", "class_name '" + cls + "' is not a functional Keras model (Functional or Model)");
        }
        JsonNode config = root.path("config");
        modelName = config.path("name").asText("");
        JsonNode list = config.path("layers");
        if (!list.isArray() || list.isEmpty()) {
            throw bad("model_config", "no layers");
        }
        String input = null;
        for (JsonNode l : list) {
            String name = l.path("name").asText(l.path("config").path("name").asText(""));
            List<String> inbound = new ArrayList<>();
            for (JsonNode node : l.path("inbound_nodes")) {
                for (JsonNode tensor : node) {
                    inbound.add(tensor.path(0).asText());
                }
            }
            Layer layer = new Layer(name, l.path("class_name").asText(""), l.path("config"), List.copyOf(inbound));
            if (layers.put(name, layer) != null) {
                throw bad(name, "layer name appears twice");
            }
            if (layer.className().equals("InputLayer")) {
                if (input != null) {
                    throw bad(name, "a second input layer; MobileNetV2 has one");
                }
                input = name;
            }
        }
        if (input == null) {
            throw bad("model_config", "no InputLayer");
        }
        inputName = input;
        JsonNode shape = layers.get(input).config().has("batch_input_shape")
                ? layers.get(input).config().get("batch_input_shape") : layers.get(input).config().path("batch_shape");
        if (!shape.isArray() || shape.size() != 4) {
            throw bad(input, "input shape " + shape + " is not [batch, height, width, channels]");
        }
        if (shape.get(3).asInt(-1) != ModelSpec.IMAGE_CHANNELS) {
            throw bad(input, "input shape " + shape + " does not have 3 channels last (channels_last RGB)");
        }
        JsonNode h = shape.get(1);
        JsonNode w = shape.get(2);
        if (h.isNull() || w.isNull()) {
            fileResolution = null;
        } else if (h.asInt() != w.asInt()) {
            throw bad(input, "input " + h.asInt() + "x" + w.asInt() + " is not square");
        } else {
            fileResolution = h.asInt();
        }
    }

    /**
     * Parses a {@code model_config} attribute.
     *
     * @param source the file, for error messages
     * @throws InvalidInputException if it is not JSON or not a functional model
     */
    static KerasModelConfig parse(String source, String json) {
        try {
            JsonNode root = new ObjectMapper().readTree(json.trim());
            if (root == null || !root.isObject()) {
                throw new InvalidInputException("keras file " + source + ": model_config is not a JSON object");
            }
            return new KerasModelConfig(source, root);
        } catch (IOException e) {
            throw new InvalidInputException("keras file " + source + ": model_config is not valid JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** The model's name ({@code mobilenetv2_1.00_224} for Keras's own). */
    String modelName() {
        return modelName;
    }

    /** The input layer's name (Keras numbers it: {@code input_1}, ...). */
    String inputName() {
        return inputName;
    }

    /** Height and width of the input, or null when the model was saved without them. */
    Integer fileResolution() {
        return fileResolution;
    }

    /** Whether the model ends in {@code predictions} (saved with {@code include_top=True}). */
    boolean includeTop() {
        return layers.containsKey(KerasLayerNames.PREDICTIONS);
    }

    /**
     * Checks that the layers are exactly a MobileNetV2 and returns its spec.
     *
     * @param resolution  the input resolution to check the padding at: the file's, or the
     *                    caller's when the file has none
     * @param headlessClasses classes of the spec when the model has no {@code predictions}
     * @throws InvalidInputException naming the file and the first layer that differs
     */
    ModelSpec checkMobileNetV2(int resolution, int headlessClasses) {
        int classes = headlessClasses;
        if (includeTop()) {
            Layer p = layers.get(KerasLayerNames.PREDICTIONS);
            expectClass(p, "Dense");
            classes = p.config().path("units").asInt(-1);
            expectConfig(p, "activation", "softmax");
            expectConfig(p, "use_bias", "true");
        }
        ModelSpec spec = matchWidth(resolution, classes);
        LayerTable table = spec.layers();
        Set<String> expected = new LinkedHashSet<>();
        expected.add(inputName);
        String previous = inputName;
        String[] outputs = new String[table.convCount()];
        float epsilon = Float.NaN;
        for (ConvLayer c : table.convs()) {
            Layer conv = layer(KerasLayerNames.conv(c));
            expected.add(conv.name());
            expectClass(conv, c.depthwise() ? "DepthwiseConv2D" : "Conv2D");
            if (c.depthwise()) {
                expectInt(conv, "depth_multiplier", 1);
            } else {
                expectInt(conv, "filters", c.outChannels());
            }
            expectPair(conv, "kernel_size", c.kernel());
            expectPair(conv, "strides", c.stride());
            expectPair(conv, "dilation_rate", 1);
            expectConfig(conv, "use_bias", "false");
            expectConfig(conv, "activation", "linear");
            String format = conv.config().path("data_format").asText("channels_last");
            if (!format.equals("channels_last")) {
                throw bad(conv.name(), "data_format " + format + " (only channels_last is supported)");
            }
            String from = single(conv);
            Padding pad = Padding.NONE;
            Layer fromLayer = layer(from);
            if (fromLayer.className().equals("ZeroPadding2D")) {
                expected.add(from);
                pad = zeroPadding(fromLayer);
                from = single(fromLayer);
            }
            String mode = conv.config().path("padding").asText("");
            if (mode.equals("same")) {
                if (!pad.isNone()) {
                    throw bad(conv.name(), "\"same\" padding after a ZeroPadding2D");
                }
                pad = PaddingConvention.TF_SAME.padding(c);
            } else if (!mode.equals("valid")) {
                throw bad(conv.name(), "padding '" + mode + "' (expected same or valid)");
            }
            Padding tf = PaddingConvention.TF_SAME.padding(c);
            if (!pad.equals(tf)) {
                throw bad(conv.name(), "pads " + describe(pad) + " at " + c.inHeight() + "x" + c.inWidth()
                        + " input, MobileNetV2 pads " + describe(tf));
            }
            expectFrom(conv, from, previous);
            Layer bn = layer(KerasLayerNames.batchNorm(c));
            expected.add(bn.name());
            expectClass(bn, "BatchNormalization");
            expectFrom(bn, single(bn), conv.name());
            expectConfig(bn, "center", "true");
            expectConfig(bn, "scale", "true");
            JsonNode axis = bn.config().path("axis");
            int ax = axis.isArray() && axis.size() == 1 ? axis.get(0).asInt() : axis.asInt(0);
            if (ax != -1 && ax != 3) {
                throw bad(bn.name(), "normalises axis " + axis + ", not the channels (-1 or 3)");
            }
            float eps = (float) bn.config().path("epsilon").asDouble(Double.NaN);
            if (!(eps > 0)) {
                throw bad(bn.name(), "epsilon " + bn.config().path("epsilon") + " is not positive");
            }
            if (!Float.isNaN(epsilon) && eps != epsilon) {
                throw bad(bn.name(), "epsilon " + eps + " differs from the other batch norms' " + epsilon);
            }
            epsilon = eps;
            String out = bn.name();
            if (c.residualAdd()) {
                Layer add = layer(KerasLayerNames.add(c));
                expected.add(add.name());
                expectClass(add, "Add");
                String skip = outputs[c.residualFrom()];
                if (add.inbound().size() != 2 || !Set.copyOf(add.inbound()).equals(Set.of(out, skip))) {
                    throw bad(add.name(), "adds " + add.inbound() + ", expected " + out + " and " + skip);
                }
                out = add.name();
            }
            if (c.relu6()) {
                Layer relu = layer(KerasLayerNames.relu(c));
                expected.add(relu.name());
                expectClass(relu, "ReLU");
                double max = relu.config().path("max_value").asDouble(Double.NaN);
                if (max != 6.0 || relu.config().path("negative_slope").asDouble(0) != 0
                        || relu.config().path("threshold").asDouble(0) != 0) {
                    throw bad(relu.name(), "is not ReLU6 (max_value " + relu.config().path("max_value")
                            + ", negative_slope " + relu.config().path("negative_slope") + ", threshold "
                            + relu.config().path("threshold") + ")");
                }
                expectFrom(relu, single(relu), out);
                out = relu.name();
            }
            outputs[c.index()] = out;
            previous = out;
        }
        this.batchNormEpsilon = epsilon;
        String last = previous;
        for (Layer l : layers.values()) {
            if (l.className().equals("GlobalAveragePooling2D") && l.inbound().equals(List.of(last))) {
                expected.add(l.name());
                last = l.name();
                break;
            }
        }
        if (includeTop()) {
            Layer p = layers.get(KerasLayerNames.PREDICTIONS);
            if (last.equals(previous)) {
                throw bad(p.name(), "reads " + single(p) + ", expected a GlobalAveragePooling2D of " + previous);
            }
            expectFrom(p, single(p), last);
            expected.add(p.name());
        }
        for (Layer l : layers.values()) {
            if (!expected.contains(l.name())) {
                throw bad(l.name(), l.className() + " layer is not part of MobileNetV2 (" + spec.label() + ")");
            }
        }
        return spec;
    }

    /** The batch-norm epsilon shared by every BatchNormalization (after {@link #checkMobileNetV2}). */
    float batchNormEpsilon() {
        return batchNormEpsilon;
    }

    /**
     * The spec whose channel table every convolution's filters match: the width in the model's
     * name ({@code mobilenetv2_0.35_224}) first, then Keras's widths.
     */
    private ModelSpec matchWidth(int resolution, int classes) {
        List<Double> candidates = new ArrayList<>();
        String[] parts = modelName.split("_");
        if (parts.length >= 2 && parts[0].startsWith("mobilenetv2")) {
            try {
                candidates.add(Double.parseDouble(parts[1]));
            } catch (NumberFormatException e) {
                // not Keras's naming; the table match alone decides
            }
        }
        for (double a : KERAS_ALPHAS) {
            candidates.add(a);
        }
        String closest = null;
        int bestPrefix = -1;
        for (double alpha : candidates) {
            if (!(alpha > 0 && alpha <= 4)) {
                continue;
            }
            ModelSpec spec = new ModelSpec(alpha, resolution, classes, true, 1);
            int matched = 0;
            String mismatch = null;
            for (ConvLayer c : spec.layers().convs()) {
                Layer l = layers.get(KerasLayerNames.conv(c));
                if (l == null) {
                    mismatch = "layer " + KerasLayerNames.conv(c) + " is missing";
                    break;
                }
                int filters = c.depthwise() ? c.outChannels() : l.config().path("filters").asInt(-1);
                if (filters != c.outChannels()) {
                    mismatch = "layer " + l.name() + " has " + filters + " filters where MobileNetV2 alpha "
                            + alpha + " has " + c.outChannels();
                    break;
                }
                matched++;
            }
            if (mismatch == null) {
                return spec;
            }
            if (matched > bestPrefix) {
                bestPrefix = matched;
                closest = mismatch;
            }
        }
        throw new InvalidInputException("keras file " + source + ": not a MobileNetV2 of width "
                + java.util.Arrays.toString(KERAS_ALPHAS) + ": " + closest + "; " + ONLY_MOBILENETV2);
    }

    private Layer layer(String name) {
        Layer l = layers.get(name);
        if (l == null) {
            throw bad(name, "layer is missing (not a tf.keras.applications.MobileNetV2); " + ONLY_MOBILENETV2);
        }
        return l;
    }

    private String single(Layer l) {
        if (l.inbound().size() != 1) {
            throw bad(l.name(), "has inputs " + l.inbound() + ", expected one");
        }
        return l.inbound().get(0);
    }

    private void expectFrom(Layer l, String actual, String expected) {
        if (!actual.equals(expected)) {
            throw bad(l.name(), "reads " + actual + ", expected " + expected);
        }
    }

    private void expectClass(Layer l, String className) {
        if (!l.className().equals(className)) {
            throw bad(l.name(), "is a " + l.className() + ", expected " + className);
        }
    }

    private void expectConfig(Layer l, String key, String value) {
        String actual = l.config().path(key).asText("<missing>");
        if (!actual.equals(value)) {
            throw bad(l.name(), key + " " + actual + ", expected " + value);
        }
    }

    private void expectInt(Layer l, String key, int value) {
        int actual = l.config().path(key).asInt(-1);
        if (actual != value) {
            throw bad(l.name(), key + " " + l.config().path(key) + ", expected " + value);
        }
    }

    private void expectPair(Layer l, String key, int value) {
        JsonNode n = l.config().path(key);
        if (!n.isArray() || n.size() != 2 || n.get(0).asInt() != value || n.get(1).asInt() != value) {
            throw bad(l.name(), key + " " + n + ", expected [" + value + ", " + value + "]");
        }
    }

    /** A ZeroPadding2D's {@code padding}: {@code [[top, bottom], [left, right]]}, or one or two ints. */
    private Padding zeroPadding(Layer l) {
        JsonNode p = l.config().path("padding");
        try {
            if (p.isInt()) {
                return Padding.symmetric(p.asInt());
            }
            if (p.isArray() && p.size() == 2 && p.get(0).isInt()) {
                return new Padding(p.get(0).asInt(), p.get(0).asInt(), p.get(1).asInt(), p.get(1).asInt());
            }
            if (p.isArray() && p.size() == 2 && p.get(0).size() == 2 && p.get(1).size() == 2) {
                return new Padding(p.get(0).get(0).asInt(), p.get(0).get(1).asInt(), p.get(1).get(0).asInt(),
                        p.get(1).get(1).asInt());
            }
        } catch (IllegalArgumentException e) {
            // negative padding: reported below
        }
        throw bad(l.name(), "padding " + p + " is not ((top, bottom), (left, right))");
    }

    private static String describe(Padding p) {
        return String.format(Locale.ROOT, "((%d, %d), (%d, %d))", p.top(), p.bottom(), p.left(), p.right());
    }

    private InvalidInputException bad(String layer, String what) {
        return new InvalidInputException("keras file " + source + ": " + layer + ": " + what);
    }
}
