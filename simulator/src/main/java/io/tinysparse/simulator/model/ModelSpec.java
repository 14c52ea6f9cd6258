package io.tinysparse.simulator.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.text.PlainDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A network of the MBConv family for one input resolution and one number of classes;
 * {@link #layers()} gives its layer table. Two forms, one family:
 *
 * <ul>
 *   <li><b>MobileNetV2</b> ({@link #mbconv()} null): MobileNetV2 as tiny-training builds it, at
 *       any width. Channels are {@code makeDivisible(c * widthMultiplier, 8)} (TensorFlow's rule:
 *       round to the nearest multiple of 8, at least 8, and never more than 10 % below the exact
 *       value). The stem has 32 scaled channels; the seven stages are MobileNetV2's
 *       {@code (t, c, n, s)} = {@code (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1)
 *       (6,160,3,2) (6,320,1,1)}, with the first block's expansion configurable, 3 x 3 depthwise
 *       kernels throughout. A block has a residual add when its stride is 1, its input and output
 *       widths match and its expansion is &gt; 1. The optional feature mix is a 1 x 1 convolution to
 *       {@code featureMixChannels}, or by default to 1280 channels (scaled by the width only when
 *       the width is &gt; 1).</li>
 *   <li><b>MBConv</b> ({@link #mbconv()} given): any {@link MbConvNetwork} (ProxylessNAS, OFA,
 *       MCUNet), its channels, kernels, strides, expansions and shortcuts as listed. The
 *       MobileNetV2 parameters then hold neutral values: width 1, the network's feature mix,
 *       first-block expansion 1, no feature-mix override.</li>
 * </ul>
 *
 * <p>Both forms go through one {@link MbConvNetwork} ({@link #architecture()}) to the layer
 * table, so a MobileNetV2 spec and the MBConv spec of the same blocks have the same table.
 *
 * <p>Identity: the canonical JSON of a spec is part of every run id and backbone address.
 * The MobileNetV2 form writes exactly the five fields it always had ({@code width_multiplier,
 * resolution, num_classes, feature_mix, first_block_expansion}), plus {@code
 * feature_mix_channels} only when it is set; the MBConv form writes {@code resolution},
 * {@code num_classes} and the network under {@code mbconv}.
 *
 * @param widthMultiplier     channel width multiplier, in (0, 4]
 * @param resolution          input height and width in pixels (square), in [1, 4096]
 * @param numClasses          classifier outputs, in [1, 100000]
 * @param featureMix          whether the 1 x 1 feature-mix convolution precedes the classifier
 * @param firstBlockExpansion expansion ratio of the first block, in [1, 16] (1 = no expand conv)
 * @param featureMixChannels  MobileNetV2 form: width of the feature mix when it is not the
 *                            default rule's (0 = the rule), in [0, 100000]; needs the feature mix
 * @param mbconv              the network of the MBConv form, or null for the MobileNetV2 form
 */
public record ModelSpec(
        double widthMultiplier,
        int resolution,
        int numClasses,
        boolean featureMix,
        int firstBlockExpansion,
        int featureMixChannels,
        MbConvNetwork mbconv) {

    /** The largest input resolution, in pixels. */
    public static final int MAX_RESOLUTION = 4096;
    /** The largest number of classes. */
    public static final int MAX_CLASSES = 100_000;
    /** Channel counts are multiples of this. */
    public static final int CHANNEL_DIVISOR = 8;
    /** Input image channels (RGB; grey images are replicated to 3 channels by the datasets). */
    public static final int IMAGE_CHANNELS = 3;
    /** Stem width before scaling. */
    public static final int STEM_CHANNELS = 32;
    /** Feature-mix width before scaling (scaled only for widths &gt; 1). */
    public static final int FEATURE_MIX_CHANNELS = 1280;
    /** Expansion ratio of every block but the first. */
    public static final int EXPANSION = 6;

    /** MobileNetV2 stages: {expansion (0 = first-block setting), channels, repeats, stride}. */
    private static final int[][] STAGES = {
        {0, 16, 1, 1}, {EXPANSION, 24, 2, 2}, {EXPANSION, 32, 3, 2}, {EXPANSION, 64, 4, 2},
        {EXPANSION, 96, 3, 1}, {EXPANSION, 160, 3, 2}, {EXPANSION, 320, 1, 1},
    };

    private static final Map<ModelSpec, LayerTable> TABLES = new ConcurrentHashMap<>();

    public ModelSpec {
        if (!(widthMultiplier > 0 && widthMultiplier <= 4)) {
            throw new InvalidInputException("widthMultiplier must be in (0, 4], got " + widthMultiplier);
        }
        if (resolution < 1 || resolution > MAX_RESOLUTION) {
            throw new InvalidInputException("resolution must be in [1, " + MAX_RESOLUTION + "], got " + resolution);
        }
        if (numClasses < 1 || numClasses > MAX_CLASSES) {
            throw new InvalidInputException("numClasses must be in [1, " + MAX_CLASSES + "], got " + numClasses);
        }
        if (firstBlockExpansion < 1 || firstBlockExpansion > 16) {
            throw new InvalidInputException("firstBlockExpansion must be in [1, 16], got " + firstBlockExpansion);
        }
        if (featureMixChannels < 0 || featureMixChannels > MbConvBlock.MAX_CHANNELS) {
            throw new InvalidInputException("featureMixChannels must be in [0, " + MbConvBlock.MAX_CHANNELS
                    + "], got " + featureMixChannels);
        }
        if (featureMixChannels > 0 && !featureMix) {
            throw new InvalidInputException("featureMixChannels " + featureMixChannels + " needs the feature mix");
        }
        if (mbconv != null && (widthMultiplier != 1.0 || featureMix != mbconv.featureMix() || firstBlockExpansion != 1
                || featureMixChannels != 0)) {
            throw new InvalidInputException("an MBConv spec (" + mbconv.name() + ") takes its widths, feature mix and"
                    + " expansions from its network, not from MobileNetV2 parameters");
        }
    }

    /** A MobileNetV2 spec with the default feature-mix width (the form every earlier version knew). */
    public ModelSpec(double widthMultiplier, int resolution, int numClasses, boolean featureMix,
            int firstBlockExpansion) {
        this(widthMultiplier, resolution, numClasses, featureMix, firstBlockExpansion, 0, null);
    }

    /** The MBConv spec of {@code network} at {@code resolution} with {@code numClasses} outputs. */
    public static ModelSpec of(MbConvNetwork network, int resolution, int numClasses) {
        java.util.Objects.requireNonNull(network, "network");
        return new ModelSpec(1.0, resolution, numClasses, network.featureMix(), 1, 0, network);
    }

    /**
     * A named preset (see {@link ModelPresets}).
     *
     * @throws InvalidInputException for an unknown name
     */
    public static ModelSpec preset(String name) {
        return ModelPresets.get(name);
    }

    /**
     * What a command's {@code --model NAME|FILE} names: a preset, or else a network config in
     * the OFA/ProxylessNAS JSON format ({@link MbConvConfigFile}).
     *
     * @throws InvalidInputException for an unknown name that is no file, or a file that is not an
     *     MBConv network (naming the field)
     */
    public static ModelSpec named(String nameOrFile) {
        if (nameOrFile != null && ModelPresets.has(nameOrFile)) {
            return ModelPresets.get(nameOrFile);
        }
        java.nio.file.Path file = null;
        try {
            file = nameOrFile == null ? null : java.nio.file.Path.of(nameOrFile);
        } catch (java.nio.file.InvalidPathException e) {
            // not a file name either: reported as an unknown model below
        }
        if (file != null && java.nio.file.Files.isRegularFile(file)) {
            return MbConvConfigFile.read(file);
        }
        throw new InvalidInputException("unknown model '" + nameOrFile + "' (known: " + presetNames()
                + "; or a network config JSON file)");
    }

    /** Names accepted by {@link #preset(String)}, sorted. */
    public static String presetNames() {
        return ModelPresets.names();
    }

    /** Whether this is the MobileNetV2 form (width, stages and expansion by rule). */
    public boolean isMobileNetV2() {
        return mbconv == null;
    }

    /**
     * The JSON form of this spec (see the class comment): what {@link
     * io.tinysparse.core.hash.CanonicalJson} hashes into run ids and backbone addresses.
     */
    @JsonValue
    public Map<String, Object> jsonForm() {
        // in the order the record's fields had when Jackson wrote them itself
        Map<String, Object> m = new LinkedHashMap<>();
        if (mbconv == null) {
            m.put("width_multiplier", widthMultiplier);
        }
        m.put("resolution", resolution);
        m.put("num_classes", numClasses);
        if (mbconv == null) {
            m.put("feature_mix", featureMix);
            m.put("first_block_expansion", firstBlockExpansion);
            if (featureMixChannels != 0) {
                m.put("feature_mix_channels", featureMixChannels);
            }
        } else {
            m.put("mbconv", mbconv);
        }
        return m;
    }

    /** Reads {@link #jsonForm()} back (either form). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ModelSpec fromJson(JsonNode node) {
        return ModelSpecJson.read(node);
    }

    /** The same model at another input resolution. */
    public ModelSpec withResolution(int newResolution) {
        return new ModelSpec(widthMultiplier, newResolution, numClasses, featureMix, firstBlockExpansion,
                featureMixChannels, mbconv);
    }

    /** The same model with another number of classes. */
    public ModelSpec withClasses(int newNumClasses) {
        return new ModelSpec(widthMultiplier, resolution, newNumClasses, featureMix, firstBlockExpansion,
                featureMixChannels, mbconv);
    }

    /**
     * The same MobileNetV2 model with or without the feature-mix convolution (without it, any
     * feature-mix width is dropped too).
     *
     * @throws InvalidInputException for an MBConv spec, whose feature mix is part of its network
     */
    public ModelSpec withFeatureMix(boolean newFeatureMix) {
        requireMobileNetV2("the feature mix");
        return new ModelSpec(widthMultiplier, resolution, numClasses, newFeatureMix, firstBlockExpansion,
                newFeatureMix ? featureMixChannels : 0, null);
    }

    /**
     * Throws unless this is the MobileNetV2 form: {@code what} (a MobileNetV2 parameter) cannot be
     * set on an MBConv network, whose widths and blocks its config fixes.
     */
    public void requireMobileNetV2(String what) {
        if (mbconv != null) {
            throw new InvalidInputException(what + " is a MobileNetV2 parameter; model '" + mbconv.name()
                    + "' is an MBConv network whose config fixes it");
        }
    }

    /**
     * A short human-readable name: {@code mbv2-w0.35-nomix@128/10} (MobileNetV2 form: width,
     * {@code -nomix} without a feature mix, {@code -mixC} for a feature mix of C channels other
     * than the rule's, {@code -t1xT} for a first-block expansion T), or the network's name for the
     * MBConv form, e.g. {@code mcunet-5fps@128/10}.
     */
    public String label() {
        if (mbconv != null) {
            return mbconv.name() + "@" + resolution + "/" + numClasses;
        }
        String w = PlainDecimal.of(widthMultiplier);
        if (!w.contains(".")) {
            w = w + ".0";
        }
        return "mbv2-w" + w + (featureMix ? "" : "-nomix") + (featureMixChannels == 0 ? "" : "-mix" + featureMixChannels)
                + (firstBlockExpansion == 1 ? "" : "-t1x" + firstBlockExpansion) + "@" + resolution + "/" + numClasses;
    }

    /** The layer table (built once per spec and shared; it is immutable). */
    public LayerTable layers() {
        return TABLES.computeIfAbsent(this, s -> LayerTable.of(s, s.architecture()));
    }

    /**
     * The blocks this spec builds: its {@link #mbconv()} network, or the MobileNetV2 rules
     * (class comment) written out as one, named by its label's width part.
     */
    public MbConvNetwork architecture() {
        if (mbconv != null) {
            return mbconv;
        }
        double w = widthMultiplier;
        int channels = makeDivisible(STEM_CHANNELS * w, CHANNEL_DIVISOR);
        int stem = channels;
        List<MbConvBlock> blocks = new ArrayList<>();
        for (int[] stage : STAGES) {
            int t = stage[0] == 0 ? firstBlockExpansion : stage[0];
            int out = makeDivisible(stage[1] * w, CHANNEL_DIVISOR);
            for (int i = 0; i < stage[2]; i++) {
                int stride = i == 0 ? stage[3] : 1;
                boolean residual = t > 1 && stride == 1 && channels == out;
                int mid = t > 1 ? makeDivisible(channels * (double) t, CHANNEL_DIVISOR) : 0;
                blocks.add(new MbConvBlock(out, 3, stride, mid, residual));
                channels = out;
            }
        }
        int mix = 0;
        if (featureMix) {
            mix = featureMixChannels > 0 ? featureMixChannels
                    : widthMultiplier > 1.0 ? makeDivisible(FEATURE_MIX_CHANNELS * w, CHANNEL_DIVISOR)
                    : FEATURE_MIX_CHANNELS;
        }
        String name = label();
        return new MbConvNetwork(name.substring(0, name.indexOf('@')), stem, 3, 2, blocks, mix);
    }

    /**
     * TensorFlow's {@code make_divisible}: the multiple of {@code divisor} nearest to {@code v},
     * at least {@code divisor}, bumped up by one divisor if rounding lost more than 10 %.
     */
    public static int makeDivisible(double v, int divisor) {
        int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * v) {
            rounded += divisor;
        }
        return rounded;
    }
}
