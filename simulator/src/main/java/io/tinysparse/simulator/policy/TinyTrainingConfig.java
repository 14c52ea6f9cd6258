package io.tinysparse.simulator.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses tiny-training's {@code backward_config} keys with the semantics of its
 * {@code parsed_backward_config} and {@code prepare_model_for_backward_config}; see
 * {@link PolicyJson} for the accepted keys and forms.
 */
final class TinyTrainingConfig {
    private static final Set<String> KEYS = Set.of("enable_backward_config", "n_bias_update", "n_weight_update",
            "weight_update_ratio", "weight_select_criteria", "pw1_weight_only", "manual_weight_idx",
            "quantize_gradient", "freeze_fc", "train_scale");

    private TinyTrainingConfig() {}

    static SparseUpdatePolicy parse(ObjectNode node, ModelSpec model) {
        PolicyJson.checkKeys(node, KEYS, "backward_config");
        for (String unsupported : List.of("quantize_gradient", "train_scale")) {
            if (flag(node, unsupported, false)) {
                throw new InvalidInputException("backward_config " + unsupported + "=" + node.get(unsupported)
                        + " is not supported by tinysparse (only 0)");
            }
        }
        boolean trainClassifier = !flag(node, "freeze_fc", false);
        ChannelSelection selection = ChannelSelection.DEFAULT;
        JsonNode crit = node.get("weight_select_criteria");
        if (crit != null && !crit.isNull()) {
            if (!crit.isTextual()) {
                throw new InvalidInputException("weight_select_criteria must be a name, got " + crit);
            }
            SelectionStrategy s = SelectionStrategy.parse(crit.textValue());
            if (s.tinyTrainingCriterion().isEmpty()) {
                throw new InvalidInputException("weight_select_criteria '" + crit.textValue()
                        + "' is not a tiny-training criterion (" + SelectionStrategy.tinyTrainingCriteria() + ")");
            }
            selection = ChannelSelection.of(s);
        }

        if (!flag(node, "enable_backward_config", true)) {
            // tiny-training then ignores the rest and trains everything.
            LayerTable table = needModel(model, "enable_backward_config=0");
            List<WeightUpdate> all = new ArrayList<>();
            for (int i = 0; i < table.convCount(); i++) {
                all.add(WeightUpdate.full(i));
            }
            return new SparseUpdatePolicy(table.convCount(), all, selection, trainClassifier);
        }

        int bias = countOrAll(node, "n_bias_update", model, true);
        List<Integer> idx = indexList(node.get("manual_weight_idx"));
        if (idx == null) {
            JsonNode nw = node.get("n_weight_update");
            if (nw == null || nw.isNull()) {
                idx = List.of();
            } else {
                int n = countOrAll(node, "n_weight_update", model, false);
                if (nw.isTextual() && nw.textValue().trim().equals("all")) {
                    n = bias;
                }
                int convs = n == 0 ? 0 : needModel(model, "n_weight_update=" + nw).convCount();
                TreeSet<Integer> last = new TreeSet<>();
                for (int i = 0; i < n; i++) {
                    last.add(convs - 1 - i);
                }
                idx = new ArrayList<>(last);
            }
        }
        if (flag(node, "pw1_weight_only", false)) {
            LayerTable table = needModel(model, "pw1_weight_only=1");
            List<Integer> kept = new ArrayList<>();
            for (int i : idx) {
                if (i >= 0 && i < table.convCount() && isPw1(table.conv(i))) {
                    kept.add(i);
                }
            }
            idx = kept;
        }
        List<Double> ratios = ratioList(node.get("weight_update_ratio"), idx.size());
        List<WeightUpdate> weights = new ArrayList<>();
        for (int i = 0; i < idx.size(); i++) {
            double r = ratios.get(i);
            int layer = idx.get(i);
            if (r == 0) {
                continue; // int(C_in * 0) = 0 channels: tiny-training trains this layer's bias only
            }
            if (r < 0) {
                throw new InvalidInputException("weight_update_ratio " + r + " of layer " + layer + " must be >= 0");
            }
            if (r <= 1) {
                weights.add(new WeightUpdate(layer, r, null));
            } else if (r == Math.rint(r) && r <= Integer.MAX_VALUE) {
                weights.add(new WeightUpdate(layer, null, (int) r));
            } else {
                throw new InvalidInputException("weight_update_ratio " + r + " of layer " + layer
                        + " must be a fraction <= 1 or an integer channel count");
            }
        }
        return new SparseUpdatePolicy(bias, weights, selection, trainClassifier);
    }

    /** tiny-training's {@code _is_pw1}: a 1x1 convolution that widens (the expand convs, and the feature mix if any). */
    private static boolean isPw1(ConvLayer c) {
        return c.kernel() == 1 && c.outChannels() > c.inChannels();
    }

    private static LayerTable needModel(ModelSpec model, String what) {
        if (model == null) {
            throw new InvalidInputException("backward_config " + what + " needs the model (give --model)");
        }
        return model.layers();
    }

    private static boolean flag(JsonNode node, String key, boolean dflt) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber() && (v.doubleValue() == 0 || v.doubleValue() == 1)) {
            return v.doubleValue() == 1;
        }
        if (v.isTextual() && (v.textValue().trim().equals("0") || v.textValue().trim().equals("1"))) {
            return v.textValue().trim().equals("1");
        }
        throw new InvalidInputException(key + " must be 0 or 1, got " + v);
    }

    private static int countOrAll(JsonNode node, String key, ModelSpec model, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidInputException(key + " is required (an integer or \"all\")");
            }
            return 0;
        }
        if (v.isTextual()) {
            String t = v.textValue().trim();
            if (t.equals("all")) {
                return needModel(model, key + "=\"all\"").convCount();
            }
            try {
                return nonNegative(key, Integer.parseInt(t));
            } catch (NumberFormatException e) {
                throw new InvalidInputException(key + " must be an integer or \"all\", got " + v);
            }
        }
        if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < 1e9) {
            return nonNegative(key, (int) v.doubleValue());
        }
        throw new InvalidInputException(key + " must be an integer or \"all\", got " + v);
    }

    private static int nonNegative(String key, int v) {
        if (v < 0) {
            throw new InvalidInputException(key + " must be >= 0, got " + v);
        }
        return v;
    }

    /** {@code "27-30-33"}, a list of integers, or one integer; null when absent. */
    private static List<Integer> indexList(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        for (double d : numbers(v, "manual_weight_idx", "27-30-33")) {
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw new InvalidInputException("manual_weight_idx entries must be integers, got " + v);
            }
            out.add((int) d);
        }
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) < 0) {
                throw new InvalidInputException("manual_weight_idx entry " + out.get(i) + " must be >= 0");
            }
            if (i > 0 && out.get(i) <= out.get(i - 1)) {
                // tiny-training asserts the list is sorted; a repeat would double-count a layer.
                throw new InvalidInputException("manual_weight_idx must be strictly increasing, got " + v);
            }
        }
        return out;
    }

    /** {@code "1-1-0.125"}, a list, one number for every layer, or null (all channels). */
    private static List<Double> ratioList(JsonNode v, int n) {
        List<Double> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            for (int i = 0; i < n; i++) {
                out.add(1.0);
            }
            return out;
        }
        if (v.isNumber()) {
            if (v.doubleValue() > 1) {
                throw new InvalidInputException("a single weight_update_ratio must be <= 1, got " + v);
            }
            for (int i = 0; i < n; i++) {
                out.add(v.doubleValue());
            }
            return out;
        }
        out.addAll(numbers(v, "weight_update_ratio", "1-1-0.125"));
        if (out.size() != n) {
            throw new InvalidInputException("weight_update_ratio " + v + " has " + out.size()
                    + " values for " + n + " weight layers");
        }
        return out;
    }

    /** Numbers written tiny-training's way ({@code "a-b-c"}), as a JSON list, or as one number. */
    private static List<Double> numbers(JsonNode v, String key, String example) {
        List<Double> out = new ArrayList<>();
        if (v.isTextual()) {
            String t = v.textValue().trim();
            for (String part : t.isEmpty() ? new String[0] : t.split("-", -1)) {
                try {
                    out.add(Double.parseDouble(part.trim()));
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(key + " must be like \"" + example + "\", got " + v);
                }
            }
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isNumber()) {
                    throw new InvalidInputException(key + " entries must be numbers, got " + e);
                }
                out.add(e.doubleValue());
            }
        } else if (v.isNumber()) {
            out.add(v.doubleValue());
        } else {
            throw new InvalidInputException(key + " must be like \"" + example + "\", a list or a number, got " + v);
        }
        return out;
    }
}
