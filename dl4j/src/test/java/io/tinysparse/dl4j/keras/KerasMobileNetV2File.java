package io.tinysparse.dl4j.keras;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.simulator.engine.PaddingConvention;
import io.tinysparse.simulator.engine.kernels.Padding;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.FileAccPropList;
import org.bytedeco.hdf5.FileCreatPropList;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.H5Object;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

/**
 * Writes a {@code tf.keras.applications.MobileNetV2} as Keras 2 saves it with
 * {@code model.save("file.h5")}, without Python: root attributes {@code model_config} (the
 * functional model's JSON, layer names and configs as Keras writes them), {@code keras_version}
 * and {@code backend}; group {@code model_weights} with attribute {@code layer_names}, and per
 * layer a group with attribute {@code weight_names} and datasets
 * {@code layer/layer/kernel:0} etc. Strings are fixed-length, as h5py stores Keras's byte
 * strings. The weights are random (non-trivial batch-norm statistics) and kept, by Keras
 * weight name, in {@link #weights()}; {@link #shapes()} has their Keras shapes.
 */
final class KerasMobileNetV2File {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ModelSpec spec;
    private final boolean includeTop;
    private final Map<String, float[]> weights = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, List<String>> weightNames = new LinkedHashMap<>();
    private final ArrayNode layers = JSON.arrayNode();
    private final SplittableRandom random;
    private String kerasVersion = "2.4.0";
    private Consumer<ArrayNode> configEdit = l -> { };
    private boolean writeModelConfig = true;

    /** A model of {@code spec}'s width, resolution and classes (with or without its top), weights from {@code seed}. */
    KerasMobileNetV2File(ModelSpec spec, boolean includeTop, long seed) {
        this.spec = spec;
        this.includeTop = includeTop;
        this.random = new SplittableRandom(seed);
        build();
    }

    /** Keras weight name ({@code block_1_expand/kernel:0}) to values in Keras's layout. */
    Map<String, float[]> weights() {
        return weights;
    }

    /** Keras weight name to Keras shape. */
    Map<String, long[]> shapes() {
        return shapes;
    }

    /** Changes the {@code keras_version} attribute. */
    KerasMobileNetV2File kerasVersion(String version) {
        this.kerasVersion = version;
        return this;
    }

    /** Leaves out {@code model_config}, as {@code model.save_weights("file.h5")} does. */
    KerasMobileNetV2File weightsOnly() {
        this.writeModelConfig = false;
        return this;
    }

    /** Edits the layer list of {@code model_config} before writing. */
    KerasMobileNetV2File editConfig(Consumer<ArrayNode> edit) {
        this.configEdit = edit;
        return this;
    }

    /** The config's layer named {@code name}. */
    static ObjectNode layer(ArrayNode layers, String name) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).path("name").asText().equals(name)) {
                return (ObjectNode) layers.get(i);
            }
        }
        throw new IllegalArgumentException("no layer " + name);
    }

    private void build() {
        int res = spec.resolution();
        String input = "input_1";
        ObjectNode inputConfig = JSON.objectNode();
        inputConfig.set("batch_input_shape", JSON.arrayNode().addNull().add(res).add(res).add(3));
        inputConfig.put("dtype", "float32").put("sparse", false).put("ragged", false).put("name", input);
        add("InputLayer", input, inputConfig);
        String previous = input;
        String[] outputs = new String[spec.layers().convCount()];
        for (ConvLayer c : spec.layers().convs()) {
            String conv = KerasLayerNames.conv(c);
            String from = previous;
            Padding tf = PaddingConvention.TF_SAME.padding(c);
            boolean explicitPad = c.depthwise() && c.stride() == 2;
            if (explicitPad) {
                String pad = "block_" + c.block() + "_pad";
                ObjectNode p = JSON.objectNode().put("name", pad).put("trainable", true).put("dtype", "float32");
                p.set("padding", JSON.arrayNode().add(JSON.arrayNode().add(tf.top()).add(tf.bottom()))
                        .add(JSON.arrayNode().add(tf.left()).add(tf.right())));
                p.put("data_format", "channels_last");
                add("ZeroPadding2D", pad, p, from);
                from = pad;
            }
            ObjectNode cc = JSON.objectNode().put("name", conv).put("trainable", true).put("dtype", "float32");
            int k = c.kernel();
            if (!c.depthwise()) {
                cc.put("filters", c.outChannels());
            }
            cc.set("kernel_size", JSON.arrayNode().add(k).add(k));
            cc.set("strides", JSON.arrayNode().add(c.stride()).add(c.stride()));
            cc.put("padding", explicitPad ? "valid" : "same").put("data_format", "channels_last");
            cc.set("dilation_rate", JSON.arrayNode().add(1).add(1));
            cc.put("activation", "linear").put("use_bias", false);
            String init = c.depthwise() ? "depthwise" : "kernel";
            cc.set(init + "_initializer", initializer("GlorotUniform"));
            cc.set("bias_initializer", initializer("Zeros"));
            cc.putNull(init + "_regularizer").putNull("bias_regularizer").putNull("activity_regularizer")
                    .putNull(init + "_constraint").putNull("bias_constraint");
            if (c.depthwise()) {
                cc.put("depth_multiplier", 1);
                add("DepthwiseConv2D", conv, cc, from);
                weight(conv, "depthwise_kernel", 1.0, 0, k, k, c.inChannels(), 1);
            } else {
                cc.put("groups", 1);
                add("Conv2D", conv, cc, from);
                weight(conv, "kernel", Math.sqrt(2.0 / (k * k * c.outChannels())), 0, k, k, c.inChannels(),
                        c.outChannels());
            }
            String bn = KerasLayerNames.batchNorm(c);
            ObjectNode bc = JSON.objectNode().put("name", bn).put("trainable", true).put("dtype", "float32");
            bc.set("axis", JSON.arrayNode().add(3));
            bc.put("momentum", 0.999).put("epsilon", 0.001).put("center", true).put("scale", true);
            for (String i : new String[] {"beta", "gamma", "moving_mean", "moving_variance"}) {
                bc.set(i + "_initializer", initializer(i.equals("gamma") || i.equals("moving_variance") ? "Ones"
                        : "Zeros"));
            }
            bc.putNull("beta_regularizer").putNull("gamma_regularizer").putNull("beta_constraint")
                    .putNull("gamma_constraint");
            add("BatchNormalization", bn, bc, conv);
            int ch = c.outChannels();
            weight(bn, "gamma", 0.5, 1.0, ch);
            weight(bn, "beta", 0.2, 0, ch);
            weight(bn, "moving_mean", 0.1, 0, ch);
            weight(bn, "moving_variance", 0.5, 1.0, ch);
            String out = bn;
            if (c.residualAdd()) {
                String a = KerasLayerNames.add(c);
                add("Add", a, JSON.objectNode().put("name", a).put("trainable", true).put("dtype", "float32"), out,
                        outputs[c.residualFrom()]);
                out = a;
            }
            if (c.relu6()) {
                String r = KerasLayerNames.relu(c);
                add("ReLU", r, JSON.objectNode().put("name", r).put("trainable", true).put("dtype", "float32")
                        .put("max_value", 6.0).put("negative_slope", 0.0).put("threshold", 0.0), out);
                out = r;
            }
            outputs[c.index()] = out;
            previous = out;
        }
        if (includeTop) {
            String gap = "global_average_pooling2d";
            add("GlobalAveragePooling2D", gap, JSON.objectNode().put("name", gap).put("trainable", true)
                    .put("dtype", "float32").put("data_format", "channels_last").put("keepdims", false), previous);
            String p = KerasLayerNames.PREDICTIONS;
            int features = spec.layers().classifier().inFeatures();
            ObjectNode dc = JSON.objectNode().put("name", p).put("trainable", true).put("dtype", "float32")
                    .put("units", spec.numClasses()).put("activation", "softmax").put("use_bias", true);
            dc.set("kernel_initializer", initializer("GlorotUniform"));
            dc.set("bias_initializer", initializer("Zeros"));
            dc.putNull("kernel_regularizer").putNull("bias_regularizer").putNull("activity_regularizer")
                    .putNull("kernel_constraint").putNull("bias_constraint");
            add("Dense", p, dc, gap);
            weight(p, "kernel", 0.3, 0, features, spec.numClasses());
            weight(p, "bias", 0.1, 0, spec.numClasses());
        }
    }

    private static ObjectNode initializer(String name) {
        ObjectNode o = JSON.objectNode().put("class_name", name);
        o.set("config", JSON.objectNode());
        return o;
    }

    private void add(String className, String name, ObjectNode config, String... inbound) {
        ObjectNode l = JSON.objectNode().put("class_name", className);
        l.set("config", config);
        l.put("name", name);
        ArrayNode nodes = JSON.arrayNode();
        if (inbound.length > 0) {
            ArrayNode node = JSON.arrayNode();
            for (String in : inbound) {
                node.add(JSON.arrayNode().add(in).add(0).add(0).add(JSON.objectNode()));
            }
            nodes.add(node);
        }
        l.set("inbound_nodes", nodes);
        layers.add(l);
        weightNames.put(name, new ArrayList<>());
    }

    /** Random weight {@code layer/name:0}: {@code offset + scale * uniform(-1, 1)}. */
    private void weight(String layer, String name, double scale, double offset, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (offset + scale * (2 * random.nextDouble() - 1));
        }
        String full = layer + "/" + name + ":0";
        weights.put(full, v);
        shapes.put(full, shape);
        weightNames.get(layer).add(full);
    }

    /** The model_config JSON (after {@link #editConfig}). */
    String modelConfig() {
        ArrayNode copy = layers.deepCopy();
        configEdit.accept(copy);
        ObjectNode config = JSON.objectNode().put("name", String.format(java.util.Locale.ROOT, "mobilenetv2_%.2f_%d",
                spec.widthMultiplier(), spec.resolution()));
        config.set("layers", copy);
        config.set("input_layers", JSON.arrayNode().add(JSON.arrayNode().add("input_1").add(0).add(0)));
        String last = copy.get(copy.size() - 1).path("name").asText();
        config.set("output_layers", JSON.arrayNode().add(JSON.arrayNode().add(last).add(0).add(0)));
        ObjectNode root = JSON.objectNode().put("class_name", "Functional");
        root.set("config", config);
        root.put("keras_version", kerasVersion).put("backend", "tensorflow");
        try {
            return new ObjectMapper().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the file (all layers' weights, as in {@link #weights()}). */
    Path write(Path file) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            // Version-2 object headers, as h5py writes when needed: model_config is larger than the
            // 64 KiB an attribute may have in the oldest format.
            FileAccPropList access = new FileAccPropList();
            access.setLibverBounds(hdf5.H5F_LIBVER_V18, hdf5.H5F_LIBVER_LATEST);
            H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_TRUNC(), FileCreatPropList.DEFAULT(), access);
            try {
                if (writeModelConfig) {
                    stringAttribute(h5, "model_config", modelConfig());
                }
                stringAttribute(h5, "keras_version", kerasVersion);
                stringAttribute(h5, "backend", "tensorflow");
                Group root = h5.createGroup("model_weights");
                stringArrayAttribute(root, "layer_names", new ArrayList<>(weightNames.keySet()));
                stringAttribute(root, "keras_version", kerasVersion);
                stringAttribute(root, "backend", "tensorflow");
                for (Map.Entry<String, List<String>> layer : weightNames.entrySet()) {
                    Group g = root.createGroup(layer.getKey());
                    stringArrayAttribute(g, "weight_names", layer.getValue());
                    if (!layer.getValue().isEmpty()) {
                        Group inner = g.createGroup(layer.getKey());
                        for (String full : layer.getValue()) {
                            dataset(inner, full.substring(full.indexOf('/') + 1), weights.get(full), shapes.get(full));
                        }
                        inner.deallocate();
                    }
                    g.deallocate();
                }
                root.deallocate();
            } finally {
                h5.deallocate();
                access.deallocate();
            }
        }
        return file;
    }

    private static void stringAttribute(H5Object target, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StrType type = new StrType(PredType.C_S1(), Math.max(1, bytes.length));
        type.setStrpad(hdf5.H5T_STR_NULLPAD);
        DataSpace scalar = new DataSpace(hdf5.H5S_SCALAR);
        Attribute a = target.createAttribute(name, type, scalar);
        a.write(type, new BytePointer(bytes));
        a.deallocate();
        scalar.deallocate();
        type.deallocate();
    }

    private static void stringArrayAttribute(H5Object target, String name, List<String> values) {
        int width = 1;
        for (String v : values) {
            width = Math.max(width, v.getBytes(StandardCharsets.UTF_8).length);
        }
        byte[] buffer = new byte[Math.max(1, values.size() * width)];
        for (int i = 0; i < values.size(); i++) {
            byte[] b = values.get(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, buffer, i * width, b.length);
        }
        StrType type = new StrType(PredType.C_S1(), width);
        type.setStrpad(hdf5.H5T_STR_NULLPAD);
        DataSpace space = new DataSpace(1, new long[] {values.size()});
        Attribute a = target.createAttribute(name, type, space);
        if (!values.isEmpty()) {
            a.write(type, new BytePointer(buffer));
        }
        a.deallocate();
        space.deallocate();
        type.deallocate();
    }

    private static void dataset(Group group, String name, float[] values, long[] shape) {
        DataSpace space = new DataSpace(shape.length, shape);
        DataSet d = group.createDataSet(name, PredType.NATIVE_FLOAT(), space);
        d.write(new FloatPointer(values), PredType.NATIVE_FLOAT());
        d.deallocate();
        space.deallocate();
    }
}
