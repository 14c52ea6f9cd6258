package io.tinysparse.simulator.engine;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.hash.CanonicalJson;
import io.tinysparse.core.hash.ContentHash;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.datasets.format.AtomicFile;
import io.tinysparse.simulator.engine.kernels.BatchNorm;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A MobileNetV2-family network with its parameters: the architecture of a {@link ModelSpec}
 * (its {@link LayerTable}) plus, for every convolution, its weights
 * {@code [C_out][C_in / groups][k][k]} and either batch-norm parameters (<em>unfolded</em>: for
 * dense pretraining, the convolutions have no bias) or a bias (<em>folded</em>: batch norm
 * merged into weights and bias, as on a microcontroller and during fine-tuning), and the
 * classifier ({@code [classes][features]} weights and {@code classes} biases). The
 * {@link PaddingConvention} says where its convolutions pad (PyTorch's symmetric padding, or
 * TensorFlow's "same" for weights imported from Keras).
 *
 * <p>Parameter arrays are live and mutable (trainers update them in place); {@link #copy()}
 * makes an independent network. The parameters do not depend on the input resolution, so
 * {@link #withResolution} re-targets a network at no cost. {@link #parameterHash()} is a
 * SHA-256 of the spec, the padding convention and every parameter's bits: it identifies a backbone (for the feature
 * cache and run ids). {@link #save}/{@link #load} use a small versioned binary format ending in
 * that hash, checked on load.
 */
public final class Network {
    /** Batch-norm epsilon of PyTorch's MobileNetV2 (Keras uses 1e-3). */
    public static final float DEFAULT_BN_EPSILON = 1e-5f;

    private static final int MAGIC = 0x54534e57; // "TSNW"
    /** Format of networks with {@link PaddingConvention#SYMMETRIC} padding (the body has no padding field). */
    private static final int FORMAT_VERSION_SYMMETRIC = 1;
    /** Format 2 adds the padding convention after the batch-norm epsilon. */
    private static final int FORMAT_VERSION_PADDING = 2;
    /**
     * Format 3 writes the model spec as its canonical JSON (length, UTF-8 bytes) in place of
     * format 2's five MobileNetV2 fields: any MBConv network, or a feature mix of another width.
     * Specs format 1 or 2 can hold are still written in those, so their hashes do not move.
     */
    private static final int FORMAT_VERSION_SPEC_JSON = 3;
    /** Longest spec JSON a format-3 file may declare, bytes (a 1000-block network is far below). */
    private static final int MAX_SPEC_JSON_BYTES = 1 << 20;

    private final ModelSpec spec;
    private final LayerTable layers;
    private final float batchNormEpsilon;
    private final PaddingConvention padding;
    private final float[][] weights;
    private final float[][] biases;
    private final BatchNormParameters[] batchNorms;
    private final float[] classifierWeights;
    private final float[] classifierBias;

    private Network(ModelSpec spec, float batchNormEpsilon, PaddingConvention padding, float[][] weights,
            float[][] biases, BatchNormParameters[] batchNorms, float[] classifierWeights, float[] classifierBias) {
        this.spec = spec;
        this.layers = spec.layers();
        this.batchNormEpsilon = batchNormEpsilon;
        this.padding = java.util.Objects.requireNonNull(padding, "padding");
        this.weights = weights;
        this.biases = biases;
        this.batchNorms = batchNorms;
        this.classifierWeights = classifierWeights;
        this.classifierBias = classifierBias;
        checkShapes();
    }

    /**
     * A freshly initialised, unfolded network, as torchvision initialises MobileNetV2:
     * convolution weights Kaiming-normal with fan-out, batch norm {@code gamma = 1, beta = 0},
     * classifier weights normal with standard deviation 0.01 and zero bias. Deterministic for
     * a seed.
     */
    public static Network initialize(ModelSpec spec, long seed) {
        SplitMix64 random = new SplitMix64(seed, SplitMix64.IntDraw.SPLITTABLE_RANDOM);
        LayerTable t = spec.layers();
        int n = t.convCount();
        float[][] w = new float[n][];
        BatchNormParameters[] bn = new BatchNormParameters[n];
        for (int i = 0; i < n; i++) {
            ConvLayer c = t.conv(i);
            double fanOut = (double) c.outChannels() * c.kernel() * c.kernel() / c.groups();
            w[i] = gaussian(random, (int) c.weightCount(), Math.sqrt(2.0 / fanOut));
            bn[i] = new BatchNormParameters(c.outChannels());
        }
        float[] fc = gaussian(random, (int) t.classifier().weightCount(), 0.01);
        return new Network(spec, DEFAULT_BN_EPSILON, PaddingConvention.SYMMETRIC, w, new float[n][], bn, fc,
                new float[t.classifier().outFeatures()]);
    }

    /**
     * A network from explicit parameters (copied in), for importers, with
     * {@link PaddingConvention#SYMMETRIC} padding. {@code biases} or {@code batchNorms} must be
     * null (folded or unfolded respectively).
     */
    public static Network of(ModelSpec spec, float batchNormEpsilon, float[][] weights, float[][] biases,
            BatchNormParameters[] batchNorms, float[] classifierWeights, float[] classifierBias) {
        return of(spec, batchNormEpsilon, PaddingConvention.SYMMETRIC, weights, biases, batchNorms, classifierWeights,
                classifierBias);
    }

    /**
     * A network from explicit parameters (copied in) trained under {@code padding}'s
     * convention, for importers. {@code biases} or {@code batchNorms} must be null (folded or
     * unfolded respectively).
     */
    public static Network of(ModelSpec spec, float batchNormEpsilon, PaddingConvention padding, float[][] weights,
            float[][] biases, BatchNormParameters[] batchNorms, float[] classifierWeights, float[] classifierBias) {
        if ((biases == null) == (batchNorms == null)) {
            throw new IllegalArgumentException("exactly one of biases (folded) and batch norms (unfolded) must be given");
        }
        int n = spec.layers().convCount();
        float[][] w = new float[n][];
        float[][] b = new float[n][];
        BatchNormParameters[] bn = batchNorms == null ? null : new BatchNormParameters[n];
        for (int i = 0; i < n; i++) {
            w[i] = weights[i].clone();
            if (biases != null) {
                b[i] = biases[i].clone();
            } else {
                bn[i] = batchNorms[i].copy();
            }
        }
        return new Network(spec, batchNormEpsilon, padding, w, b, bn, classifierWeights.clone(),
                classifierBias.clone());
    }

    private static float[] gaussian(SplitMix64 random, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * std);
        }
        return a;
    }

    private void checkShapes() {
        int n = layers.convCount();
        if (weights.length != n || biases.length != n || (batchNorms != null && batchNorms.length != n)) {
            throw new IllegalArgumentException("parameters for " + weights.length + " convolutions, spec "
                    + spec.label() + " has " + n);
        }
        for (int i = 0; i < n; i++) {
            ConvLayer c = layers.conv(i);
            expect("weights of layer " + i, weights[i], c.weightCount());
            if (batchNorms == null) {
                expect("bias of layer " + i, biases[i], c.outChannels());
            } else if (batchNorms[i].channels() != c.outChannels()) {
                throw new IllegalArgumentException("batch norm of layer " + i + " has " + batchNorms[i].channels()
                        + " channels, expected " + c.outChannels());
            }
        }
        expect("classifier weights", classifierWeights, layers.classifier().weightCount());
        expect("classifier bias", classifierBias, layers.classifier().outFeatures());
    }

    private static void expect(String what, float[] a, long length) {
        if (a == null || a.length != length) {
            throw new IllegalArgumentException(what + ": " + (a == null ? "missing" : a.length + " values")
                    + ", expected " + length);
        }
    }

    /** The model spec. */
    public ModelSpec spec() {
        return spec;
    }

    /** The layer table of {@link #spec()}. */
    public LayerTable layers() {
        return layers;
    }

    /** Number of convolutions. */
    public int convCount() {
        return layers.convCount();
    }

    /** Whether batch norm is folded into the convolutions (each has a bias and no batch norm). */
    public boolean isFolded() {
        return batchNorms == null;
    }

    /** The batch-norm epsilon (used by unfolded networks and when folding). */
    public float batchNormEpsilon() {
        return batchNormEpsilon;
    }

    /** Where the convolutions put their zero padding (kept by every copy, fold and re-target). */
    public PaddingConvention paddingConvention() {
        return padding;
    }

    /** Weights of convolution {@code layer} (live). */
    public float[] weights(int layer) {
        return weights[layer];
    }

    /** Bias of convolution {@code layer} (live); null in an unfolded network. */
    public float[] bias(int layer) {
        return biases[layer];
    }

    /** Batch-norm parameters of convolution {@code layer} (live); null in a folded network. */
    public BatchNormParameters batchNorm(int layer) {
        return batchNorms == null ? null : batchNorms[layer];
    }

    /** Classifier weights {@code [classes][features]} (live). */
    public float[] classifierWeights() {
        return classifierWeights;
    }

    /** Classifier bias (live). */
    public float[] classifierBias() {
        return classifierBias;
    }

    /** Total number of convolution weights (biases excluded). */
    public long convWeightCount() {
        long s = 0;
        for (float[] w : weights) {
            s += w.length;
        }
        return s;
    }

    /** An independent deep copy. */
    public Network copy() {
        float[][] w = new float[weights.length][];
        float[][] b = new float[weights.length][];
        BatchNormParameters[] bn = batchNorms == null ? null : new BatchNormParameters[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights[i].clone();
            b[i] = biases[i] == null ? null : biases[i].clone();
            if (bn != null) {
                bn[i] = batchNorms[i].copy();
            }
        }
        return new Network(spec, batchNormEpsilon, padding, w, b, bn, classifierWeights.clone(),
                classifierBias.clone());
    }

    /**
     * A folded copy: each convolution's batch norm (running statistics) merged into its weights
     * and a bias. A folded network is returned as a plain copy.
     */
    public Network fold() {
        if (isFolded()) {
            return copy();
        }
        float[][] w = new float[weights.length][];
        float[][] b = new float[weights.length][];
        for (int i = 0; i < w.length; i++) {
            BatchNormParameters bn = batchNorms[i];
            w[i] = new float[weights[i].length];
            b[i] = new float[bn.channels()];
            BatchNorm.fold(weights[i], null, bn.channels(), bn.gamma(), bn.beta(), batchNormEpsilon,
                    bn.runningMean(), bn.runningVar(), w[i], b[i]);
        }
        return new Network(spec, batchNormEpsilon, padding, w, b, null, classifierWeights.clone(),
                classifierBias.clone());
    }

    /**
     * A copy for another input resolution (the parameters do not depend on it).
     *
     * @throws InvalidInputException if the resolution changes the layer shapes' channels
     *     (never within the family) or is invalid
     */
    public Network withResolution(int resolution) {
        Network n = copy();
        return new Network(spec.withResolution(resolution), batchNormEpsilon, padding, n.weights, n.biases,
                n.batchNorms,
                n.classifierWeights, n.classifierBias);
    }

    /**
     * A copy with a new classifier for {@code classes} classes, initialised as in
     * {@link #initialize} from {@code seed} (the backbone is kept: transfer learning).
     */
    public Network withNewClassifier(int classes, long seed) {
        Network n = copy();
        ModelSpec s = spec.withClasses(classes);
        float[] fc = gaussian(new SplitMix64(seed, SplitMix64.IntDraw.SPLITTABLE_RANDOM), (int) s.layers().classifier().weightCount(), 0.01);
        return new Network(s, batchNormEpsilon, padding, n.weights, n.biases, n.batchNorms, fc, new float[classes]);
    }

    /**
     * Lower-case hex SHA-256 of the spec, the padding convention and every parameter (the body
     * of the saved format). A symmetric network's body is format 1's, so its hash is the one it
     * had before format 2 existed; a TF-padded network's body holds its convention, so the same
     * weights under the two conventions never share a hash (nor a feature cache or run id).
     */
    public String parameterHash() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeBody(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ContentHash.of(bytes.toByteArray());
    }

    /**
     * Writes the network (format version, spec, parameters, then the SHA-256 of all that), in
     * the oldest format that holds it: 1 for symmetric padding (readable by older tinysparse
     * versions), 2 for any other convention.
     */
    public void write(OutputStream stream) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream body = new DataOutputStream(bytes)) {
            writeBody(body);
        }
        byte[] b = bytes.toByteArray();
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(MAGIC);
        out.writeInt(formatVersion());
        out.write(b);
        out.write(ContentHash.newDigest().digest(b));
        out.flush();
    }

    /**
     * Saves to {@code file} atomically (a temporary file in the same directory, then a rename),
     * so a reader never sees a half-written network.
     */
    public void save(Path file) throws IOException {
        AtomicFile.write(file, this::write);
    }

    /**
     * Loads a network saved by {@link #save}.
     *
     * @throws InvalidInputException naming the file if it is missing, not a network, of another
     *     format version, truncated or corrupt (hash mismatch)
     */
    public static Network load(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("network file " + file + " does not exist");
        } catch (InvalidInputException e) {
            throw new InvalidInputException("network file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a network written by {@link #write}; see {@link #load} for the errors. */
    public static Network read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        try {
            if (in.readInt() != MAGIC) {
                throw new InvalidInputException("not a tinysparse network (bad magic number)");
            }
            int version = in.readInt();
            if (version < FORMAT_VERSION_SYMMETRIC || version > FORMAT_VERSION_SPEC_JSON) {
                throw new InvalidInputException("network format version " + version + " is not supported (expected "
                        + FORMAT_VERSION_SYMMETRIC + " to " + FORMAT_VERSION_SPEC_JSON + ")");
            }
            MessageDigest digest = ContentHash.newDigest();
            DataInputStream body = new DataInputStream(new java.security.DigestInputStream(in, digest));
            Network network = readBody(body, version);
            byte[] expected = digest.digest();
            byte[] stored = in.readNBytes(expected.length);
            if (!Arrays.equals(expected, stored)) {
                throw new InvalidInputException("network is corrupt (SHA-256 of its parameters does not match)");
            }
            return network;
        } catch (EOFException e) {
            throw new InvalidInputException("network is truncated");
        }
    }

    private int formatVersion() {
        if (!spec.isMobileNetV2() || spec.featureMixChannels() != 0) {
            return FORMAT_VERSION_SPEC_JSON;
        }
        return padding == PaddingConvention.SYMMETRIC ? FORMAT_VERSION_SYMMETRIC : FORMAT_VERSION_PADDING;
    }

    private void writeBody(DataOutputStream out) throws IOException {
        if (formatVersion() == FORMAT_VERSION_SPEC_JSON) {
            byte[] json = CanonicalJson.write(spec).getBytes(StandardCharsets.UTF_8);
            out.writeInt(json.length);
            out.write(json);
        } else {
            out.writeDouble(spec.widthMultiplier());
            out.writeInt(spec.resolution());
            out.writeInt(spec.numClasses());
            out.writeBoolean(spec.featureMix());
            out.writeInt(spec.firstBlockExpansion());
        }
        out.writeBoolean(isFolded());
        out.writeFloat(batchNormEpsilon);
        if (formatVersion() >= FORMAT_VERSION_PADDING) {
            out.writeInt(padding.code());
        }
        for (int i = 0; i < weights.length; i++) {
            writeArray(out, weights[i]);
            if (isFolded()) {
                writeArray(out, biases[i]);
            } else {
                BatchNormParameters bn = batchNorms[i];
                writeArray(out, bn.gamma());
                writeArray(out, bn.beta());
                writeArray(out, bn.runningMean());
                writeArray(out, bn.runningVar());
            }
        }
        writeArray(out, classifierWeights);
        writeArray(out, classifierBias);
    }

    private static ModelSpec readSpecJson(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 2 || length > MAX_SPEC_JSON_BYTES) {
            throw new InvalidInputException("model spec of " + length + " bytes");
        }
        byte[] json = in.readNBytes(length);
        if (json.length < length) {
            throw new EOFException();
        }
        try {
            return ModelSpec.fromJson(CanonicalJson.readTree(new String(json, StandardCharsets.UTF_8)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException("model spec is not JSON: " + e.getOriginalMessage());
        }
    }

    private static Network readBody(DataInputStream in, int version) throws IOException {
        ModelSpec spec = version == FORMAT_VERSION_SPEC_JSON ? readSpecJson(in)
                : new ModelSpec(in.readDouble(), in.readInt(), in.readInt(), in.readBoolean(), in.readInt());
        boolean folded = in.readBoolean();
        float eps = in.readFloat();
        PaddingConvention padding = PaddingConvention.SYMMETRIC;
        if (version >= FORMAT_VERSION_PADDING) {
            int code = in.readInt();
            try {
                padding = PaddingConvention.ofCode(code);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage());
            }
            if (padding == PaddingConvention.SYMMETRIC && version == FORMAT_VERSION_PADDING) {
                // Symmetric networks are written as format 1, so their hash stays the format-1 one.
                throw new InvalidInputException("format " + version + " network with symmetric padding");
            }
        }
        int n = spec.layers().convCount();
        float[][] w = new float[n][];
        float[][] b = new float[n][];
        BatchNormParameters[] bn = folded ? null : new BatchNormParameters[n];
        for (int i = 0; i < n; i++) {
            ConvLayer c = spec.layers().conv(i);
            w[i] = readArray(in, c.weightCount());
            if (folded) {
                b[i] = readArray(in, c.outChannels());
            } else {
                bn[i] = new BatchNormParameters(readArray(in, c.outChannels()), readArray(in, c.outChannels()),
                        readArray(in, c.outChannels()), readArray(in, c.outChannels()));
            }
        }
        float[] fcW = readArray(in, spec.layers().classifier().weightCount());
        float[] fcB = readArray(in, spec.layers().classifier().outFeatures());
        return new Network(spec, eps, padding, w, b, bn, fcW, fcB);
    }

    private static void writeArray(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    private static float[] readArray(DataInputStream in, long expected) throws IOException {
        int n = in.readInt();
        if (n != expected) {
            throw new InvalidInputException("parameter array of " + n + " values where the spec needs " + expected);
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    @Override
    public String toString() {
        return "Network[" + spec.label() + (isFolded() ? ", folded" : ", batch norm")
                + (padding == PaddingConvention.SYMMETRIC ? "" : ", " + padding) + "]";
    }
}
