package io.tinysparse.simulator.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A member of the MobileNetV2 family, as tiny-training builds it, for one input resolution and
 * one number of classes. {@link #layers()} gives its layer table.
 *
 * <p>Channels are {@code makeDivisible(c * widthMultiplier, 8)} (TensorFlow's rule: round to the
 * nearest multiple of 8, at least 8, and never more than 10 % below the exact value). The stem
 * has 32 scaled channels; the seven stages are MobileNetV2's {@code (t, c, n, s)} =
 * {@code (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1)}, with the
 * first block's expansion configurable. A block has a residual add when its stride is 1, its
 * input and output widths match and its expansion is &gt; 1. The optional feature mix is a 1 x 1
 * convolution to 1280 channels (scaled by the width only when the width is &gt; 1), followed by
 * global average pooling and the linear classifier.
 *
 * @param widthMultiplier     channel width multiplier, in (0, 4]
 * @param resolution          input height and width in pixels (square), in [1, 4096]
 * @param numClasses          classifier outputs, in [1, 100000]
 * @param featureMix          whether the 1 x 1 feature-mix convolution precedes the classifier
 * @param firstBlockExpansion expansion ratio of the first block, in [1, 16] (1 = no expand conv)
 */
public record ModelSpec(
        @JsonProperty("width_multiplier") double widthMultiplier,
        @JsonProperty("resolution") int resolution,
        @JsonProperty("num_classes") int numClasses,
        @JsonProperty("feature_mix") boolean featureMix,
        @JsonProperty("first_block_expansion") int firstBlockExpansion) {

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

    private static final Map<String, ModelSpec> PRESETS = Map.of(
            "mbv2-w0.35", new ModelSpec(0.35, 128, 10, false, 1),
            "mbv2-w1.0", new ModelSpec(1.0, 224, 1000, true, 1));

    private static final Map<ModelSpec, LayerTable> TABLES = new ConcurrentHashMap<>();

    public ModelSpec {
        if (!(widthMultiplier > 0 && widthMultiplier <= 4)) {
            throw new InvalidInputException("widthMultiplier must be in (0, 4], got " + widthMultiplier);
        }
        if (resolution < 1 || resolution > 4096) {
            throw new InvalidInputException("resolution must be in [1, 4096], got " + resolution);
        }
        if (numClasses < 1 || numClasses > 100_000) {
            throw new InvalidInputException("numClasses must be in [1, 100000], got " + numClasses);
        }
        if (firstBlockExpansion < 1 || firstBlockExpansion > 16) {
            throw new InvalidInputException("firstBlockExpansion must be in [1, 16], got " + firstBlockExpansion);
        }
    }

    /**
     * A named preset: {@code mbv2-w0.35} (128 x 128, 10 classes, no feature mix: the 51-conv
     * reference network of tiny-training) or {@code mbv2-w1.0} (224 x 224, 1000 classes, with the
     * 1280-channel feature mix: standard MobileNetV2).
     *
     * @throws InvalidInputException for an unknown name
     */
    public static ModelSpec preset(String name) {
        ModelSpec spec = name == null ? null : PRESETS.get(name.toLowerCase(Locale.ROOT));
        if (spec == null) {
            throw new InvalidInputException("unknown model '" + name + "' (known: " + presetNames() + ")");
        }
        return spec;
    }

    /** Names accepted by {@link #preset(String)}, sorted. */
    public static String presetNames() {
        return String.join(", ", new java.util.TreeSet<>(PRESETS.keySet()));
    }

    /** The same model at another input resolution. */
    public ModelSpec withResolution(int newResolution) {
        return new ModelSpec(widthMultiplier, newResolution, numClasses, featureMix, firstBlockExpansion);
    }

    /** The same model with another number of classes. */
    public ModelSpec withClasses(int newNumClasses) {
        return new ModelSpec(widthMultiplier, resolution, newNumClasses, featureMix, firstBlockExpansion);
    }

    /** The same model with or without the feature-mix convolution. */
    public ModelSpec withFeatureMix(boolean newFeatureMix) {
        return new ModelSpec(widthMultiplier, resolution, numClasses, newFeatureMix, firstBlockExpansion);
    }

    /** A short human-readable name, e.g. {@code mbv2-w0.35-nomix@128/10}. */
    public String label() {
        String w = java.math.BigDecimal.valueOf(widthMultiplier).stripTrailingZeros().toPlainString();
        if (!w.contains(".")) {
            w = w + ".0";
        }
        return "mbv2-w" + w + (featureMix ? "" : "-nomix")
                + (firstBlockExpansion == 1 ? "" : "-t1x" + firstBlockExpansion) + "@" + resolution + "/" + numClasses;
    }

    /** The layer table (built once per spec and shared; it is immutable). */
    public LayerTable layers() {
        return TABLES.computeIfAbsent(this, ModelSpec::build);
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

    private static LayerTable build(ModelSpec spec) {
        LayerTable.Builder b = new LayerTable.Builder(spec);
        double w = spec.widthMultiplier;
        int channels = makeDivisible(STEM_CHANNELS * w, CHANNEL_DIVISOR);
        b.conv(LayerKind.CONV, LayerRole.STEM, -1, IMAGE_CHANNELS, channels, 3, 2, true, -1);
        int blockIndex = 0;
        for (int[] stage : STAGES) {
            int t = stage[0] == 0 ? spec.firstBlockExpansion : stage[0];
            int out = makeDivisible(stage[1] * w, CHANNEL_DIVISOR);
            for (int i = 0; i < stage[2]; i++) {
                int stride = i == 0 ? stage[3] : 1;
                boolean residual = t > 1 && stride == 1 && channels == out;
                b.block(blockIndex++, channels, out, t, 3, stride, residual);
                channels = out;
            }
        }
        if (spec.featureMix) {
            int mix = spec.widthMultiplier > 1.0
                    ? makeDivisible(FEATURE_MIX_CHANNELS * w, CHANNEL_DIVISOR) : FEATURE_MIX_CHANNELS;
            b.conv(LayerKind.POINTWISE, LayerRole.FEATURE_MIX, -1, channels, mix, 1, 1, true, -1);
            channels = mix;
        }
        return b.build(new LinearLayer(channels, spec.numClasses));
    }
}
