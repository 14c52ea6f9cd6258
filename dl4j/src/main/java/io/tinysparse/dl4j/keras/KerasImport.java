package io.tinysparse.dl4j.keras;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.simulator.engine.BatchNormParameters;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.PaddingConvention;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.BytePointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Imports a {@code tf.keras.applications.MobileNetV2} saved as a Keras 2 {@code .h5} file (the
 * whole model: {@code model_config} and {@code model_weights}) into an unfolded {@link Network}
 * with {@link PaddingConvention#TF_SAME} padding and Keras's batch-norm epsilon.
 *
 * <p>The file is read by Deeplearning4j's Keras import ({@link KerasModelImport}) into a
 * {@link ComputationGraph}; the parameters are then copied by Keras layer name
 * ({@link KerasLayerNames}): convolution kernels (DL4J keeps them {@code [out][in][kH][kW]}
 * after import, our layout), depthwise kernels (DL4J keeps Keras's {@code [kH][kW][C][1]}),
 * batch norm {@code gamma, beta, moving mean, moving variance} and the Dense classifier (DL4J
 * keeps Keras's {@code [features][classes]}; ours is transposed). Before anything is imported,
 * the {@link KerasModelConfig} is checked to be exactly a MobileNetV2, which fixes the width,
 * the resolution and the classes, and every stored weight's shape is checked
 * ({@link KerasWeightShapes}; DL4J does not); after, the imported network is run beside DL4J's graph on
 * a random image and must give the same backbone output and probabilities
 * ({@link #MAX_DIFFERENCE}), so a layout mistake can never pass silently.
 *
 * <p>An {@code include_top=False} model (no {@code predictions}) gets a fresh classifier
 * (initialised as {@link Network#initialize} does) for the caller's number of classes; a
 * fine-tuning run replaces the classifier anyway.
 */
public final class KerasImport {
    /**
     * Largest relative difference (to the tensor's largest magnitude) allowed between our
     * network's and DL4J's backbone output and probabilities on the verification image.
     */
    public static final double MAX_DIFFERENCE = 1e-3;

    /** HDF5's format signature, found at offset 0, 512, 1024, 2048, ... */
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private KerasImport() {}

    /**
     * What an import produced.
     *
     * @param network        the unfolded network (TF padding, Keras's epsilon), at the
     *                       requested resolution
     * @param modelName      the Keras model's name
     * @param kerasVersion   the file's {@code keras_version} attribute
     * @param backend        the file's {@code backend} attribute
     * @param includeTop     whether the classifier came from the file ({@code predictions})
     * @param fileResolution the file's input resolution, pixels (0 when it has none)
     * @param dl4jDifference the largest relative difference to DL4J's graph on the
     *                       verification image (at the file's resolution)
     */
    public record Result(Network network, String modelName, String kerasVersion, String backend, boolean includeTop,
            int fileResolution, double dl4jDifference) {}

    /**
     * Imports {@code file}.
     *
     * @param resolution      input resolution of the returned network; null for the file's
     *                        (required when the file has none)
     * @param headlessClasses classes of the fresh classifier of an {@code include_top=False}
     *                        model (ignored otherwise)
     * @param seed            seed of that fresh classifier and of the verification image
     * @throws InvalidInputException with a one-line message naming the file and the bad layer or
     *     value if the file is missing, not HDF5, not a whole Keras model, not a MobileNetV2,
     *     or its weights do not fit
     */
    public static Result read(Path file, Integer resolution, int headlessClasses, long seed) throws IOException {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("keras file " + source + " does not exist");
        }
        if (resolution != null && (resolution < 8 || resolution > 4096)) {
            throw new InvalidInputException("resolution must be in [8, 4096], got " + resolution);
        }
        if (headlessClasses < 1) {
            throw new InvalidInputException("classes must be >= 1, got " + headlessClasses);
        }
        if (!isHdf5(file)) {
            throw new InvalidInputException("keras file " + source + " is not an HDF5 file (no HDF5 signature)");
        }
        Attributes attributes = readAttributes(file);
        KerasModelConfig config = KerasModelConfig.parse(source, attributes.modelConfig());
        Integer fileResolution = config.fileResolution();
        if (fileResolution == null && resolution == null) {
            throw new InvalidInputException("keras file " + source
                    + ": the model has no fixed input size; give the resolution");
        }
        int importResolution = fileResolution != null ? fileResolution : resolution;
        ModelSpec spec = config.checkMobileNetV2(importResolution, headlessClasses);
        checkWeightShapes(file, spec, config.includeTop());
        ComputationGraph graph = importGraph(file, attributes, fileResolution == null ? importResolution : null);
        Network network = toNetwork(source, graph, spec, config);
        double difference = compareWithDl4j(source, graph, network, config, seed);
        if (!config.includeTop()) {
            network = network.withNewClassifier(headlessClasses, seed);
        }
        if (resolution != null && resolution != importResolution) {
            network = network.withResolution(resolution);
        }
        return new Result(network, config.modelName(), attributes.kerasVersion(), attributes.backend(),
                config.includeTop(), fileResolution == null ? 0 : fileResolution, difference);
    }

    /** The version of Deeplearning4j's Keras import on the classpath, or {@code unknown}. */
    public static String dl4jVersion() {
        try (InputStream in = KerasModelImport.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-modelimport/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static boolean isHdf5(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            ByteBuffer b = ByteBuffer.allocate(HDF5_SIGNATURE.length);
            for (long offset = 0; offset + HDF5_SIGNATURE.length <= size; offset = offset == 0 ? 512 : offset * 2) {
                b.clear();
                while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
                    // read the whole signature
                }
                if (Arrays.equals(b.array(), HDF5_SIGNATURE)) {
                    return true;
                }
            }
            return false;
        }
    }

    private record Attributes(String modelConfig, String kerasVersion, String backend) {}

    private static Attributes readAttributes(Path file) {
        String source = file.toString();
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File h5;
            try {
                h5 = new H5File(source, hdf5.H5F_ACC_RDONLY());
            } catch (RuntimeException e) {
                throw new InvalidInputException("keras file " + source + " cannot be opened as HDF5: " + oneLine(e), e);
            }
            try {
                if (!h5.attrExists("model_config")) {
                    throw new InvalidInputException("keras file " + source + " has no model_config: a weights-only"
                            + " file (save the whole model with model.save(\"file.h5\"))");
                }
                String json = stringAttribute(file, h5, "model_config", true);
                String version = h5.attrExists("keras_version")
                        ? stringAttribute(file, h5, "keras_version", false).trim() : "";
                String backend = h5.attrExists("backend") ? stringAttribute(file, h5, "backend", false).trim() : "";
                if (!version.startsWith("2.")) {
                    throw new InvalidInputException("keras file " + source + ": keras_version '" + version
                            + "' is not a Keras 2 file (DL4J imports Keras 2 .h5 files)");
                }
                return new Attributes(json, version, backend);
            } catch (InvalidInputException e) {
                throw e;
            } catch (Exception e) {
                throw new InvalidInputException("keras file " + source + ": cannot read its attributes: " + oneLine(e),
                        e);
            } finally {
                // deallocate (the destructor closes), never leave an HDF5 object to JavaCPP's
                // deallocator thread: HDF5 is not thread-safe.
                h5.deallocate();
            }
        }
    }

    /**
     * A string attribute of the file's root. A fixed-length string is read here, with a buffer of
     * its exact size: DL4J's {@code Hdf5Archive} reads string attributes into a native buffer of
     * 2 KiB (5 bytes for {@code keras_version}) and grows it only afterwards, but HDF5 writes a
     * fixed-length string whole, so a longer one (a {@code model_config} is 50-200 KiB) would be
     * written past the buffer: native heap corruption, seen as random failures later. So
     * tinysparse hands DL4J the model JSON, never the attribute. A variable-length string (h5py's
     * form of a Python {@code str}) is read through DL4J, which reads those safely.
     *
     * @param json whether the value is JSON (DL4J grows its buffer until the JSON parses)
     */
    private static String stringAttribute(Path file, H5File h5, String name, boolean json)
            throws IOException, UnsupportedKerasConfigurationException {
        String fixed = fixedLengthString(file, h5, name);
        if (fixed != null) {
            return fixed;
        }
        try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
            return json ? archive.readAttributeAsJson(name) : archive.readAttributeAsString(name);
        }
    }

    /** The value of fixed-length string attribute {@code name}, read at its exact size; null if variable-length. */
    private static String fixedLengthString(Path file, H5File h5, String name) {
        Attribute a = h5.openAttribute(name);
        try {
            org.bytedeco.hdf5.DataType type = a.getDataType();
            try {
                if (type.isVariableStr()) {
                    return null;
                }
                long size = a.getStorageSize();
                if (size > Integer.MAX_VALUE - 8) {
                    throw new InvalidInputException("keras file " + file + ": attribute " + name + " has " + size
                            + " bytes");
                }
                BytePointer buffer = new BytePointer(Math.max(1, size));
                a.read(type, buffer);
                byte[] bytes = new byte[(int) size];
                buffer.get(bytes);
                buffer.deallocate();
                int end = 0;
                while (end < bytes.length && bytes[end] != 0) {
                    end++;
                }
                return new String(bytes, 0, end, StandardCharsets.UTF_8);
            } finally {
                type.deallocate();
            }
        } finally {
            a.deallocate();
        }
    }

    /** Checks that every layer stores exactly the weights MobileNetV2 needs, in Keras's shapes. */
    private static void checkWeightShapes(Path file, ModelSpec spec, boolean includeTop) {
        try (KerasWeightShapes shapes = new KerasWeightShapes(file)) {
            for (ConvLayer c : spec.layers().convs()) {
                long k = c.kernel();
                Map<String, long[]> expected = new LinkedHashMap<>();
                if (c.depthwise()) {
                    expected.put("depthwise_kernel", new long[] {k, k, c.inChannels(), 1});
                } else {
                    expected.put("kernel", new long[] {k, k, c.inChannels(), c.outChannels()});
                }
                checkShapes(file, KerasLayerNames.conv(c), shapes.of(KerasLayerNames.conv(c)), expected);
                Map<String, long[]> norm = new LinkedHashMap<>();
                for (String p : new String[] {"gamma", "beta", "moving_mean", "moving_variance"}) {
                    norm.put(p, new long[] {c.outChannels()});
                }
                checkShapes(file, KerasLayerNames.batchNorm(c), shapes.of(KerasLayerNames.batchNorm(c)), norm);
            }
            if (includeTop) {
                int features = spec.layers().classifier().inFeatures();
                int classes = spec.numClasses();
                checkShapes(file, KerasLayerNames.PREDICTIONS, shapes.of(KerasLayerNames.PREDICTIONS),
                        Map.of("kernel", new long[] {features, classes}, "bias", new long[] {classes}));
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidInputException("keras file " + file + ": cannot read model_weights: " + oneLine(e), e);
        }
    }

    private static void checkShapes(Path file, String layer, Map<String, long[]> actual, Map<String, long[]> expected) {
        if (!actual.keySet().equals(expected.keySet())) {
            throw new InvalidInputException("keras file " + file + ": " + layer + ": model_weights holds "
                    + actual.keySet() + ", MobileNetV2 needs " + expected.keySet());
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            if (!Arrays.equals(actual.get(e.getKey()), e.getValue())) {
                throw new InvalidInputException("keras file " + file + ": " + layer + ": " + e.getKey() + " has shape "
                        + Arrays.toString(actual.get(e.getKey())) + ", MobileNetV2 needs "
                        + Arrays.toString(e.getValue()));
            }
        }
    }

    /**
     * DL4J's import of the file's weights under the model JSON read by {@link #readAttributes}
     * (what {@code KerasModelImport.importKerasModelAndWeights} does, without its attribute
     * reads; see {@link #fixedLengthString}).
     */
    private static ComputationGraph importGraph(Path file, Attributes attributes, Integer inputResolution) {
        try {
            int[] shape = inputResolution == null ? null
                    : new int[] {inputResolution, inputResolution, ModelSpec.IMAGE_CHANNELS};
            ObjectNode model = (ObjectNode) new ObjectMapper().readTree(attributes.modelConfig());
            model.put("keras_version", attributes.kerasVersion());
            model.put("backend", attributes.backend());
            KerasModel keras = new KerasModel();
            return keras.modelBuilder()
                    .modelJson(model.toString())
                    .weightsHdf5Filename(file.toString())
                    .enforceTrainingConfig(false)
                    .inputShape(shape)
                    .buildModel()
                    .getComputationGraph();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new InvalidInputException("keras file " + file + ": DL4J's Keras import failed: " + oneLine(e), e);
        }
    }

    private static Network toNetwork(String source, ComputationGraph graph, ModelSpec spec, KerasModelConfig config) {
        LayerTable table = spec.layers();
        int n = table.convCount();
        float[][] weights = new float[n][];
        BatchNormParameters[] bn = new BatchNormParameters[n];
        for (ConvLayer c : table.convs()) {
            String conv = KerasLayerNames.conv(c);
            int k = c.kernel();
            if (c.depthwise()) {
                float[] w = param(source, graph, conv, "W", k, k, c.inChannels(), 1);
                weights[c.index()] = depthwiseFromKeras(w, c.inChannels(), k * k);
            } else {
                weights[c.index()] = param(source, graph, conv, "W", c.outChannels(), c.inChannels(), k, k);
            }
            String norm = KerasLayerNames.batchNorm(c);
            int ch = c.outChannels();
            bn[c.index()] = new BatchNormParameters(param(source, graph, norm, "gamma", ch),
                    param(source, graph, norm, "beta", ch), param(source, graph, norm, "mean", ch),
                    param(source, graph, norm, "var", ch));
            for (float v : bn[c.index()].runningVar()) {
                if (!(v >= 0)) {
                    throw new InvalidInputException("keras file " + source + ": " + norm + ": moving_variance " + v
                            + " is not >= 0");
                }
            }
        }
        int features = table.classifier().inFeatures();
        int classes = table.classifier().outFeatures();
        float[] fcW;
        float[] fcB;
        if (config.includeTop()) {
            fcW = transpose(param(source, graph, KerasLayerNames.PREDICTIONS, "W", features, classes), features,
                    classes);
            fcB = param(source, graph, KerasLayerNames.PREDICTIONS, "b", classes);
        } else {
            fcW = new float[features * classes];
            fcB = new float[classes];
        }
        return Network.of(spec, config.batchNormEpsilon(), PaddingConvention.TF_SAME, weights, null, bn, fcW, fcB);
    }

    /** A parameter of layer {@code name} as float32 values in C order, checked to have {@code shape}. */
    private static float[] param(String source, ComputationGraph graph, String name, String key, long... shape) {
        Layer layer = graph.getLayer(name);
        if (layer == null) {
            throw new InvalidInputException("keras file " + source + ": " + name + ": layer missing after DL4J's import");
        }
        Map<String, INDArray> table = layer.paramTable();
        INDArray p = table == null ? null : table.get(key);
        if (p == null) {
            throw new InvalidInputException("keras file " + source + ": " + name + ": no parameter " + key
                    + " after DL4J's import");
        }
        long expected = 1;
        for (long d : shape) {
            expected *= d;
        }
        boolean ok = p.length() == expected && (shape.length == 1 || Arrays.equals(p.shape(), shape));
        if (!ok) {
            throw new InvalidInputException("keras file " + source + ": " + name + ": parameter " + key + " has shape "
                    + Arrays.toString(p.shape()) + ", MobileNetV2 needs " + Arrays.toString(shape));
        }
        float[] v = p.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new InvalidInputException("keras file " + source + ": " + name + ": parameter " + key
                        + " holds " + x);
            }
        }
        return v;
    }

    /** {@code [kH][kW][C][1]} (Keras and DL4J) to {@code [C][1][kH][kW]} (ours). */
    private static float[] depthwiseFromKeras(float[] w, int channels, int taps) {
        float[] out = new float[w.length];
        for (int t = 0; t < taps; t++) {
            for (int c = 0; c < channels; c++) {
                out[c * taps + t] = w[t * channels + c];
            }
        }
        return out;
    }

    /** {@code a} of {@code rows x cols}, transposed. */
    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    /**
     * Runs our network and DL4J's graph on one random image (standard normal, from
     * {@code seed}) and returns the largest relative difference of the backbone output
     * ({@code out_relu}) and, with a classifier, of the probabilities.
     *
     * @throws IllegalStateException if it exceeds {@link #MAX_DIFFERENCE}: the import is wrong
     */
    private static double compareWithDl4j(String source, ComputationGraph graph, Network network,
            KerasModelConfig config, long seed) {
        int res = network.spec().resolution();
        int ch = ModelSpec.IMAGE_CHANNELS;
        NetworkExecutor ex = new NetworkExecutor(network, 1);
        float[] image = ex.input(0);
        SplitMix64 random = new SplitMix64(seed, SplitMix64.IntDraw.SPLITTABLE_RANDOM);
        for (int i = 0; i < ch * res * res; i++) {
            image[i] = (float) random.nextGaussian();
        }
        ex.forward(0, 1, false);
        // Keras's channels_last becomes NHWC layers in DL4J; ask the stem rather than assume.
        boolean nhwc = !(graph.getLayer("Conv1").conf().getLayer() instanceof ConvolutionLayer stem)
                || stem.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        INDArray x = Nd4j.create(DataType.FLOAT, nhwc ? new long[] {1, res, res, ch} : new long[] {1, ch, res, res});
        for (int c = 0; c < ch; c++) {
            for (int y = 0; y < res; y++) {
                for (int xx = 0; xx < res; xx++) {
                    float v = image[(c * res + y) * res + xx];
                    if (nhwc) {
                        x.putScalar(new long[] {0, y, xx, c}, v);
                    } else {
                        x.putScalar(new long[] {0, c, y, xx}, v);
                    }
                }
            }
        }
        Map<String, INDArray> activations = graph.feedForward(x, false);
        ConvLayer last = network.layers().conv(network.convCount() - 1);
        INDArray reference = activations.get(KerasLayerNames.OUT_RELU);
        float[] ours = Arrays.copyOf(ex.input(network.convCount()), ex.inputSize(network.convCount()));
        double worst = difference(ours, toNchw(reference, nhwc, last.outChannels(), last.outHeight(), last.outWidth()));
        if (config.includeTop()) {
            float[] probabilities = softmax(ex.logits(), network.layers().classifier().outFeatures());
            worst = Math.max(worst, difference(probabilities,
                    activations.get(KerasLayerNames.PREDICTIONS).castTo(DataType.DOUBLE).dup('c').data().asDouble()));
        }
        if (!(worst <= MAX_DIFFERENCE)) {
            throw new IllegalStateException("keras file " + source + ": the imported network differs from DL4J's by "
                    + worst + " (relative), more than " + MAX_DIFFERENCE);
        }
        return worst;
    }

    private static double[] toNchw(INDArray a, boolean nhwc, int c, int h, int w) {
        INDArray nchw = nhwc ? a.permute(0, 3, 1, 2) : a;
        if (!Arrays.equals(nchw.shape(), new long[] {1, c, h, w})) {
            throw new IllegalStateException("DL4J's out_relu has shape " + Arrays.toString(a.shape()));
        }
        return nchw.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** Softmax of the first {@code n} logits, in double. */
    static float[] softmax(float[] logits, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** {@code max |a - b| / max |b|}. */
    static double difference(float[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("comparing " + a.length + " values with " + b.length);
        }
        double err = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return scale == 0 ? err : err / scale;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse("").trim();
    }
}
