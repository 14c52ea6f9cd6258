package io.tinysparse.simulator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerTableTest {
    /** METHODS.md §4, verbatim: index, C_in, C_out, kernel, stride, input H, groups. */
    private static final String METHODS_TABLE = """
             0   3  16 3 2 128   1 |  1  16  16 3 1 64  16 |  2  16   8 1 1 64 1
             3   8  48 1 1  64   1 |  4  48  48 3 2 64  48 |  5  48   8 1 1 32 1
             6   8  48 1 1  32   1 |  7  48  48 3 1 32  48 |  8  48   8 1 1 32 1
             9   8  48 1 1  32   1 | 10  48  48 3 2 32  48 | 11  48  16 1 1 16 1
            12  16  96 1 1  16   1 | 13  96  96 3 1 16  96 | 14  96  16 1 1 16 1
            15  16  96 1 1  16   1 | 16  96  96 3 1 16  96 | 17  96  16 1 1 16 1
            18  16  96 1 1  16   1 | 19  96  96 3 2 16  96 | 20  96  24 1 1  8 1
            21  24 144 1 1   8   1 | 22 144 144 3 1  8 144 | 23 144  24 1 1  8 1
            24  24 144 1 1   8   1 | 25 144 144 3 1  8 144 | 26 144  24 1 1  8 1
            27  24 144 1 1   8   1 | 28 144 144 3 1  8 144 | 29 144  24 1 1  8 1
            30  24 144 1 1   8   1 | 31 144 144 3 1  8 144 | 32 144  32 1 1  8 1
            33  32 192 1 1   8   1 | 34 192 192 3 1  8 192 | 35 192  32 1 1  8 1
            36  32 192 1 1   8   1 | 37 192 192 3 1  8 192 | 38 192  32 1 1  8 1
            39  32 192 1 1   8   1 | 40 192 192 3 2  8 192 | 41 192  56 1 1  4 1
            42  56 336 1 1   4   1 | 43 336 336 3 1  4 336 | 44 336  56 1 1  4 1
            45  56 336 1 1   4   1 | 46 336 336 3 1  4 336 | 47 336  56 1 1  4 1
            48  56 336 1 1   4   1 | 49 336 336 3 1  4 336 | 50 336 112 1 1  4 1
            """;

    private static List<int[]> methodsRows() {
        List<int[]> rows = new ArrayList<>();
        for (String line : METHODS_TABLE.strip().split("\n")) {
            for (String cell : line.split("\\|")) {
                String[] f = cell.trim().split("\\s+");
                int[] row = new int[f.length];
                for (int i = 0; i < f.length; i++) {
                    row[i] = Integer.parseInt(f[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void mbv2W035PresetMatchesTheMethodsTableRowByRow() {
        LayerTable t = ModelSpec.preset("mbv2-w0.35").layers();
        List<int[]> rows = methodsRows();
        assertEquals(51, rows.size());
        assertEquals(51, t.convCount());
        for (int[] r : rows) {
            ConvLayer c = t.conv(r[0]);
            String at = "layer " + r[0];
            assertEquals(r[0], c.index(), at);
            assertEquals(r[1], c.inChannels(), at + " C_in");
            assertEquals(r[2], c.outChannels(), at + " C_out");
            assertEquals(r[3], c.kernel(), at + " kernel");
            assertEquals(r[4], c.stride(), at + " stride");
            assertEquals(r[5], c.inHeight(), at + " H_in");
            assertEquals(r[5], c.inWidth(), at + " W_in");
            assertEquals(r[6], c.groups(), at + " groups");
            assertEquals((r[5] + r[4] - 1) / r[4], c.outHeight(), at + " H_out = ceil(H_in / stride)");
            assertEquals(r[3] / 2, c.padding(), at + " padding");
        }
        assertEquals(112, t.classifier().inFeatures());
        assertEquals(10, t.classifier().outFeatures());
    }

    @Test
    void mbv2W035KindsRolesAndResidualsFollowTheBlockStructure() {
        LayerTable t = ModelSpec.preset("mbv2-w0.35").layers();
        assertEquals(LayerKind.CONV, t.conv(0).kind());
        assertEquals(LayerRole.STEM, t.conv(0).role());
        assertEquals(LayerRole.DEPTHWISE, t.conv(1).role());
        assertEquals(LayerRole.PROJECT, t.conv(2).role());
        assertEquals(LayerRole.EXPAND, t.conv(27).role());
        assertEquals(LayerKind.POINTWISE, t.conv(27).kind());
        assertEquals(LayerKind.DEPTHWISE, t.conv(28).kind());
        assertFalse(t.conv(29).relu6(), "project convs are linear");
        assertEquals(17, t.blocks().size());
        // Residual blocks: stride 1 and equal widths (blocks 2, 4, 5, 7, 8, 9, 11, 12, 14, 15).
        List<Integer> residualProjects = new ArrayList<>();
        for (ConvLayer c : t.convs()) {
            if (c.residualAdd()) {
                residualProjects.add(c.index());
                assertEquals(LayerRole.PROJECT, c.role());
                ConvLayer source = t.conv(c.residualFrom());
                assertEquals(source.outChannels(), c.outChannels(), "shortcut width of layer " + c.index());
                assertEquals(source.outHeight(), c.outHeight(), "shortcut size of layer " + c.index());
            }
        }
        assertEquals(List.of(8, 14, 17, 23, 26, 29, 35, 38, 44, 47), residualProjects);
        assertEquals(5, t.conv(8).residualFrom());
        assertTrue(t.blocks().get(1).residual() == false && t.blocks().get(2).residual());
    }

    @Test
    void mbv2W035HasAboutTheMethodsParamsAndMacs() {
        LayerTable t = ModelSpec.preset("mbv2-w0.35").layers();
        // METHODS.md §4: about 0.246 M parameters and 16.6 M MACs with a 10-class head.
        assertEquals(0.246e6, t.params(), 0.005e6, "params " + t.params());
        assertEquals(16.6e6, t.macs(), 0.1e6, "MACs " + t.macs());
    }

    @Test
    void mbv2W10At224HasTheWellKnownParamsAndMacs() {
        LayerTable t = ModelSpec.preset("mbv2-w1.0").layers();
        assertEquals(52, t.convCount(), "51 convs plus the feature mix");
        assertEquals(1280, t.classifier().inFeatures());
        assertEquals(LayerRole.FEATURE_MIX, t.conv(51).role());
        // torchvision mobilenet_v2: 3,504,872 parameters (with BN), ~300 M multiply-adds.
        assertEquals(3.5e6, t.params(), 0.05e6, "params " + t.params());
        assertEquals(300e6, t.macs(), 10e6, "MACs " + t.macs());
    }

    @Test
    void widthRoundingFollowsMakeDivisible() {
        assertEquals(16, ModelSpec.makeDivisible(32 * 0.35, 8), "11.2 rounds to 8, which loses > 10 %, so 16");
        assertEquals(8, ModelSpec.makeDivisible(24 * 0.35, 8));
        assertEquals(24, ModelSpec.makeDivisible(64 * 0.35, 8));
        assertEquals(56, ModelSpec.makeDivisible(160 * 0.35, 8));
        assertEquals(8, ModelSpec.makeDivisible(1, 8), "never below the divisor");
        ModelSpec wide = new ModelSpec(1.4, 224, 1000, true, 1);
        assertEquals(1792, wide.layers().classifier().inFeatures(), "feature mix scales only above width 1");
    }

    @Test
    void firstBlockExpansionAddsAnExpandConv() {
        ModelSpec spec = new ModelSpec(0.35, 128, 10, false, 6);
        LayerTable t = spec.layers();
        assertEquals(52, t.convCount());
        assertEquals(LayerRole.EXPAND, t.conv(1).role());
        assertEquals(96, t.conv(1).outChannels());
    }

    @Test
    void resolutionAndClassesChangeTheTable() {
        LayerTable t = ModelSpec.preset("mbv2-w0.35").withResolution(96).withClasses(2).layers();
        assertEquals(48, t.conv(1).inHeight());
        assertEquals(3, t.conv(50).inHeight(), "96 / 32 = 3");
        assertEquals(2, t.classifier().outFeatures());
        assertEquals(7, ModelSpec.preset("mbv2-w0.35").withResolution(200).layers().conv(50).inHeight(),
                "200 -> 100 -> 50 -> 25 -> 13 -> 7 (ceil)");
    }

    @Test
    void invalidSpecsAndUnknownPresetsAreRejectedWithTheValue() {
        assertEquals("unknown model 'mbv3' (known: mbv2-320kb, mbv2-w0.35, mbv2-w1.0, mcunet-5fps, proxyless-w0.3)",
                assertThrows(InvalidInputException.class, () -> ModelSpec.preset("mbv3")).getMessage());
        assertEquals("widthMultiplier must be in (0, 4], got 0.0",
                assertThrows(InvalidInputException.class, () -> new ModelSpec(0, 128, 10, false, 1)).getMessage());
        assertEquals("resolution must be in [1, 4096], got 0",
                assertThrows(InvalidInputException.class, () -> new ModelSpec(1, 0, 10, false, 1)).getMessage());
        assertEquals("numClasses must be in [1, 100000], got 0",
                assertThrows(InvalidInputException.class, () -> new ModelSpec(1, 8, 0, false, 1)).getMessage());
        assertEquals("layer index 51 out of range [0, 51)",
                assertThrows(InvalidInputException.class, () -> ModelSpec.preset("mbv2-w0.35").layers().conv(51))
                        .getMessage());
    }

    @Test
    void labelNamesWidthMixResolutionAndClasses() {
        assertEquals("mbv2-w0.35-nomix@128/10", ModelSpec.preset("mbv2-w0.35").label());
        assertEquals("mbv2-w1.0@224/1000", ModelSpec.preset("mbv2-w1.0").label());
    }
}
