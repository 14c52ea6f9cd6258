package io.tinysparse.simulator.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tinysparse.simulator.model.ModelSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Networks of MBConv specs (and MobileNetV2 specs with a feature mix of their own width) in the network file. */
class MbConvNetworkFileTest {

    private static int formatVersion(Network n) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        n.write(bytes);
        return ByteBuffer.wrap(bytes.toByteArray()).getInt(4);
    }

    @Test
    void mbconvNetworksRoundTripThroughFormat3WithTheirSpec(@TempDir Path dir) throws IOException {
        for (ModelSpec spec : new ModelSpec[] {ModelSpec.preset("mcunet-5fps").withResolution(32),
            ModelSpec.preset("mbv2-320kb").withResolution(32).withClasses(3)}) {
            Network net = Network.initialize(spec, 7);
            Path file = dir.resolve(spec.label().replace('/', '_') + ".tsn");
            net.save(file);
            Network back = Network.load(file);
            assertEquals(spec, back.spec());
            assertEquals(net.parameterHash(), back.parameterHash());
            for (int i = 0; i < spec.layers().convCount(); i++) {
                assertArrayEquals(net.weights(i), back.weights(i), "conv " + i);
            }
            assertEquals(3, formatVersion(net), spec.label());
        }
    }

    @Test
    void mobileNetV2NetworksKeepTheirFormatAndHashDependsOnTheNetwork() throws IOException {
        Network mbv2 = Network.initialize(new ModelSpec(0.35, 32, 10, false, 1), 3);
        assertEquals(1, formatVersion(mbv2), "symmetric MobileNetV2 networks stay format 1");
        Network a = Network.initialize(ModelSpec.preset("mcunet-5fps").withResolution(32), 3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.write(bytes);
        Network back = Network.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(a.parameterHash(), back.parameterHash());
        assertNotEquals(a.parameterHash(), Network.initialize(ModelSpec.preset("mcunet-5fps").withResolution(32)
                .withClasses(11), 3).parameterHash());
    }

    @Test
    void aTruncatedSpecIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("n.tsn");
        Network.initialize(ModelSpec.preset("mcunet-5fps").withResolution(32), 1).save(file);
        byte[] b = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.tsn");
        Files.write(cut, java.util.Arrays.copyOf(b, 40));
        org.junit.jupiter.api.Assertions.assertThrows(io.tinysparse.core.InvalidInputException.class,
                () -> Network.load(cut));
    }
}
