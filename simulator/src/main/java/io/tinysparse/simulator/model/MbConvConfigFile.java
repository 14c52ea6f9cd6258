package io.tinysparse.simulator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a network config in the OFA/ProxylessNAS JSON format, as users have it from
 * mit-han-lab/tinyml, once-for-all and ProxylessNAS ({@code first_conv}, {@code blocks} of
 * {@code mobile_inverted_conv} (or {@code conv}) and {@code shortcut}, {@code feature_mix_layer},
 * {@code classifier}, {@code resolution}), into an MBConv {@link ModelSpec}.
 *
 * <p>What is accepted is exactly what the layer table can describe: a dense first
 * {@code ConvLayer} on 3 channels; {@code MBInvertedConvLayer}/{@code MBConvLayer} blocks with
 * kernel 3, 5 or 7, stride 1 or 2, ReLU6, no squeeze-and-excitation, an expand ratio (1 = no
 * expand conv) and optional {@code mid_channels} (else {@code round(in * expand_ratio)}, as
 * tiny-training's {@code MBInvertedConvLayer} computes it), and a shortcut that is either none
 * or an {@code IdentityLayer}; {@code ZeroLayer} blocks with an identity shortcut (ProxylessNAS's
 * skipped blocks) hold no convolution and are left out; an optional 1 x 1 {@code ConvLayer}
 * feature mix; a {@code LinearLayer} classifier, whose {@code out_features} is the class count.
 * Anything else is refused with one line naming the field, so a network that is not an MBConv
 * network is never silently approximated.
 *
 * <p>The network is named after the file (lower-cased, {@code _imagenet} and the extension
 * dropped), or after the preset whose blocks it has, so a preset's own config file and the
 * preset give the same backbone and run ids at the same resolution and class count; a file
 * named like a preset but with other blocks gets {@code -custom} appended.
 */
public final class MbConvConfigFile {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MbConvConfigFile() {}

    /**
     * The spec {@code file} describes, at its {@code resolution} with its classifier's classes.
     *
     * @throws InvalidInputException naming the file and the field when it cannot be read or is not
     *     an MBConv network
     */
    public static ModelSpec read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("model config " + file + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException("model config " + file + " cannot be read: " + e.getMessage());
        }
        try {
            return parse(root, nameOf(file));
        } catch (InvalidInputException e) {
            throw new InvalidInputException("model config " + file + ": " + e.getMessage(), e);
        }
    }

    /** The spec {@code root} (a parsed config) describes, its network called {@code name} unless it is a preset's. */
    public static ModelSpec parse(JsonNode root, String name) {
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("a network config must be a JSON object");
        }
        JsonNode first = object(root, "first_conv");
        expectName(first, "first_conv", "ConvLayer");
        expectInt(first, "first_conv", "in_channels", 3);
        expectInt(first, "first_conv", "groups", 1);
        expectInt(first, "first_conv", "dilation", 1);
        relu6(first, "first_conv");
        int stem = integer(first, "first_conv", "out_channels");
        int stemKernel = integer(first, "first_conv", "kernel_size");
        int stemStride = integer(first, "first_conv", "stride");

        JsonNode blocks = root.get("blocks");
        if (blocks == null || !blocks.isArray() || blocks.isEmpty()) {
            throw new InvalidInputException("blocks must be a non-empty array, got " + blocks);
        }
        List<MbConvBlock> list = new ArrayList<>();
        int channels = stem;
        for (int i = 0; i < blocks.size(); i++) {
            MbConvBlock b = block(blocks.get(i), "blocks[" + i + "]", channels);
            if (b != null) {
                list.add(b);
                channels = b.outChannels();
            }
        }

        int mix = 0;
        JsonNode mixNode = root.get("feature_mix_layer");
        if (mixNode != null && !mixNode.isNull()) {
            expectName(mixNode, "feature_mix_layer", "ConvLayer");
            expectInt(mixNode, "feature_mix_layer", "in_channels", channels);
            expectInt(mixNode, "feature_mix_layer", "kernel_size", 1);
            expectInt(mixNode, "feature_mix_layer", "stride", 1);
            expectInt(mixNode, "feature_mix_layer", "groups", 1);
            relu6(mixNode, "feature_mix_layer");
            mix = integer(mixNode, "feature_mix_layer", "out_channels");
            channels = mix;
        }

        JsonNode classifier = object(root, "classifier");
        expectName(classifier, "classifier", "LinearLayer");
        expectInt(classifier, "classifier", "in_features", channels);
        int classes = integer(classifier, "classifier", "out_features");
        if (root.get("resolution") == null) {
            throw new InvalidInputException("resolution is missing (the input size the network was built for)");
        }
        int resolution = integer(root, "config", "resolution");

        MbConvNetwork network;
        try {
            network = new MbConvNetwork(name, stem, stemKernel, stemStride, list, mix);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("not a supported MBConv network: " + e.getMessage(), e);
        }
        MbConvNetwork named = network;
        for (MbConvNetwork preset : ModelPresets.mbconvNetworks()) {
            if (preset.withName(name).equals(network)) {
                return ModelSpec.of(preset, resolution, classes);
            }
            if (preset.name().equals(name)) {
                // a preset's name on other blocks: labels must not pass one network off as the other
                named = network.withName(name + "-custom");
            }
        }
        return ModelSpec.of(named, resolution, classes);
    }

    /** One block, or null for a skipped (zero) block; {@code in} is the width entering it. */
    private static MbConvBlock block(JsonNode node, String at, int in) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(at + " must be an object, got " + node);
        }
        String convKey = node.has("mobile_inverted_conv") ? "mobile_inverted_conv" : "conv";
        JsonNode conv = object(node, convKey, at);
        String where = at + "." + convKey;
        JsonNode shortcutNode = node.get("shortcut");
        boolean shortcut = false;
        if (shortcutNode != null && !shortcutNode.isNull()) {
            expectName(shortcutNode, at + ".shortcut", "IdentityLayer");
            shortcut = true;
        }
        String kind = text(conv, where, "name");
        if (kind.equals("ZeroLayer")) {
            if (!shortcut) {
                throw new InvalidInputException(where + ": a ZeroLayer block without an identity shortcut outputs"
                        + " zeros");
            }
            expectInt(conv, where, "stride", 1);
            return null;
        }
        if (!kind.equals("MBInvertedConvLayer") && !kind.equals("MBConvLayer")) {
            throw new InvalidInputException(where + ".name is '" + kind + "', not an MBConv block (MBInvertedConvLayer)");
        }
        expectInt(conv, where, "in_channels", in);
        JsonNode se = conv.get("use_se");
        if (se != null && !se.isNull() && !(se.isBoolean() && !se.booleanValue())) {
            throw new InvalidInputException(where + ".use_se is " + se + ": squeeze-and-excitation is not supported");
        }
        relu6(conv, where);
        JsonNode groups = conv.get("groups");
        if (groups != null && !groups.isNull()) {
            throw new InvalidInputException(where + ".groups is " + groups + ": grouped 1x1 convolutions are not"
                    + " supported");
        }
        JsonNode ratioNode = conv.get("expand_ratio");
        if (ratioNode == null || !ratioNode.isNumber() || !(ratioNode.doubleValue() >= 1)) {
            throw new InvalidInputException(where + ".expand_ratio must be a number >= 1, got " + ratioNode);
        }
        double ratio = ratioNode.doubleValue();
        int mid = 0;
        if (ratio != 1) {
            JsonNode midNode = conv.get("mid_channels");
            mid = midNode == null || midNode.isNull() ? (int) Math.round(in * ratio)
                    : integer(conv, where, "mid_channels");
        }
        try {
            return new MbConvBlock(integer(conv, where, "out_channels"), integer(conv, where, "kernel_size"),
                    integer(conv, where, "stride"), mid, shortcut);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(at + ": " + e.getMessage(), e);
        }
    }

    /** {@code file}'s name, lower-case, without its extension and a trailing {@code _imagenet}. */
    static String nameOf(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        if (dot > 0) {
            n = n.substring(0, dot);
        }
        if (n.endsWith("_imagenet")) {
            n = n.substring(0, n.length() - "_imagenet".length());
        }
        n = n.replaceAll("[^a-z0-9._-]", "-");
        if (n.isEmpty() || !Character.isLetterOrDigit(n.charAt(0))) {
            n = "net" + n;
        }
        return n.length() > 64 ? n.substring(0, 64) : n;
    }

    private static JsonNode object(JsonNode parent, String field) {
        return object(parent, field, null);
    }

    private static JsonNode object(JsonNode parent, String field, String at) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isObject()) {
            throw new InvalidInputException((at == null ? "" : at + ".") + field + " must be an object, got " + n);
        }
        return n;
    }

    private static void expectName(JsonNode node, String where, String name) {
        if (!node.isObject()) {
            throw new InvalidInputException(where + " must be an object, got " + node);
        }
        String got = text(node, where, "name");
        if (!got.equals(name)) {
            throw new InvalidInputException(where + ".name is '" + got + "', expected " + name);
        }
    }

    private static void relu6(JsonNode node, String where) {
        JsonNode act = node.get("act_func");
        if (act != null && !act.isNull() && !"relu6".equals(act.asText())) {
            throw new InvalidInputException(where + ".act_func is " + act + ": only relu6 is supported");
        }
    }

    private static void expectInt(JsonNode node, String where, String field, int expected) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        int got = integer(node, where, field);
        if (got != expected) {
            throw new InvalidInputException(where + "." + field + " is " + got + ", expected " + expected);
        }
    }

    private static int integer(JsonNode node, String where, String field) {
        JsonNode v = node.get(field);
        if (v != null && v.isArray() && v.size() == 1) {
            v = v.get(0); // OFA writes some widths and kernel sizes as one-element lists
        }
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidInputException(where + "." + field + " must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static String text(JsonNode node, String where, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new InvalidInputException(where + "." + field + " must be a string, got " + v);
        }
        return v.textValue();
    }
}
