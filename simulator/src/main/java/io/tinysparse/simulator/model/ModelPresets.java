package io.tinysparse.simulator.model;

import io.tinysparse.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The named networks of tinysparse, as the publications that use them describe them.
 *
 * <ul>
 *   <li>{@code mbv2-w0.35}: MobileNetV2 w0.35 as tiny-training trains it, 128 x 128, 10 classes,
 *       no feature mix (the 51-conv reference network of METHODS.md section 4).</li>
 *   <li>{@code mbv2-w1.0}: standard MobileNetV2, 224 x 224, 1000 classes, 1280-channel mix.</li>
 *   <li>{@code mbv2-320kb}: the MCUNet model zoo's MobileNetV2 w0.35 at 144 x 144 with a
 *       448-channel feature mix and 1000 classes (mit-han-lab/tinyml
 *       {@code mcunet/assets/configs/mbv2-w0.35-r144_imagenet.json}).</li>
 *   <li>{@code mcunet-5fps}: MCUNet's 5 FPS ImageNet network (same repository,
 *       {@code mcunet-5fps_imagenet.json}): 14 blocks with kernels 3/5/7 and expand ratios
 *       1-6, no feature mix, 42 convolutions; at 128 x 128 with 10 classes, as tiny-training
 *       compiles it ({@code compilation/mcu_ir_gen.py}: {@code rs = 128}, {@code num_classes = 10}).</li>
 *   <li>{@code proxyless-w0.3}: ProxylessNAS mobile ({@code proxyless_mobile.json}) at width
 *       0.3, every width {@code makeDivisible(c * 0.3, 8)} as OFA rounds it (the feature mix, by
 *       OFA's rule, stays 1280),
 *       its two skipped (zero) blocks left out: 20 blocks and the feature mix, 61 convolutions
 *       (tiny-training's proxyless schemes update weights up to conv 57 and biases up to 60); at
 *       128 x 128 with 10 classes like {@code mcunet-5fps}.</li>
 * </ul>
 *
 * The MBConv presets are written here as the configs' facts (per block: output channels at
 * width 1, kernel, stride, expand ratio, identity shortcut), not read from files.
 */
final class ModelPresets {
    private ModelPresets() {}

    /** Resolution and class count tiny-training compiles its networks with. */
    private static final int TINY_TRAINING_RESOLUTION = 128;
    private static final int TINY_TRAINING_CLASSES = 10;

    /** mcunet-5fps_imagenet.json: {out, kernel, stride, expand ratio, identity shortcut (1/0)}. */
    private static final int[][] MCUNET_5FPS = {
        {8, 3, 1, 1, 0}, {16, 3, 2, 4, 0}, {16, 3, 1, 3, 1}, {24, 7, 2, 3, 0}, {24, 3, 1, 5, 1},
        {40, 3, 2, 5, 0}, {40, 7, 1, 4, 1}, {48, 5, 1, 4, 0}, {48, 3, 1, 3, 1}, {48, 3, 1, 4, 1},
        {96, 7, 2, 5, 0}, {96, 5, 1, 4, 1}, {96, 5, 1, 4, 1}, {160, 3, 1, 6, 0},
    };

    /** proxyless_mobile.json at width 1, its ZeroLayer blocks left out (they hold no convolution). */
    private static final int[][] PROXYLESS_MOBILE = {
        {16, 3, 1, 1, 0},
        {32, 5, 2, 3, 0}, {32, 3, 1, 3, 1},
        {40, 7, 2, 3, 0}, {40, 3, 1, 3, 1}, {40, 5, 1, 3, 1}, {40, 5, 1, 3, 1},
        {80, 7, 2, 6, 0}, {80, 5, 1, 3, 1}, {80, 5, 1, 3, 1}, {80, 5, 1, 3, 1},
        {96, 5, 1, 6, 0}, {96, 5, 1, 3, 1}, {96, 5, 1, 3, 1}, {96, 5, 1, 3, 1},
        {192, 7, 2, 6, 0}, {192, 7, 1, 6, 1}, {192, 7, 1, 3, 1}, {192, 7, 1, 3, 1},
        {320, 7, 1, 6, 0},
    };

    private static final Map<String, ModelSpec> PRESETS = Map.of(
            "mbv2-w0.35", new ModelSpec(0.35, 128, 10, false, 1),
            "mbv2-w1.0", new ModelSpec(1.0, 224, 1000, true, 1),
            "mbv2-320kb", new ModelSpec(0.35, 144, 1000, true, 1, 448, null),
            "mcunet-5fps", ModelSpec.of(scaled("mcunet-5fps", 1.0, 16, MCUNET_5FPS, 0),
                    TINY_TRAINING_RESOLUTION, TINY_TRAINING_CLASSES),
            "proxyless-w0.3", ModelSpec.of(scaled("proxyless-w0.3", 0.3, 32, PROXYLESS_MOBILE, 1280),
                    TINY_TRAINING_RESOLUTION, TINY_TRAINING_CLASSES));

    /**
     * The preset called {@code name} (case-insensitive).
     *
     * @throws InvalidInputException for an unknown name
     */
    static ModelSpec get(String name) {
        ModelSpec spec = name == null ? null : PRESETS.get(name.toLowerCase(Locale.ROOT));
        if (spec == null) {
            throw new InvalidInputException("unknown model '" + name + "' (known: " + names() + ")");
        }
        return spec;
    }

    /** Whether {@code name} (case-insensitive) is a preset. */
    static boolean has(String name) {
        return PRESETS.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** The preset names, sorted, comma-separated. */
    static String names() {
        return String.join(", ", new TreeSet<>(PRESETS.keySet()));
    }

    /** The MBConv presets' networks, for recognising a config file that describes one of them. */
    static List<MbConvNetwork> mbconvNetworks() {
        List<MbConvNetwork> networks = new ArrayList<>();
        for (ModelSpec s : PRESETS.values()) {
            if (!s.isMobileNetV2()) {
                networks.add(s.mbconv());
            }
        }
        return networks;
    }

    /**
     * A network from per-block facts at width 1, every width scaled by {@code width} and rounded
     * by {@link ModelSpec#makeDivisible} (none at width 1: the configs' widths are multiples of
     * 8); the expanded width is the block input times the expand ratio. The feature mix, as
     * OFA's builders do, is scaled only above width 1 (so proxyless-w0.3 keeps 1280 channels:
     * tiny-training's "98kb" proxyless scheme then comes to 93.3 KiB by the Lin et al. formula,
     * against 87.2 KiB with a mix scaled to 384 as the MCUNet zoo scales its mbv2-w0.35's to 448).
     */
    private static MbConvNetwork scaled(String name, double width, int stem, int[][] rows, int featureMix) {
        int in = channels(stem, width);
        List<MbConvBlock> blocks = new ArrayList<>();
        for (int[] r : rows) {
            int out = channels(r[0], width);
            blocks.add(new MbConvBlock(out, r[1], r[2], r[3] == 1 ? 0 : in * r[3], r[4] == 1));
            in = out;
        }
        int mix = featureMix == 0 || width <= 1 ? featureMix : channels(featureMix, width);
        return new MbConvNetwork(name, channels(stem, width), 3, 2, blocks, mix);
    }

    private static int channels(int c, double width) {
        return width == 1.0 ? c : ModelSpec.makeDivisible(c * width, ModelSpec.CHANNEL_DIVISOR);
    }
}
