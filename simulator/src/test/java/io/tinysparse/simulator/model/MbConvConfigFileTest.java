package io.tinysparse.simulator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network configs in the OFA/ProxylessNAS format, written here from the facts of the public
 * configs (mit-han-lab/tinyml {@code mcunet/assets/configs}), read as MBConv specs or refused.
 */
public class MbConvConfigFileTest {
    private static final ObjectMapper M = new ObjectMapper();

    /**
     * A config as OFA writes it: rows {in, out, kernel, stride, expand ratio, mid channels (-1 =
     * null), shortcut (1/0)}; a row with out = 0 is a ZeroLayer block with an identity shortcut.
     */
    public static ObjectNode config(int stem, int[][] rows, int mix, int classes, int resolution) {
        ObjectNode root = M.createObjectNode();
        root.put("name", "ProxylessNASNets");
        root.putObject("bn").put("momentum", 0.1).put("eps", 1e-5);
        ObjectNode first = root.putObject("first_conv");
        first.put("name", "ConvLayer").put("kernel_size", 3).put("stride", 2).put("dilation", 1).put("groups", 1)
                .put("bias", false).put("has_shuffle", false).put("in_channels", 3).put("out_channels", stem)
                .put("use_bn", true).put("act_func", "relu6").put("dropout_rate", 0).put("ops_order", "weight_bn_act");
        ArrayNode blocks = root.putArray("blocks");
        for (int[] r : rows) {
            ObjectNode b = blocks.addObject();
            b.put("name", "MobileInvertedResidualBlock");
            ObjectNode conv = b.putObject("mobile_inverted_conv");
            if (r[1] == 0) {
                conv.put("name", "ZeroLayer").put("stride", 1);
            } else {
                conv.put("name", "MBInvertedConvLayer").put("in_channels", r[0]).put("out_channels", r[1])
                        .put("kernel_size", r[2]).put("stride", r[3]).put("expand_ratio", r[4]);
                if (r[5] < 0) {
                    conv.putNull("mid_channels");
                } else {
                    conv.put("mid_channels", r[5]);
                }
                conv.put("act_func", "relu6").put("use_se", false);
            }
            if (r[6] == 1 || r[1] == 0) {
                ObjectNode s = b.putObject("shortcut");
                s.put("name", "IdentityLayer");
                s.putArray("in_channels").add(r[0]);
                s.putArray("out_channels").add(r[0]);
                s.put("use_bn", false).putNull("act_func");
            } else {
                b.putNull("shortcut");
            }
        }
        int last = stem;
        for (int[] r : rows) {
            last = r[1] == 0 ? last : r[1];
        }
        if (mix > 0) {
            root.putObject("feature_mix_layer").put("name", "ConvLayer").put("kernel_size", 1).put("stride", 1)
                    .put("dilation", 1).put("groups", 1).put("in_channels", last).put("out_channels", mix)
                    .put("use_bn", true).put("act_func", "relu6");
            last = mix;
        } else {
            root.putNull("feature_mix_layer");
        }
        root.putObject("classifier").put("name", "LinearLayer").put("in_features", last).put("out_features", classes)
                .put("bias", true).put("use_bn", false).putNull("act_func").put("dropout_rate", 0);
        root.put("resolution", resolution);
        return root;
    }

    /** mcunet-5fps_imagenet.json's facts. */
    public static final int[][] MCUNET_5FPS = {
        {16, 8, 3, 1, 1, -1, 0}, {8, 16, 3, 2, 4, 32, 0}, {16, 16, 3, 1, 3, 48, 1}, {16, 24, 7, 2, 3, 48, 0},
        {24, 24, 3, 1, 5, 120, 1}, {24, 40, 3, 2, 5, 120, 0}, {40, 40, 7, 1, 4, 160, 1}, {40, 48, 5, 1, 4, 160, 0},
        {48, 48, 3, 1, 3, 144, 1}, {48, 48, 3, 1, 4, 192, 1}, {48, 96, 7, 2, 5, 240, 0}, {96, 96, 5, 1, 4, 384, 1},
        {96, 96, 5, 1, 4, 384, 1}, {96, 160, 3, 1, 6, 576, 0},
    };

    /** mbv2-w0.35-r144_imagenet.json's facts (mid_channels null throughout). */
    static final int[][] MBV2_W035_R144 = {
        {16, 8, 3, 1, 1, -1, 0}, {8, 8, 3, 2, 6, -1, 0}, {8, 8, 3, 1, 6, -1, 1}, {8, 16, 3, 2, 6, -1, 0},
        {16, 16, 3, 1, 6, -1, 1}, {16, 16, 3, 1, 6, -1, 1}, {16, 24, 3, 2, 6, -1, 0}, {24, 24, 3, 1, 6, -1, 1},
        {24, 24, 3, 1, 6, -1, 1}, {24, 24, 3, 1, 6, -1, 1}, {24, 32, 3, 1, 6, -1, 0}, {32, 32, 3, 1, 6, -1, 1},
        {32, 32, 3, 1, 6, -1, 1}, {32, 56, 3, 2, 6, -1, 0}, {56, 56, 3, 1, 6, -1, 1}, {56, 56, 3, 1, 6, -1, 1},
        {56, 112, 3, 1, 6, -1, 0},
    };

    /** proxyless_mobile.json's facts (width 1), with its two ZeroLayer blocks. */
    static final int[][] PROXYLESS_MOBILE = {
        {32, 16, 3, 1, 1, -1, 0}, {16, 32, 5, 2, 3, -1, 0}, {32, 32, 3, 1, 3, -1, 1}, {32, 0, 0, 0, 0, 0, 1},
        {32, 0, 0, 0, 0, 0, 1}, {32, 40, 7, 2, 3, -1, 0}, {40, 40, 3, 1, 3, -1, 1}, {40, 40, 5, 1, 3, -1, 1},
        {40, 40, 5, 1, 3, -1, 1}, {40, 80, 7, 2, 6, -1, 0}, {80, 80, 5, 1, 3, -1, 1}, {80, 80, 5, 1, 3, -1, 1},
        {80, 80, 5, 1, 3, -1, 1}, {80, 96, 5, 1, 6, -1, 0}, {96, 96, 5, 1, 3, -1, 1}, {96, 96, 5, 1, 3, -1, 1},
        {96, 96, 5, 1, 3, -1, 1}, {96, 192, 7, 2, 6, -1, 0}, {192, 192, 7, 1, 6, -1, 1}, {192, 192, 7, 1, 3, -1, 1},
        {192, 192, 7, 1, 3, -1, 1}, {192, 320, 7, 1, 6, -1, 0},
    };

    private static Path write(Path dir, String name, ObjectNode config) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, config.toPrettyString());
        return file;
    }

    @Test
    void aSmallThreeBlockNetworkReadsAsItsLayerTable(@TempDir Path dir) throws IOException {
        int[][] rows = {{8, 8, 3, 1, 1, -1, 0}, {8, 16, 5, 2, 4, -1, 0}, {16, 16, 7, 1, 3, 40, 1}};
        ModelSpec spec = MbConvConfigFile.read(write(dir, "Tiny_Net.json", config(8, rows, 32, 5, 40)));
        assertEquals("tiny_net@40/5", spec.label(), "named after the file");
        LayerTable t = spec.layers();
        assertEquals(1 + 2 + 3 + 3 + 1, t.convCount());
        assertEquals(LayerRole.DEPTHWISE, t.conv(1).role());
        assertEquals(32, t.conv(3).outChannels(), "mid = round(8 x 4) when mid_channels is null");
        assertEquals(5, t.conv(4).kernel());
        assertEquals(2, t.conv(4).stride());
        assertEquals(40, t.conv(6).outChannels(), "mid_channels given: 40, not 16 x 3");
        assertEquals(7, t.conv(7).kernel());
        assertEquals(5, t.conv(8).residualFrom(), "identity shortcut from the block input");
        assertEquals(LayerRole.FEATURE_MIX, t.conv(9).role());
        assertEquals(32, t.classifier().inFeatures());
        assertEquals(10, t.conv(9).inHeight(), "40 -> 20 -> 10");
    }

    @Test
    void mcunet5fpsConfigIsThePresetAtItsOwnResolutionAndClasses(@TempDir Path dir) throws IOException {
        ModelSpec spec = MbConvConfigFile.read(write(dir, "mcunet-5fps_imagenet.json",
                config(16, MCUNET_5FPS, 0, 1000, 96)));
        assertEquals(ModelSpec.preset("mcunet-5fps").withResolution(96).withClasses(1000), spec);
        // under another file name it is still recognised as the preset: same backbone, same run ids
        ModelSpec renamed = MbConvConfigFile.read(write(dir, "mine.json", config(16, MCUNET_5FPS, 0, 10, 128)));
        assertEquals(ModelSpec.preset("mcunet-5fps"), renamed);
        // a preset's name on other blocks is not passed off as the preset
        ObjectNode other = config(16, MCUNET_5FPS, 0, 10, 128);
        ((ObjectNode) other.get("blocks").get(13).get("mobile_inverted_conv")).put("kernel_size", 5);
        assertEquals("mcunet-5fps-custom@128/10", MbConvConfigFile.read(write(dir, "mcunet-5fps.json", other)).label());
    }

    @Test
    void zoosMbv2ConfigHasThePresetsLayerTable(@TempDir Path dir) throws IOException {
        ModelSpec spec = MbConvConfigFile.read(write(dir, "mbv2-w0.35-r144_imagenet.json",
                config(16, MBV2_W035_R144, 448, 1000, 144)));
        assertFalse(spec.isMobileNetV2(), "a config file gives the MBConv form");
        LayerTable preset = ModelSpec.preset("mbv2-320kb").layers();
        assertEquals(preset.convs(), spec.layers().convs());
        assertEquals(preset.classifier(), spec.layers().classifier());
        assertEquals(23_499_152, spec.layers().macs());
    }

    @Test
    void proxylessConfigSkipsItsZeroBlocksAndScalesToThePreset(@TempDir Path dir) throws IOException {
        ModelSpec spec = MbConvConfigFile.read(write(dir, "proxyless_mobile.json",
                config(32, PROXYLESS_MOBILE, 1280, 1000, 224)));
        assertEquals("proxyless_mobile@224/1000", spec.label());
        LayerTable t = spec.layers();
        assertEquals(61, t.convCount());
        assertEquals(20, t.blocks().size());
        LayerTable w03 = ModelSpec.preset("proxyless-w0.3").layers();
        for (int i = 0; i < t.convCount(); i++) {
            assertEquals(t.conv(i).role(), w03.conv(i).role(), "conv " + i);
            assertEquals(t.conv(i).kernel(), w03.conv(i).kernel(), "conv " + i);
            assertEquals(t.conv(i).stride(), w03.conv(i).stride(), "conv " + i);
        }
        for (int b = 0; b < t.blocks().size(); b++) {
            Block full = t.blocks().get(b);
            Block narrow = w03.blocks().get(b);
            assertEquals(ModelSpec.makeDivisible(full.outChannels() * 0.3, 8), narrow.outChannels(), "block " + b);
            assertEquals(full.midChannels() / full.inChannels() * narrow.inChannels(), narrow.midChannels(),
                    "block " + b + ": the same expand ratio");
            assertEquals(full.residual(), narrow.residual(), "block " + b);
        }
        assertEquals(1280, w03.classifier().inFeatures(), "the mix is scaled only above width 1");
    }

    private static String refusal(Path dir, Consumer<ObjectNode> change) throws IOException {
        ObjectNode c = config(16, MCUNET_5FPS, 0, 10, 96);
        change.accept(c);
        Path file = write(dir, "bad.json", c);
        String message = assertThrows(InvalidInputException.class, () -> MbConvConfigFile.read(file)).getMessage();
        assertTrue(message.startsWith("model config " + file + ": "), message);
        assertFalse(message.contains("\n"), "one line: " + message);
        return message.substring(("model config " + file + ": ").length());
    }

    private static ObjectNode conv(ObjectNode c, int block) {
        return (ObjectNode) c.get("blocks").get(block).get("mobile_inverted_conv");
    }

    @Test
    void configsThatAreNotMbConvNetworksAreRefusedNamingTheField(@TempDir Path dir) throws IOException {
        assertEquals("blocks[3].mobile_inverted_conv.use_se is true: squeeze-and-excitation is not supported",
                refusal(dir, c -> conv(c, 3).put("use_se", true)));
        assertEquals("blocks[2].mobile_inverted_conv.act_func is \"h_swish\": only relu6 is supported",
                refusal(dir, c -> conv(c, 2).put("act_func", "h_swish")));
        assertEquals("blocks[4].shortcut.name is 'ConvLayer', expected IdentityLayer",
                refusal(dir, c -> ((ObjectNode) c.get("blocks").get(4).get("shortcut")).put("name", "ConvLayer")));
        assertEquals("feature_mix_layer.name is 'LinearLayer', expected ConvLayer",
                refusal(dir, c -> c.putObject("feature_mix_layer").put("name", "LinearLayer")));
        assertEquals("blocks[5].mobile_inverted_conv.in_channels is 23, expected 24",
                refusal(dir, c -> conv(c, 5).put("in_channels", 23)));
        assertEquals("blocks[6]: kernel_size must be 3, 5 or 7, got 9",
                refusal(dir, c -> conv(c, 6).put("kernel_size", 9)));
        assertEquals("blocks[1].mobile_inverted_conv.name is 'ResNetBottleneckBlock', not an MBConv block"
                + " (MBInvertedConvLayer)", refusal(dir, c -> conv(c, 1).put("name", "ResNetBottleneckBlock")));
        assertEquals("classifier.in_features is 160, expected 99",
                refusal(dir, c -> c.putObject("feature_mix_layer").put("name", "ConvLayer").put("in_channels", 160)
                        .put("out_channels", 99).put("kernel_size", 1)));
        assertEquals("first_conv must be an object, got null", refusal(dir, c -> c.remove("first_conv")));
        assertEquals("resolution is missing (the input size the network was built for)",
                refusal(dir, c -> c.remove("resolution")));
        assertEquals("not a supported MBConv network: block 2 has an identity shortcut from 16 to 24 channels",
                refusal(dir, c -> {
                    conv(c, 2).put("out_channels", 24);
                    conv(c, 3).put("in_channels", 24);
                }));
    }

    @Test
    void aFileThatIsNotJsonIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.json");
        Files.writeString(file, "{ not json");
        assertTrue(assertThrows(InvalidInputException.class, () -> MbConvConfigFile.read(file)).getMessage()
                .startsWith("model config " + file + " is not JSON: "));
    }

    @Test
    void namedResolvesPresetsThenFilesAndRefusesTheRest(@TempDir Path dir) throws IOException {
        assertEquals(ModelSpec.preset("mcunet-5fps"), ModelSpec.named("MCUNET-5FPS"));
        Path file = write(dir, "net.json", config(16, MCUNET_5FPS, 0, 10, 128));
        assertEquals(ModelSpec.preset("mcunet-5fps"), ModelSpec.named(file.toString()));
        assertEquals("unknown model 'nope' (known: mbv2-320kb, mbv2-w0.35, mbv2-w1.0, mcunet-5fps, proxyless-w0.3;"
                + " or a network config JSON file)",
                assertThrows(InvalidInputException.class, () -> ModelSpec.named("nope")).getMessage());
    }
}
