package io.tinysparse.simulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinysparse.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@link ModelSpec} back from its JSON form ({@link ModelSpec#jsonForm()}), as stored in
 * run specs and provenance files. Unknown fields are refused, so a spec of a later version is
 * not silently read as another network.
 */
final class ModelSpecJson {
    private static final Set<String> MOBILENETV2 = Set.of("width_multiplier", "resolution", "num_classes",
            "feature_mix", "first_block_expansion", "feature_mix_channels");
    private static final Set<String> MBCONV = Set.of("mbconv", "resolution", "num_classes");
    private static final Set<String> NETWORK = Set.of("name", "first_conv_channels", "first_conv_kernel",
            "first_conv_stride", "blocks", "feature_mix_channels");
    private static final Set<String> BLOCK = Set.of("out_channels", "kernel_size", "stride", "mid_channels",
            "shortcut");

    private ModelSpecJson() {}

    static ModelSpec read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException("model spec must be a JSON object, got " + node);
        }
        if (node.has("mbconv")) {
            only(node, MBCONV, "model spec");
            return ModelSpec.of(network(node.get("mbconv")), integer(node, "resolution"), integer(node, "num_classes"));
        }
        only(node, MOBILENETV2, "model spec");
        return new ModelSpec(number(node, "width_multiplier"), integer(node, "resolution"),
                integer(node, "num_classes"), bool(node, "feature_mix"), integer(node, "first_block_expansion"),
                node.has("feature_mix_channels") ? integer(node, "feature_mix_channels") : 0, null);
    }

    private static MbConvNetwork network(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidInputException("model spec mbconv must be an object, got " + node);
        }
        only(node, NETWORK, "mbconv");
        JsonNode blocks = node.get("blocks");
        if (blocks == null || !blocks.isArray()) {
            throw new InvalidInputException("mbconv.blocks must be an array, got " + blocks);
        }
        List<MbConvBlock> list = new ArrayList<>();
        for (JsonNode b : blocks) {
            if (!b.isObject()) {
                throw new InvalidInputException("mbconv.blocks entries must be objects, got " + b);
            }
            only(b, BLOCK, "mbconv block");
            list.add(new MbConvBlock(integer(b, "out_channels"), integer(b, "kernel_size"), integer(b, "stride"),
                    integer(b, "mid_channels"), bool(b, "shortcut")));
        }
        JsonNode name = node.get("name");
        if (name == null || !name.isTextual()) {
            throw new InvalidInputException("mbconv.name must be a string, got " + name);
        }
        return new MbConvNetwork(name.textValue(), integer(node, "first_conv_channels"),
                integer(node, "first_conv_kernel"), integer(node, "first_conv_stride"), list,
                integer(node, "feature_mix_channels"));
    }

    private static void only(JsonNode node, Set<String> allowed, String what) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new InvalidInputException(what + " has an unknown field '" + f + "'");
            }
        }
    }

    private static int integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new InvalidInputException("model spec field " + field + " must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) {
            throw new InvalidInputException("model spec field " + field + " must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isBoolean()) {
            throw new InvalidInputException("model spec field " + field + " must be true or false, got " + v);
        }
        return v.booleanValue();
    }
}
