package io.tinysparse.dl4j.verify;

import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.simulator.engine.BatchNormParameters;
import io.tinysparse.simulator.engine.GradientRequest;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.engine.kernels.Padding;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The independent oracle for the whole network: builds the same network as a Deeplearning4j
 * {@link ComputationGraph} in float64 ({@code ConvolutionLayer}, {@code DepthwiseConvolution2D},
 * {@code BatchNormalization}, {@code ActivationLayer(ReLU6)}, {@code ElementWiseVertex(Add)},
 * {@code GlobalPoolingLayer(AVG)}, {@code OutputLayer(MCXENT, softmax)}), copies the engine's
 * parameters in, and compares the loss and every gradient a {@link GradientRequest} produces
 * with DL4J's dense gradients at the same entries.
 *
 * <p>A folded network maps to convolutions with bias; an unfolded one to convolutions without
 * bias followed by batch norm in training mode (batch statistics). Padding is explicit
 * ({@code ConvolutionMode.Truncate}): symmetric padding on the convolution, uneven padding
 * (a {@link io.tinysparse.simulator.engine.PaddingConvention#TF_SAME} network) as a
 * {@code ZeroPaddingLayer} before an unpadded convolution, as Keras builds MobileNetV2.
 * Loading DL4J's natives takes a few seconds the first time.
 */
public final class Dl4jOracle {
    /**
     * A tensor's differences are relative to at least this fraction of the largest gradient
     * magnitude of the whole comparison (see {@link TensorDifference}).
     */
    public static final double SCALE_FLOOR = 1e-3;

    private Dl4jOracle() {}

    /**
     * Runs the engine (without changing {@code network}) and DL4J on the same batch and
     * compares the gradients that {@code request} asks for.
     *
     * @param images {@code [batch][3][H][W]} input at the network's resolution
     * @param labels one class per sample
     */
    public static OracleReport compare(Network network, GradientRequest request, float[] images, int[] labels,
            int batch) {
        Network engineCopy = network.copy();
        NetworkExecutor executor = new NetworkExecutor(engineCopy, batch);
        System.arraycopy(images, 0, executor.input(0), 0, batch * executor.inputSize(0));
        executor.forward(0, batch, true);
        double engineLoss = executor.loss(labels, 0);
        GradientRecorder recorder = new GradientRecorder();
        executor.backward(request, recorder);

        ComputationGraph graph = build(network, batch);
        INDArray x = Nd4j.create(toDouble(images, batch * executor.inputSize(0)),
                new long[] {batch, 3, network.spec().resolution(), network.spec().resolution()}, 'c');
        int classes = network.layers().classifier().outFeatures();
        double[] oneHot = new double[batch * classes];
        for (int n = 0; n < batch; n++) {
            oneHot[n * classes + labels[n]] = 1;
        }
        graph.setInput(0, x);
        graph.setLabel(0, Nd4j.create(oneHot, new long[] {batch, classes}, 'c'));
        int disagreements = maskDisagreements(network.layers(), graph.feedForward(x, true), executor, batch);
        graph.computeGradientAndScore();
        double referenceLoss = graph.score();
        Map<String, INDArray> reference = graph.gradient().gradientForVariable();

        // DL4J's raw gradients are sums over the minibatch (its updater divides by the batch size).
        Map<String, double[]> expectedByName = new LinkedHashMap<>();
        double globalScale = 0;
        LayerTable table = network.layers();
        for (Map.Entry<String, float[]> e : recorder.tensors().entrySet()) {
            String name = e.getKey();
            double[] expected;
            if (name.equals("fc.W")) {
                expected = transpose(values(reference.get("out_W")), table.classifier().inFeatures(), classes);
            } else if (name.equals("fc.b")) {
                expected = values(reference.get("out_b"));
            } else {
                int dot = name.indexOf('.');
                String kind = name.substring(0, dot);
                int layer = Integer.parseInt(kind.replaceAll("\\D", ""));
                String param = name.substring(dot + 1);
                expected = switch (param) {
                    case "W" -> slices(table.conv(layer), values(reference.get("conv" + layer + "_W")),
                            recorder.channels(layer));
                    case "b" -> values(reference.get("conv" + layer + "_b"));
                    case "gamma" -> values(reference.get("bn" + layer + "_gamma"));
                    case "beta" -> values(reference.get("bn" + layer + "_beta"));
                    default -> throw new IllegalStateException("unknown gradient " + name);
                };
            }
            for (int i = 0; i < expected.length; i++) {
                expected[i] /= batch;
                globalScale = Math.max(globalScale, Math.abs(expected[i]));
            }
            expectedByName.put(name, expected);
        }
        List<TensorDifference> diffs = new ArrayList<>();
        for (Map.Entry<String, double[]> e : expectedByName.entrySet()) {
            diffs.add(TensorDifference.of(e.getKey(), recorder.tensors().get(e.getKey()), e.getValue(),
                    SCALE_FLOOR * globalScale));
        }
        return new OracleReport(engineLoss, referenceLoss, disagreements, diffs);
    }

    /**
     * Compares on random batches (standard normal images, uniform labels, drawn from
     * {@code seed}, then {@code seed + 1}, ...) until one has no ReLU6 mask disagreement, at
     * most {@code attempts} batches; returns the last comparison.
     */
    public static OracleReport compareOnRandomBatch(Network network, GradientRequest request, int batch, long seed,
            int attempts) {
        int res = network.spec().resolution();
        int classes = network.layers().classifier().outFeatures();
        OracleReport report = null;
        for (int a = 0; a < attempts; a++) {
            SplitMix64 random = new SplitMix64(seed + a, SplitMix64.IntDraw.SPLITTABLE_RANDOM);
            float[] images = new float[batch * 3 * res * res];
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) random.nextGaussian();
            }
            int[] labels = new int[batch];
            for (int n = 0; n < batch; n++) {
                labels[n] = random.nextInt(classes);
            }
            report = compare(network, request, images, labels, batch);
            if (report.maskDisagreements() == 0) {
                break;
            }
        }
        return report;
    }

    /**
     * Counts the ReLU6 elements where the engine (float32) and DL4J (float64) fall on different
     * sides of a kink (0 or 6): there the two compute different linear pieces, and gradients
     * legitimately differ, so such a batch is no test of the arithmetic.
     */
    private static int maskDisagreements(LayerTable table, Map<String, INDArray> activations,
            NetworkExecutor executor, int batch) {
        int count = 0;
        for (int i = 0; i < table.convCount(); i++) {
            ConvLayer c = table.conv(i);
            if (!c.relu6()) {
                continue;
            }
            String pre = c.residualAdd() ? "add" + i : (activations.containsKey("bn" + i) ? "bn" + i : "conv" + i);
            double[] x = values(activations.get(pre));
            float[] y = executor.input(i + 1);
            for (int e = 0; e < batch * executor.inputSize(i + 1); e++) {
                boolean reference = x[e] > 0 && x[e] < 6;
                boolean engine = y[e] > 0 && y[e] < 6;
                if (reference != engine) {
                    count++;
                }
            }
        }
        return count;
    }

    /** The DL4J graph of {@code network} with its parameters copied in (float64). */
    static ComputationGraph build(Network network, int batch) {
        return build(network, batch, DataType.DOUBLE);
    }

    static ComputationGraph build(Network network, int batch, DataType dataType) {
        LayerTable table = network.layers();
        boolean folded = network.isFolded();
        int res = network.spec().resolution();
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .dataType(dataType)
                .updater(new NoOp())
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(res, res, 3, CNN2DFormat.NCHW));
        String[] output = new String[table.convCount()];
        String previous = "in";
        for (int i = 0; i < table.convCount(); i++) {
            ConvLayer c = table.conv(i);
            String conv = "conv" + i;
            int k = c.kernel();
            Padding pad = network.paddingConvention().padding(c);
            int symmetric = pad.top();
            if (!pad.isSymmetric()) {
                // Uneven padding as Keras builds it: an explicit zero-padding layer, then an unpadded convolution.
                g.addLayer("pad" + i, new ZeroPaddingLayer.Builder(pad.top(), pad.bottom(), pad.left(), pad.right())
                        .dataFormat(CNN2DFormat.NCHW).build(), previous);
                previous = "pad" + i;
                symmetric = 0;
            }
            if (c.depthwise()) {
                g.addLayer(conv, new DepthwiseConvolution2D.Builder(k, k).stride(c.stride(), c.stride())
                        .padding(symmetric, symmetric).convolutionMode(ConvolutionMode.Truncate)
                        .dataFormat(CNN2DFormat.NCHW).nIn(c.inChannels()).depthMultiplier(1).nOut(c.outChannels())
                        .hasBias(folded).activation(Activation.IDENTITY).build(), previous);
            } else {
                g.addLayer(conv, new ConvolutionLayer.Builder(k, k).stride(c.stride(), c.stride())
                        .padding(symmetric, symmetric).convolutionMode(ConvolutionMode.Truncate)
                        .dataFormat(CNN2DFormat.NCHW).nIn(c.inChannels()).nOut(c.outChannels())
                        .hasBias(folded).activation(Activation.IDENTITY).build(), previous);
            }
            String last = conv;
            if (!folded) {
                g.addLayer("bn" + i, new BatchNormalization.Builder().nIn(c.outChannels()).nOut(c.outChannels())
                        .eps(network.batchNormEpsilon()).useLogStd(false).build(), last);
                last = "bn" + i;
            }
            if (c.residualAdd()) {
                g.addVertex("add" + i, new ElementWiseVertex(ElementWiseVertex.Op.Add), last, output[c.residualFrom()]);
                last = "add" + i;
            }
            if (c.relu6()) {
                g.addLayer("act" + i, new ActivationLayer.Builder().activation(Activation.RELU6).build(), last);
                last = "act" + i;
            }
            output[i] = last;
            previous = last;
        }
        g.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous);
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(table.classifier().inFeatures()).nOut(table.classifier().outFeatures()).build(), "gap");
        g.setOutputs("out");
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        for (int i = 0; i < table.convCount(); i++) {
            ConvLayer c = table.conv(i);
            set(graph, "conv" + i + "_W", c.depthwise() ? depthwiseToDl4j(c, network.weights(i))
                    : toDouble(network.weights(i), network.weights(i).length));
            if (folded) {
                set(graph, "conv" + i + "_b", toDouble(network.bias(i), c.outChannels()));
            } else {
                BatchNormParameters bn = network.batchNorm(i);
                set(graph, "bn" + i + "_gamma", toDouble(bn.gamma(), bn.channels()));
                set(graph, "bn" + i + "_beta", toDouble(bn.beta(), bn.channels()));
                set(graph, "bn" + i + "_mean", toDouble(bn.runningMean(), bn.channels()));
                set(graph, "bn" + i + "_var", toDouble(bn.runningVar(), bn.channels()));
            }
        }
        set(graph, "out_W", transpose(toDouble(network.classifierWeights(), network.classifierWeights().length),
                table.classifier().outFeatures(), table.classifier().inFeatures()));
        set(graph, "out_b", toDouble(network.classifierBias(), table.classifier().outFeatures()));
        return graph;
    }

    private static void set(ComputationGraph graph, String key, double[] values) {
        INDArray current = graph.getParam(key);
        if (current == null) {
            throw new IllegalStateException("DL4J graph has no parameter " + key);
        }
        if (current.length() != values.length) {
            throw new IllegalStateException("DL4J parameter " + key + " has " + current.length() + " values, engine "
                    + values.length);
        }
        graph.setParam(key, Nd4j.create(values, current.shape(), 'c').castTo(current.dataType()));
    }

    /** DL4J's depthwise weights are {@code [kH][kW][C][1]}; the engine's {@code [C][1][kH][kW]}. */
    private static double[] depthwiseToDl4j(ConvLayer c, float[] w) {
        int taps = c.kernel() * c.kernel();
        int ch = c.inChannels();
        double[] d = new double[w.length];
        for (int ci = 0; ci < ch; ci++) {
            for (int t = 0; t < taps; t++) {
                d[t * ch + ci] = w[ci * taps + t];
            }
        }
        return d;
    }

    /** DL4J's dense weight gradient, cut to the engine's selected slices, in the engine's slice layout. */
    private static double[] slices(ConvLayer c, double[] dl4j, int[] channels) {
        int taps = c.kernel() * c.kernel();
        int rows = c.outChannels() / c.groups();
        int inPerGroup = c.inChannels() / c.groups();
        double[] out = new double[channels.length * rows * taps];
        for (int j = 0; j < channels.length; j++) {
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < taps; t++) {
                    int engineIndex = ConvKernel.sliceOffset(inPerGroup, taps, channels[j], r) + t;
                    double v = c.depthwise() ? dl4j[t * c.inChannels() + channels[j]] : dl4j[engineIndex];
                    out[(j * rows + r) * taps + t] = v;
                }
            }
        }
        return out;
    }

    private static double[] values(INDArray a) {
        if (a == null) {
            throw new IllegalStateException("DL4J produced no gradient for a parameter the engine trained");
        }
        return a.dup('c').data().asDouble();
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    private static double[] toDouble(float[] a, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
