package io.tinysparse.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.prune.ChannelPruner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memory --backbone FILE}: the network, resolution and classes of a backbone file, e.g. a pruned one. */
class MemoryBackboneOptionTest {
    @TempDir
    Path dir;

    @Test
    void aPrunedBackboneIsCostedOnItsOwnShapes() throws IOException {
        ModelSpec parent = ModelSpec.preset("mbv2-w0.35");
        ChannelGroups groups = ChannelGroups.of(parent.architecture());
        int[][] kept = new int[groups.groups().size()][];
        for (ChannelGroups.Group g : groups.groups()) {
            kept[g.index()] = IntStream.range(0, g.kept(0.5)).toArray();
        }
        ModelSpec pruned = ModelSpec.of(groups.pruned(0.5), 128, 10);
        Path file = dir.resolve("pruned.tsnw");
        ChannelPruner.prune(Network.initialize(parent, 1), groups, kept, pruned).save(file);

        CliRun r = CliRun.of(new MemoryCommand(), "--backbone", file.toString(), "--bias-layers", "25", "--weights",
                "27:1,30:1,33:1,36:1,39:1,42:0.125,45:0.5,48:1", "--estimator", "lin2022");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mbv2-w0.35-nomix-p0.5@128/10"), r.out());
        assertTrue(r.out().contains(String.format(Locale.ROOT, "%,d params", pruned.layers().params())), r.out());
        CliRun parentRun = CliRun.of(new MemoryCommand(), "--bias-layers", "25", "--weights",
                "27:1,30:1,33:1,36:1,39:1,42:0.125,45:0.5,48:1", "--estimator", "lin2022");
        assertTrue(parentRun.out().contains("101,792 bytes"), parentRun.out());
        assertTrue(r.out().contains("36,824 bytes"), r.out());
    }

    @Test
    void aBackboneThatIsNotANetworkIsBadInput() {
        CliRun r = CliRun.of(new MemoryCommand(), "--backbone", dir.resolve("missing.tsnw").toString(), "--bias-layers",
                "1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("missing.tsnw"), r.err());
    }
}
