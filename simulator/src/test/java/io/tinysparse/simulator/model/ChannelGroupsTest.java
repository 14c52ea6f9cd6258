package io.tinysparse.simulator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.hash.CanonicalJson;
import io.tinysparse.core.hash.ContentHash;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelGroupsTest {
    private static final ModelSpec MBV2 = ModelSpec.preset("mbv2-w0.35");

    private static ChannelGroups mbv2() {
        return ChannelGroups.of(MBV2.architecture());
    }

    @Test
    void depthwiseConvTiesExpandOutputDepthwiseAndProjectInputIntoOneGroup() {
        ChannelGroups g = mbv2();
        // block 1: expand 3 (8 -> 48), depthwise 4, project 5
        ChannelGroups.Group mid = g.outputOf(3);
        assertEquals("expansion of block 1", mid.name());
        assertEquals(48, mid.channels());
        assertEquals(List.of(3), mid.producers());
        assertEquals(List.of(4), mid.depthwise());
        assertEquals(List.of(5), mid.consumers());
        assertEquals(mid, g.inputOf(5));
    }

    @Test
    void blockWithoutExpandJoinsTheStemGroup() {
        ChannelGroups g = mbv2();
        ChannelGroups.Group stem = g.outputOf(0);
        assertEquals(16, stem.channels());
        assertEquals(List.of(0), stem.producers());
        assertEquals(List.of(1), stem.depthwise());
        assertEquals(List.of(2), stem.consumers());
        assertNull(g.inputOf(0));
    }

    @Test
    void residualAddsTieEveryOutputOfAStageAndItsReaders() {
        ChannelGroups g = mbv2();
        // the stage of 16 channels: blocks 3-5, project convs 11, 14 and 17 (block 6 projects to 24)
        ChannelGroups.Group stream = g.outputOf(11);
        assertEquals(16, stream.channels());
        assertEquals(List.of(11, 14, 17), stream.producers());
        assertEquals(List.of(12, 15, 18), stream.consumers());
        assertEquals("output of blocks 3-5", stream.name());
        assertEquals(stream, g.outputOf(17));
        assertNotEquals(stream, g.outputOf(20));
        // the last block's output is read by the classifier (no feature mix in this preset)
        assertTrue(g.outputOf(50).classifier());
        assertEquals(g.outputOf(50), g.classifierInput());
        assertFalse(stream.classifier());
    }

    @Test
    void everyConvChannelBelongsToExactlyOneOutputGroupAndOneInputGroup() {
        for (String preset : List.of("mbv2-w0.35", "mbv2-w1.0", "mcunet-5fps", "proxyless-w0.3")) {
            LayerTable t = ModelSpec.preset(preset).layers();
            ChannelGroups g = ChannelGroups.of(ModelSpec.preset(preset).architecture());
            int[] outputs = new int[t.convCount()];
            int[] inputs = new int[t.convCount()];
            for (ChannelGroups.Group group : g.groups()) {
                group.producers().forEach(l -> outputs[l]++);
                group.depthwise().forEach(l -> {
                    outputs[l]++;
                    inputs[l]++;
                });
                group.consumers().forEach(l -> inputs[l]++);
                for (int l : group.producers()) {
                    assertEquals(t.conv(l).outChannels(), group.channels(), preset + " layer " + l);
                }
                for (int l : group.consumers()) {
                    assertEquals(t.conv(l).inChannels(), group.channels(), preset + " layer " + l);
                }
            }
            for (int l = 0; l < t.convCount(); l++) {
                assertEquals(1, outputs[l], preset + " output of layer " + l);
                assertEquals(l == 0 ? 0 : 1, inputs[l], preset + " input of layer " + l);
            }
            assertEquals(t.classifier().inFeatures(), g.classifierInput().channels(), preset);
        }
    }

    @Test
    void prunedNetworkKeepsTheFloorOfEachGroupsRemainingWidthAndIsASpecOfItsOwn() {
        MbConvNetwork pruned = mbv2().pruned(0.25);
        assertEquals("mbv2-w0.35-nomix-p0.25", pruned.name());
        ModelSpec spec = ModelSpec.of(pruned, 128, 10);
        LayerTable t = spec.layers();
        LayerTable parent = MBV2.layers();
        assertEquals(parent.convCount(), t.convCount());
        for (int l = 0; l < t.convCount(); l++) {
            assertEquals((int) Math.floor(parent.conv(l).outChannels() * 0.75), t.conv(l).outChannels(), "layer " + l);
            assertEquals(parent.conv(l).kernel(), t.conv(l).kernel());
            assertEquals(parent.conv(l).stride(), t.conv(l).stride());
            assertEquals(parent.conv(l).residualAdd(), t.conv(l).residualAdd());
        }
        assertEquals(84, t.classifier().inFeatures());
        assertTrue(t.macs() < parent.macs());
        assertNotEquals(ContentHash.ofCanonicalJson(MBV2), ContentHash.ofCanonicalJson(spec));
        // the pruned spec reads back from its JSON as itself
        assertEquals(spec, ModelSpec.fromJson(new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(spec)));
        assertTrue(CanonicalJson.write(spec).contains("\"mid_channels\":36"));
    }

    @Test
    void aRatioThatEmptiesAGroupOrLiesOutsideTheOpenUnitIntervalIsBadInput() {
        // mbv2-w0.35's narrowest groups have 8 channels: 0.875 keeps 1, 0.9 keeps none
        assertEquals(1, mbv2().pruned(0.875).blocks().get(0).outChannels());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> mbv2().pruned(0.9));
        assertTrue(e.getMessage().contains("leaves group") && e.getMessage().contains("takes is 0.875"),
                e.getMessage());
        assertEquals(0.875, mbv2().largestRatio(), "exactly the ratio that keeps 1 of the narrowest group's 8");
        assertThrows(InvalidInputException.class, () -> mbv2().pruned(1.0));
        assertThrows(InvalidInputException.class, () -> mbv2().pruned(0));
        assertThrows(InvalidInputException.class, () -> mbv2().pruned(-0.1));
        assertThrows(InvalidInputException.class, () -> mbv2().pruned(Double.NaN));
    }
}
