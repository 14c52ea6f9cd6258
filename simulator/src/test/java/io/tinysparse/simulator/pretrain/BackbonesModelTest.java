package io.tinysparse.simulator.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backbone a command uses for a {@code --model}. */
class BackbonesModelTest {

    @Test
    void theDefaultModelsDefaultPretrainingIsTheDefaultOne() {
        assertEquals(PretrainSpec.defaults(), PretrainSpec.defaultsFor(ModelSpec.preset("mbv2-w0.35")));
        PretrainSpec mcunet = PretrainSpec.defaultsFor(ModelSpec.preset("mcunet-5fps").withResolution(96));
        assertEquals(ModelSpec.preset("mcunet-5fps").withResolution(128).withClasses(10), mcunet.model());
        assertTrue(mcunet.canonical().contains(";model=mcunet-5fps@128/10;width=1.0;"), mcunet.canonical());
        assertTrue(mcunet.canonical().contains(";mbconv="), "the blocks' hash: " + mcunet.canonical());
        assertNotEquals(PretrainSpec.defaults().hash(), mcunet.hash());
    }

    @Test
    void aBackboneFileOfAnotherNetworkThanModelIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("b.tsn");
        Network.initialize(new ModelSpec(0.35, 32, 10, false, 1), 1).save(file);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        DataDirectory home = new DataDirectory(dir, "test");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Backbones.select(file,
                ModelSpec.preset("mcunet-5fps"), home, quiet, quiet));
        assertEquals("backbone file " + file + " holds network mbv2-w0.35-nomix, not mcunet-5fps that --model names",
                e.getMessage());
        Network same = Backbones.select(file, ModelSpec.preset("mbv2-w0.35"), home, quiet, quiet).network();
        assertEquals(new ModelSpec(0.35, 32, 10, false, 1), same.spec(), "any resolution and classes of that network");
        assertSame(null, Backbones.select(file, null, home, quiet, quiet).statistics());
    }
}
