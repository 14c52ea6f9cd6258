package io.tinysparse.simulator.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import org.junit.jupiter.api.Test;

class FrozenPrefixTest {
    private final LayerTable table = ModelSpec.preset("mbv2-w0.35").layers();

    @Test
    void cutMovesBackToTheStartOfABlockWithAShortcut() {
        assertEquals(24, FrozenPrefix.cutBefore(table, 26), "block 24-26 adds the tensor entering 24");
        assertEquals(24, FrozenPrefix.cutBefore(table, 25));
        assertEquals(24, FrozenPrefix.cutBefore(table, 24));
        assertEquals(27, FrozenPrefix.cutBefore(table, 27));
        assertEquals(27, FrozenPrefix.cutBefore(table, 29));
        assertEquals(4, FrozenPrefix.cutBefore(table, 4), "block 3-5 has no shortcut (stride 2)");
        assertEquals(0, FrozenPrefix.cutBefore(table, 0));
        assertEquals(51, FrozenPrefix.cutBefore(table, 51), "classifier only: the last conv's output");
        assertEquals(49, FrozenPrefix.cutBefore(table, 49), "block 48-50 widens 56 to 112: no shortcut");
    }

    @Test
    void prefixFeaturesEqualTheActivationsOfAFullForwardPassBitForBit() {
        Network net = Fixtures.folded(1);
        Samples images = Fixtures.images(5, 4, 1, 2);
        Samples features = FrozenPrefix.features(net, images, 24, 2);
        assertEquals(24, features.layer());
        assertArrayEquals(images.labels(), features.labels());
        NetworkExecutor ex = new NetworkExecutor(net, 5);
        System.arraycopy(images.values(), 0, ex.input(0), 0, images.values().length);
        ex.runLayers(0, 24, 5, false);
        float[] expected = java.util.Arrays.copyOf(ex.input(24), features.values().length);
        assertArrayEquals(expected, features.values(), 0f);
    }

    @Test
    void samplesEnteringAfterTheCutOrWithTheWrongShapeAreRejected() {
        Network net = Fixtures.folded(1);
        Samples images = Fixtures.images(2, 4, 1, 2);
        Samples late = FrozenPrefix.features(net, images, 27, 2);
        assertThrows(InvalidInputException.class, () -> FrozenPrefix.features(net, late, 24, 2));
        Samples wrong = new Samples(new float[2 * 3 * 16 * 16], new int[2], 3, 16, 16, 0);
        assertThrows(InvalidInputException.class, () -> FrozenPrefix.features(net, wrong, 24, 2));
    }
}
