package io.tinysparse.simulator.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkTest {
    private static final ModelSpec SPEC = new ModelSpec(0.35, 32, 5, false, 1);

    @TempDir
    Path dir;

    @Test
    void saveAndLoadRoundTripEveryParameterAndTheHash() throws IOException {
        for (Network net : new Network[] {Network.initialize(SPEC, 1), TestNetworks.folded(SPEC, 2)}) {
            Path file = dir.resolve("net.bin");
            net.save(file);
            Network back = Network.load(file);
            assertEquals(net.parameterHash(), back.parameterHash());
            assertEquals(net.spec(), back.spec());
            assertEquals(net.isFolded(), back.isFolded());
            for (int i = 0; i < net.convCount(); i++) {
                assertArrayEquals(net.weights(i), back.weights(i), 0f);
            }
            assertArrayEquals(net.classifierWeights(), back.classifierWeights(), 0f);
        }
    }

    @Test
    void corruptTruncatedAndForeignFilesAreRejectedNamingTheFile() throws IOException {
        Path file = dir.resolve("net.bin");
        Network.initialize(SPEC, 1).save(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Path corrupt = dir.resolve("corrupt.bin");
        Files.write(corrupt, bytes);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Network.load(corrupt));
        assertTrue(e.getMessage().contains("corrupt.bin") && e.getMessage().contains("corrupt"), e.getMessage());
        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, 1000));
        assertTrue(assertThrows(InvalidInputException.class, () -> Network.load(truncated)).getMessage()
                .contains("truncated"));
        Path foreign = dir.resolve("foreign.bin");
        Files.writeString(foreign, "hello world, not a network");
        assertThrows(InvalidInputException.class, () -> Network.load(foreign));
        assertThrows(InvalidInputException.class, () -> Network.load(dir.resolve("missing.bin")));
    }

    @Test
    void hashChangesWithAnyParameterBitAndInitialisationIsDeterministic() {
        Network a = Network.initialize(SPEC, 3);
        Network b = Network.initialize(SPEC, 3);
        assertEquals(a.parameterHash(), b.parameterHash());
        b.weights(40)[7] = Math.nextUp(b.weights(40)[7]);
        assertNotEquals(a.parameterHash(), b.parameterHash());
        assertNotEquals(a.parameterHash(), Network.initialize(SPEC, 4).parameterHash());
    }

    @Test
    void foldedNetworkComputesWhatTheUnfoldedOneDoesInInferenceMode() {
        Network unfolded = Network.initialize(SPEC, 5);
        SplittableRandom r = new SplittableRandom(6);
        for (int i = 0; i < unfolded.convCount(); i++) {
            BatchNormParameters bn = unfolded.batchNorm(i);
            for (int c = 0; c < bn.channels(); c++) {
                bn.gamma()[c] = (float) (0.5 + r.nextDouble());
                bn.beta()[c] = (float) (0.1 * r.nextGaussian());
                bn.runningMean()[c] = (float) (0.1 * r.nextGaussian());
                bn.runningVar()[c] = (float) (0.5 + r.nextDouble());
            }
        }
        Network folded = unfolded.fold();
        assertTrue(folded.isFolded());
        assertNull(folded.batchNorm(0));
        float[] image = new float[3 * 32 * 32];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) r.nextGaussian();
        }
        float[][] logits = new float[2][];
        Network[] nets = {unfolded, folded};
        for (int k = 0; k < 2; k++) {
            NetworkExecutor ex = new NetworkExecutor(nets[k], 1);
            System.arraycopy(image, 0, ex.input(0), 0, image.length);
            ex.forward(0, 1, false);
            logits[k] = java.util.Arrays.copyOf(ex.logits(), 5);
        }
        for (int c = 0; c < 5; c++) {
            assertEquals(logits[0][c], logits[1][c], 1e-4 * (1 + Math.abs(logits[0][c])));
        }
    }

    @Test
    void tfPaddedNetworkRoundTripsAsFormat2AndSymmetricOnesStayFormat1() throws IOException {
        Network symmetric = Network.initialize(SPEC, 8);
        Network tf = TestNetworks.withPadding(symmetric, PaddingConvention.TF_SAME);
        assertEquals(PaddingConvention.SYMMETRIC, symmetric.paddingConvention());
        assertNotEquals(symmetric.parameterHash(), tf.parameterHash(), "same weights, other convention, other hash");
        Path a = dir.resolve("sym.tsnw");
        Path b = dir.resolve("tf.tsnw");
        symmetric.save(a);
        tf.save(b);
        assertEquals(1, formatVersion(a), "symmetric networks keep format 1 (and their old hashes)");
        assertEquals(2, formatVersion(b));
        Network back = Network.load(b);
        assertEquals(PaddingConvention.TF_SAME, back.paddingConvention());
        assertEquals(tf.parameterHash(), back.parameterHash());
        assertEquals(PaddingConvention.SYMMETRIC, Network.load(a).paddingConvention());
        byte[] bytes = Files.readAllBytes(a);
        assertEquals(symmetric.parameterHash(), java.util.HexFormat.of().formatHex(bytes, bytes.length - 32,
                bytes.length), "a format-1 file ends in the parameter hash");
        for (Network derived : new Network[] {tf.copy(), tf.fold(), tf.withResolution(48), tf.withNewClassifier(3, 1)}) {
            assertEquals(PaddingConvention.TF_SAME, derived.paddingConvention(), derived.toString());
        }
    }

    @Test
    void paddingConventionChangesTheOutputOnEvenResolutionsOnly() {
        Network symmetric = TestNetworks.folded(SPEC, 9);
        Network tf = TestNetworks.withPadding(symmetric, PaddingConvention.TF_SAME);
        assertNotEquals(logits(symmetric, 32)[0], logits(tf, 32)[0], "32 x 32: stride-2 layers pad differently");
        // 33 -> 17 -> 9 -> 5 -> 3: every stride-2 input is odd, where both conventions pad 1 on each side.
        assertArrayEquals(logits(symmetric.withResolution(33), 33), logits(tf.withResolution(33), 33), 0f);
    }

    private static float[] logits(Network net, int resolution) {
        SplittableRandom r = new SplittableRandom(10);
        NetworkExecutor ex = new NetworkExecutor(net, 1);
        float[] in = ex.input(0);
        for (int i = 0; i < 3 * resolution * resolution; i++) {
            in[i] = (float) r.nextGaussian();
        }
        ex.forward(0, 1, false);
        return java.util.Arrays.copyOf(ex.logits(), 5);
    }

    private static int formatVersion(Path file) throws IOException {
        try (java.io.DataInputStream in = new java.io.DataInputStream(Files.newInputStream(file))) {
            in.readInt();
            return in.readInt();
        }
    }

    @Test
    void resolutionAndClassifierCanBeRetargetedKeepingTheBackbone() {
        Network net = TestNetworks.folded(SPEC, 7);
        Network big = net.withResolution(64);
        assertEquals(64, big.spec().resolution());
        assertArrayEquals(net.weights(10), big.weights(10), 0f);
        assertArrayEquals(net.classifierWeights(), big.classifierWeights(), 0f);
        Network other = net.withNewClassifier(12, 1);
        assertEquals(12, other.layers().classifier().outFeatures());
        assertEquals(12 * 112, other.classifierWeights().length);
        assertArrayEquals(net.weights(50), other.weights(50), 0f);
        big.weights(0)[0] += 1;
        assertNotEquals(net.weights(0)[0], big.weights(0)[0], "copies are independent");
    }
}
