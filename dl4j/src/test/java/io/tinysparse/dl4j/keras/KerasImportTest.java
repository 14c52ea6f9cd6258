package io.tinysparse.dl4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.PaddingConvention;
import io.tinysparse.simulator.engine.TestNetworks;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Importing a Keras MobileNetV2 {@code .h5} that the test writes itself
 * ({@link KerasMobileNetV2File}: alpha 0.35, 32 x 32, random weights and batch-norm statistics):
 * our network computes what DL4J's import of the same file computes, Keras's kernel elements
 * land where our layout says, the spec is inferred from the file, and every kind of bad file is
 * a one-line error naming the file and the layer.
 */
class KerasImportTest {
    private static final ModelSpec SPEC = new ModelSpec(0.35, 32, 4, true, 1);

    @TempDir
    Path dir;

    private Path write(KerasMobileNetV2File model, String name) {
        return model.write(dir.resolve(name));
    }

    /** Our probabilities for an NCHW image. */
    private static float[] probabilities(Network net, float[] image) {
        NetworkExecutor ex = new NetworkExecutor(net, 1);
        System.arraycopy(image, 0, ex.input(0), 0, image.length);
        ex.forward(0, 1, false);
        return KerasImport.softmax(ex.logits(), net.layers().classifier().outFeatures());
    }

    @Test
    void importedNetworkGivesTheProbabilitiesOfDl4jsImportOfTheSameFile() throws Exception {
        Path file = write(new KerasMobileNetV2File(SPEC, true, 1), "m.h5");
        Network net = KerasImport.read(file, null, 10, 1).network();
        ComputationGraph graph = KerasModelImport.importKerasModelAndWeights(file.toString(), false);
        int res = SPEC.resolution();
        SplittableRandom r = new SplittableRandom(42);
        float[] nchw = new float[3 * res * res];
        INDArray nhwc = Nd4j.create(DataType.FLOAT, 1, res, res, 3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < res; y++) {
                for (int x = 0; x < res; x++) {
                    float v = (float) r.nextGaussian();
                    nchw[(c * res + y) * res + x] = v;
                    nhwc.putScalar(new long[] {0, y, x, c}, v);
                }
            }
        }
        double[] reference = graph.outputSingle(nhwc).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        assertEquals(4, reference.length);
        double difference = KerasImport.difference(probabilities(net, nchw), reference);
        assertTrue(difference < 1e-4, "relative difference to DL4J " + difference);

        // The padding convention is what makes the import faithful: the same weights padded
        // symmetrically compute something else.
        Network symmetric = TestNetworks.withPadding(net, PaddingConvention.SYMMETRIC);
        double wrong = KerasImport.difference(probabilities(symmetric, nchw), reference);
        assertTrue(wrong > 100 * difference && wrong > 1e-3, "symmetric padding differs by only " + wrong);
    }

    @Test
    void kerasKernelElementsLandAtOurOutInKyKxPositions() throws IOException {
        KerasMobileNetV2File model = new KerasMobileNetV2File(SPEC, true, 2);
        Network net = KerasImport.read(write(model, "m.h5"), null, 10, 1).network();
        LayerTable t = net.layers();
        assertEquals(1e-3f, net.batchNormEpsilon());
        assertEquals(PaddingConvention.TF_SAME, net.paddingConvention());
        assertFalse(net.isFolded());

        // Conv1 kernel [ky][kx][in][out] = [0][2][1][5] -> ours [out][in][ky][kx] = [5][1][0][2].
        float[] stem = model.weights().get("Conv1/kernel:0");
        int cout = t.conv(0).outChannels();
        assertEquals(stem[((0 * 3 + 2) * 3 + 1) * cout + 5], net.weights(0)[((5 * 3 + 1) * 3 + 0) * 3 + 2]);
        // block_1_depthwise (conv 4, stride 2) depthwise_kernel [1][2][7][0] -> ours [7][0][1][2].
        ConvLayer dw = t.conv(4);
        assertTrue(dw.depthwise() && dw.stride() == 2);
        float[] dk = model.weights().get("block_1_depthwise/depthwise_kernel:0");
        assertEquals(dk[(1 * 3 + 2) * dw.inChannels() + 7], net.weights(4)[7 * 9 + 1 * 3 + 2]);
        // block_1_project (conv 5, 1x1) kernel [0][0][in 30][out 3] -> ours [3][30].
        ConvLayer project = t.conv(5);
        float[] pk = model.weights().get("block_1_project/kernel:0");
        assertEquals(pk[30 * project.outChannels() + 3], net.weights(5)[3 * project.inChannels() + 30]);
        // Batch norm of Conv_1 (the last conv): moving variance and mean, channel 100.
        int last = t.convCount() - 1;
        assertEquals(model.weights().get("Conv_1_bn/moving_variance:0")[100], net.batchNorm(last).runningVar()[100]);
        assertEquals(model.weights().get("Conv_1_bn/moving_mean:0")[100], net.batchNorm(last).runningMean()[100]);
        assertEquals(model.weights().get("bn_Conv1/gamma:0")[3], net.batchNorm(0).gamma()[3]);
        // Dense kernel [features][classes] = [1000][2] -> ours [classes][features] = [2][1000].
        int features = t.classifier().inFeatures();
        assertEquals(1280, features);
        assertEquals(model.weights().get("predictions/kernel:0")[1000 * 4 + 2], net.classifierWeights()[2 * features + 1000]);
        assertEquals(model.weights().get("predictions/bias:0")[1], net.classifierBias()[1]);
    }

    @Test
    void specIsInferredFromTheFileAndAHeadlessModelGetsAFreshClassifier() throws IOException {
        ModelSpec half = new ModelSpec(0.5, 24, 7, true, 1);
        KerasImport.Result withTop = KerasImport.read(write(new KerasMobileNetV2File(half, true, 3), "a.h5"), 48, 10, 1);
        assertEquals(half.withResolution(48), withTop.network().spec(), "width and classes from the file");
        assertEquals(24, withTop.fileResolution());
        assertTrue(withTop.includeTop());
        assertEquals("2.4.0", withTop.kerasVersion());
        assertEquals("mobilenetv2_0.50_24", withTop.modelName());

        KerasImport.Result headless = KerasImport.read(write(new KerasMobileNetV2File(half, false, 3), "b.h5"), null,
                5, 9);
        assertFalse(headless.includeTop());
        assertEquals(half.withClasses(5), headless.network().spec());
        assertEquals(headless.network().parameterHash(),
                KerasImport.read(dir.resolve("b.h5"), null, 5, 9).network().parameterHash(), "deterministic");
        for (int i = 0; i < half.layers().convCount(); i++) {
            assertEquals(withTop.network().weights(i)[0], headless.network().weights(i)[0], "same backbone");
        }
    }

    /** Keras's {@code _make_divisible}, transcribed from keras/applications/mobilenet_v2.py. */
    private static int kerasMakeDivisible(double v, int divisor) {
        int n = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        return n < 0.9 * v ? n + divisor : n;
    }

    @Test
    void modelSpecChannelsAreKerasMobileNetV2sForEveryKerasWidth() {
        int[][] blocks = {{16, 1}, {24, 2}, {32, 3}, {64, 4}, {96, 3}, {160, 3}, {320, 1}};
        for (double alpha : KerasModelConfig.KERAS_ALPHAS) {
            LayerTable t = new ModelSpec(alpha, 224, 1000, true, 1).layers();
            int i = 0;
            int in = kerasMakeDivisible(32 * alpha, 8);
            assertEquals(in, t.conv(i++).outChannels(), "Conv1 at alpha " + alpha);
            int block = 0;
            for (int[] stage : blocks) {
                for (int r = 0; r < stage[1]; r++, block++) {
                    int out = kerasMakeDivisible((int) (stage[0] * alpha), 8);
                    if (block > 0) {
                        assertEquals(6 * in, t.conv(i++).outChannels(), "block_" + block + "_expand at " + alpha);
                    }
                    assertEquals(block > 0 ? 6 * in : in, t.conv(i++).outChannels(), "depthwise " + block);
                    assertEquals(out, t.conv(i++).outChannels(), "project " + block + " at alpha " + alpha);
                    in = out;
                }
            }
            assertEquals(alpha > 1 ? kerasMakeDivisible(1280 * alpha, 8) : 1280, t.conv(i++).outChannels(), "Conv_1");
            assertEquals(t.convCount(), i);
        }
    }

    private String badFile(String name, KerasMobileNetV2File model, String... expected) {
        Path file = write(model, name);
        return badFile(file, expected);
    }

    private static String badFile(Path file, String... expected) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> KerasImport.read(file, null, 10, 1));
        String m = e.getMessage();
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.contains(file.toString()), m);
        for (String s : expected) {
            assertTrue(m.contains(s), "'" + s + "' in: " + m);
        }
        return m;
    }

    private KerasMobileNetV2File edited(Consumer<ArrayNode> edit) {
        return new KerasMobileNetV2File(SPEC, true, 4).editConfig(edit);
    }

    @Test
    void badFilesAreOneLineErrorsNamingTheFileAndTheBadLayerOrValue() throws IOException {
        Path text = dir.resolve("text.h5");
        Files.writeString(text, "not hdf5 at all");
        badFile(text, "not an HDF5 file");
        badFile("weights.h5", new KerasMobileNetV2File(SPEC, true, 4).weightsOnly(), "no model_config");
        badFile("k3.h5", new KerasMobileNetV2File(SPEC, true, 4).kerasVersion("3.0.0"), "keras_version '3.0.0'");
        badFile("missing.h5", edited(l -> {
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i).path("name").asText().equals("block_3_project_BN")) {
                    l.remove(i);
                    return;
                }
            }
        }), "block_3_project_BN", "missing", "Keras import reads MobileNetV2 only");
        badFile("pad.h5", edited(l -> ((ObjectNode) KerasMobileNetV2File.layer(l, "block_1_pad").get("config"))
                .set("padding", l.arrayNode().add(l.arrayNode().add(1).add(1)).add(l.arrayNode().add(1).add(1)))),
                "block_1_depthwise", "((1, 1), (1, 1))");
        badFile("relu.h5", edited(l -> ((ObjectNode) KerasMobileNetV2File.layer(l, "Conv1_relu").get("config"))
                .putNull("max_value")), "Conv1_relu", "not ReLU6");
        badFile("filters.h5", edited(l -> ((ObjectNode) KerasMobileNetV2File.layer(l, "block_2_project").get("config"))
                .put("filters", 16)), "block_2_project", "16 filters");
        badFile("eps.h5", edited(l -> ((ObjectNode) KerasMobileNetV2File.layer(l, "block_5_expand_BN").get("config"))
                .put("epsilon", 1e-5)), "block_5_expand_BN", "epsilon");
        badFile("pool.h5", edited(l -> ((ObjectNode) KerasMobileNetV2File.layer(l, "global_average_pooling2d"))
                .put("class_name", "GlobalMaxPooling2D")), "predictions");

        KerasMobileNetV2File shape = new KerasMobileNetV2File(SPEC, true, 4);
        shape.weights().put("block_4_expand/kernel:0", new float[32 * 100]);
        shape.shapes().put("block_4_expand/kernel:0", new long[] {1, 1, 32, 100});
        badFile("shape.h5", shape, "block_4_expand");

        assertThrows(InvalidInputException.class, () -> KerasImport.read(dir.resolve("none.h5"), null, 10, 1));
    }
}
