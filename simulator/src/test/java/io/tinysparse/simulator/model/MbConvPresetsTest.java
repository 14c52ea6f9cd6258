package io.tinysparse.simulator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.hash.CanonicalJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MbConvPresetsTest {

    private static List<Integer> depthwiseKernels(LayerTable t) {
        List<Integer> k = new ArrayList<>();
        for (ConvLayer c : t.convs()) {
            if (c.depthwise()) {
                k.add(c.kernel());
            }
        }
        return k;
    }

    @Test
    void mcunet5fpsHasTheConfigsBlocksAndTinyTrainingsLayerIndices() {
        LayerTable t = ModelSpec.preset("mcunet-5fps").layers();
        assertEquals(42, t.convCount(), "first conv, 1 block of 2 convs, 13 of 3");
        assertEquals(14, t.blocks().size());
        assertEquals(List.of(3, 3, 3, 7, 3, 3, 7, 5, 3, 3, 7, 5, 5, 3), depthwiseKernels(t));
        assertEquals(16, t.conv(0).outChannels());
        assertEquals(LayerRole.DEPTHWISE, t.conv(1).role(), "block 0 does not expand");
        assertEquals(160, t.classifier().inFeatures(), "no feature mix");
        assertEquals(10, t.classifier().outFeatures());
        assertEquals(128, t.conv(0).inHeight());
        // tiny-training's 100KB scheme (sparse_update.sh): manual_weight_idx 21-24-27-30-36-39 are the
        // expand convs of blocks 7, 8, 9, 10, 12, 13; n_bias_update 22 reaches back to conv 20.
        int[] expected = {21, 24, 27, 30, 36, 39};
        int[] block = {7, 8, 9, 10, 12, 13};
        for (int i = 0; i < expected.length; i++) {
            ConvLayer c = t.conv(expected[i]);
            assertEquals(LayerRole.EXPAND, c.role(), "conv " + expected[i]);
            assertEquals(block[i], c.block(), "conv " + expected[i]);
        }
        assertEquals(160, t.conv(21).outChannels(), "block 7: 40 -> 160 (expand 4) -> 48, kernel 5");
        assertEquals(5, t.conv(22).kernel());
        assertEquals(576, t.conv(39).outChannels(), "block 13: 96 -> 576 (expand 6) -> 160");
        List<Integer> residual = new ArrayList<>();
        for (Block b : t.blocks()) {
            if (b.residual()) {
                residual.add(b.index());
            }
        }
        assertEquals(List.of(2, 4, 6, 8, 9, 11, 12), residual, "the config's IdentityLayer shortcuts");
        assertEquals(16, t.conv(12).inHeight(), "strides 2, 2, 2 before block 4: 128 -> 16");
        assertEquals(4, t.conv(41).inHeight(), "128 / 32");
    }

    @Test
    void mbv2320kbIsTheZoosNetworkWith235MMacsAndAbout075MParameters() {
        ModelSpec spec = ModelSpec.preset("mbv2-320kb");
        assertTrue(spec.isMobileNetV2());
        LayerTable t = spec.layers();
        assertEquals(52, t.convCount());
        assertEquals(448, t.classifier().inFeatures());
        assertEquals(1000, t.classifier().outFeatures());
        assertEquals(144, t.conv(0).inHeight());
        assertEquals(23_499_152, t.macs(), "the zoo's 23.5 M MACs");
        // Batch norm folded: one bias per conv output channel. The zoo counts BN's scale too (one
        // more parameter per conv output channel): 0.744 M + 6,208 = 0.750 M, its "0.75 M".
        assertEquals(744_072, t.params());
        assertEquals(744_072 + 6_208, t.paramsWithBatchNorm());
        assertEquals(75, Math.round(t.paramsWithBatchNorm() / 1e4), "0.75 M with BN scales");
        assertEquals("mbv2-w0.35-mix448@144/1000", spec.label());
    }

    @Test
    void proxylessW03IsProxylessMobileScaledAndRoundedToEights() {
        LayerTable t = ModelSpec.preset("proxyless-w0.3").layers();
        assertEquals(61, t.convCount(), "20 blocks (the two zero blocks hold no conv) and the feature mix");
        assertEquals(20, t.blocks().size());
        assertEquals(16, t.conv(0).outChannels(), "32 x 0.3 = 9.6 rounds to 8, more than 10 % low, so 16");
        assertEquals(8, t.conv(2).outChannels(), "16 x 0.3 -> 8");
        assertEquals(LayerRole.FEATURE_MIX, t.conv(60).role());
        assertEquals(96, t.conv(60).inChannels(), "320 x 0.3");
        assertEquals(1280, t.conv(60).outChannels(), "OFA scales the mix only above width 1");
        assertEquals(List.of(3, 5, 3, 7, 3, 5, 5, 7, 5, 5, 5, 5, 5, 5, 5, 7, 7, 7, 7, 7), depthwiseKernels(t));
        // tiny-training's proxyless schemes (compilation/mcu_ir_gen.py) update weights of convs 33..57,
        // all expand convs, and biases as far as conv 60 - 45 + 1 = 16.
        for (int i = 33; i <= 57; i += 3) {
            assertEquals(LayerRole.EXPAND, t.conv(i).role(), "conv " + i);
        }
        assertEquals(336, t.conv(57).outChannels(), "56 x 6");
    }

    @Test
    void mobileNetV2IsOneCaseOfTheMbConvFamily() {
        for (String name : List.of("mbv2-w0.35", "mbv2-w1.0", "mbv2-320kb")) {
            ModelSpec mbv2 = ModelSpec.preset(name);
            ModelSpec asMbConv = ModelSpec.of(mbv2.architecture(), mbv2.resolution(), mbv2.numClasses());
            assertEquals(mbv2.layers().convs(), asMbConv.layers().convs(), name);
            assertEquals(mbv2.layers().blocks(), asMbConv.layers().blocks(), name);
            assertEquals(mbv2.layers().classifier(), asMbConv.layers().classifier(), name);
        }
    }

    @Test
    void bothFormsReadBackFromTheirJson() throws JsonProcessingException {
        for (String name : List.of("mbv2-w0.35", "mbv2-w1.0", "mbv2-320kb", "mcunet-5fps", "proxyless-w0.3")) {
            ModelSpec spec = ModelSpec.preset(name);
            assertEquals(spec, CanonicalJson.read(CanonicalJson.write(spec), ModelSpec.class), name);
        }
        String json = CanonicalJson.write(ModelSpec.preset("mcunet-5fps"));
        assertTrue(json.startsWith("{\"mbconv\":{\"blocks\":[{\"kernel_size\":3,\"mid_channels\":0,"), json);
        assertTrue(json.endsWith("\"name\":\"mcunet-5fps\"},\"num_classes\":10,\"resolution\":128}"), json);
        assertFalse(json.contains("width_multiplier"), "no MobileNetV2 parameters in the MBConv form");
        assertEquals("{\"feature_mix\":true,\"feature_mix_channels\":448,\"first_block_expansion\":1,"
                + "\"num_classes\":1000,\"resolution\":144,\"width_multiplier\":0.35}",
                CanonicalJson.write(ModelSpec.preset("mbv2-320kb")));
    }

    @Test
    void mbconvSpecsRefuseMobileNetV2ParametersAndBadBlocks() {
        ModelSpec mcunet = ModelSpec.preset("mcunet-5fps");
        assertEquals("the feature mix is a MobileNetV2 parameter; model 'mcunet-5fps' is an MBConv network whose"
                + " config fixes it", assertThrows(InvalidInputException.class,
                        () -> mcunet.withFeatureMix(true)).getMessage());
        assertThrows(InvalidInputException.class,
                () -> new ModelSpec(0.35, 128, 10, false, 1, 0, mcunet.mbconv()));
        assertEquals("kernel_size must be 3, 5 or 7, got 9",
                assertThrows(InvalidInputException.class, () -> new MbConvBlock(8, 9, 1, 0, false)).getMessage());
        assertEquals("an identity shortcut needs stride 1, got stride 2",
                assertThrows(InvalidInputException.class, () -> new MbConvBlock(8, 3, 2, 48, true)).getMessage());
        assertEquals("block 0 has an identity shortcut from 16 to 8 channels",
                assertThrows(InvalidInputException.class, () -> new MbConvNetwork("x", 16, 3, 2,
                        List.of(new MbConvBlock(8, 3, 1, 0, true)), 0)).getMessage());
        assertEquals("featureMixChannels 448 needs the feature mix",
                assertThrows(InvalidInputException.class, () -> new ModelSpec(0.35, 144, 10, false, 1, 448, null))
                        .getMessage());
    }

    @Test
    void resolutionAndClassesRetargetAnMbConvSpec() {
        ModelSpec s = ModelSpec.preset("mcunet-5fps").withResolution(96).withClasses(1000);
        assertEquals("mcunet-5fps@96/1000", s.label());
        assertEquals(3, s.layers().conv(41).inHeight(), "96 / 32");
        assertEquals(1000, s.layers().classifier().outFeatures());
    }
}
