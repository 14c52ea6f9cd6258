package io.tinysparse.simulator.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.TestNetworks;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The engine on the MBConv presets: 5x5 and 7x7 depthwise convolutions, blocks without an
 * expansion conv and blocks without a shortcut build and train, and a sparse step that starts
 * at the frozen prefix's cut computes what the full forward pass computes. (The gradients
 * themselves are checked against DL4J in the dl4j module.)
 */
class MbConvTrainingTest {
    private static final int CLASSES = 4;
    private static final int BATCH = 4;

    /** tiny-training's 100KB scheme for mcunet-5fps (algorithm/scripts/sparse_update.sh). */
    private static SparseUpdatePolicy scheme100kb() {
        int[] layers = {21, 24, 27, 30, 36, 39};
        double[] ratios = {1, 1, 1, 1, 0.125, 0.25};
        List<WeightUpdate> w = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            w.add(WeightUpdate.ratio(layers[i], ratios[i]));
        }
        return new SparseUpdatePolicy(22, w, ChannelSelection.DEFAULT, true);
    }

    private static Network folded(String preset, int resolution, long seed) {
        return TestNetworks.folded(ModelSpec.preset(preset).withResolution(resolution).withClasses(CLASSES), seed);
    }

    /** Mean loss of {@code steps} steps on one fixed batch: the first step's and the last step's (before its update). */
    private static double[] trainOnOneBatch(SparseTrainer trainer, Samples batch, int from, int steps, double lr) {
        double first = Double.NaN;
        double last = Double.NaN;
        for (int t = 0; t < steps; t++) {
            System.arraycopy(batch.values(), 0, trainer.executor().input(from), 0, batch.values().length);
            double loss = trainer.step(t, from, BATCH, batch.labels(), 0, lr);
            assertTrue(Double.isFinite(loss), "loss at step " + t + ": " + loss);
            if (t == 0) {
                first = loss;
            }
            last = loss;
        }
        return new double[] {first, last};
    }

    @ParameterizedTest
    @ValueSource(strings = {"mcunet-5fps", "proxyless-w0.3", "mbv2-320kb"})
    void everyMbConvPresetFitsAFixedBatchWithTheDenseUpdate(String preset) {
        Network net = folded(preset, 32, 3);
        SparseTrainer trainer = new SparseTrainer(net, SparseTrainer.densePolicy(net.layers()),
                TrainingConfig.of(80, BATCH, 0.01, 5), BATCH);
        // A dense update of folded weights is unstable at high rates (tiny-training: "probably due to
        // no BN"); at 0.01 every preset fits (measured: 1.37-1.38 -> 0.011-0.144 after 80 steps).
        double[] loss = trainOnOneBatch(trainer, Fixtures.images(BATCH, CLASSES, 32, 0.5, 9), 0, 80, 0.01);
        assertTrue(loss[1] < 0.25 * loss[0], preset + ": loss " + loss[0] + " -> " + loss[1]);
    }

    @Test
    void tinyTrainingSchemeOnMcunetStartsAtTheShortcutBlockBeforeItsFirstBiasAndLowersTheLoss() {
        Network net = folded("mcunet-5fps", 48, 7);
        SparseTrainer trainer = new SparseTrainer(net, scheme100kb(), TrainingConfig.of(40, BATCH, 0.05, 5), BATCH);
        // The last 22 biases start at conv 20, the projection of block 6 (convs 18-20), whose shortcut
        // adds the tensor entering conv 18.
        assertEquals(18, trainer.entryLayer());
        double[] loss = trainOnOneBatch(trainer, Fixtures.images(BATCH, CLASSES, 48, 0.5, 11), 0, 40, 0.05);
        assertTrue(loss[1] < 0.7 * loss[0], "loss " + loss[0] + " -> " + loss[1]);
    }

    @Test
    void stepsFromTheFrozenPrefixCutEqualStepsFromTheImageBitForBit() {
        Network net = folded("mcunet-5fps", 48, 13);
        Samples images = Fixtures.images(BATCH, CLASSES, 48, 0.5, 17);
        SparseTrainer fromImage = new SparseTrainer(net.copy(), scheme100kb(), TrainingConfig.of(5, BATCH, 0.05, 5),
                BATCH);
        SparseTrainer fromCut = new SparseTrainer(net.copy(), scheme100kb(), TrainingConfig.of(5, BATCH, 0.05, 5),
                BATCH);
        int cut = fromCut.entryLayer();
        Samples features = FrozenPrefix.features(net, images, cut, BATCH);
        for (int t = 0; t < 5; t++) {
            System.arraycopy(images.values(), 0, fromImage.executor().input(0), 0, images.values().length);
            System.arraycopy(features.values(), 0, fromCut.executor().input(cut), 0, features.values().length);
            double a = fromImage.step(t, 0, BATCH, images.labels(), 0, 0.05);
            double b = fromCut.step(t, cut, BATCH, features.labels(), 0, 0.05);
            assertEquals(Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(b), "loss of step " + t);
        }
        for (int i = 0; i < net.convCount(); i++) {
            assertTrue(java.util.Arrays.equals(fromImage.network().weights(i), fromCut.network().weights(i)),
                    "weights of conv " + i);
            assertTrue(java.util.Arrays.equals(fromImage.network().bias(i), fromCut.network().bias(i)),
                    "bias of conv " + i);
        }
    }
}
