package io.tinysparse.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stored policy ({@code policy_json} of the {@code runs} and {@code fronts} tables, tinysparse's
 * native JSON) in human terms, one compact line, as the console's closing table and the HTML
 * report show it:
 *
 * <pre>
 * bias: last 12 layers; weights: 36@1, 39@1/2, 42@1/4; static top-magnitude
 * bias: last 25 layers; weights: 42@7ch, 45@1/8; dynamic random, redrawn every 10 steps
 * bias: last 4 layers; weights: none; classifier frozen
 * </pre>
 *
 * <ul>
 *   <li>{@code bias}: how many of the last convolutions train their biases ({@code none} for 0).</li>
 *   <li>{@code weights}: each weight-updated convolution as {@code LAYER@AMOUNT}, the layer index
 *       counted from the input over every convolution (tiny-training's {@code manual_weight_idx}),
 *       the amount the fraction of its input channels updated per step: {@code 1}, a unit
 *       fraction {@code 1/N} when the ratio is one exactly (1/2, 1/4, 1/8: the ratios searched),
 *       else the decimal; or {@code Nch} for a policy giving an exact channel count. Three or more
 *       consecutive layers with the same amount read as one range, {@code FIRST-LAST@AMOUNT}
 *       ({@code 0-50@1}: every convolution of a 51-convolution network, all channels).</li>
 *   <li>the channel selection: {@code static top-magnitude} (tiny-training's {@code magnitude+}),
 *       {@code static lowest-magnitude} ({@code magnitude-}), {@code static random},
 *       {@code dynamic random}, {@code cyclic window}, {@code importance sampling}, then for a
 *       dynamic one how often it re-chooses ({@code every step}, {@code every K steps}) and its
 *       parameters ({@code temperature 0.5}); a strategy this list does not know is shown by its
 *       JSON name. Left out when no weights are updated, and shown as {@code all channels} when
 *       every updated layer takes all of its channels: the selection then changes nothing.</li>
 *   <li>{@code classifier frozen} when the classifier is not trained (it is by default).</li>
 * </ul>
 *
 * <p>The JSON is read as the tables store it; JSON that is not a policy object is shown as
 * compact JSON, and text that is not JSON as it is, so that a row of an unexpected form is still shown.
 */
public final class PolicyText {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** How each known strategy reads; keyed by its JSON name (the simulator's {@code SelectionStrategy}). */
    private static final Map<String, String> STRATEGY_WORDS = Map.of(
            "magnitude", "top-magnitude",
            "magnitude-", "lowest-magnitude",
            "random", "random",
            "dynamic-random", "dynamic random",
            "cyclic", "cyclic window",
            "importance", "importance sampling");

    private PolicyText() {}

    /** The policy of {@code policyJson} in human terms (see the class comment). */
    public static String of(String policyJson) {
        JsonNode p;
        try {
            p = MAPPER.readTree(policyJson);
        } catch (JsonProcessingException e) {
            return policyJson;
        }
        if (p == null || !p.isObject() || !p.path("bias_layers").canConvertToInt()) {
            return p == null ? "" : p.toString();
        }
        StringBuilder s = new StringBuilder();
        int bias = p.get("bias_layers").intValue();
        s.append("bias: ").append(bias == 0 ? "none" : "last " + bias + (bias == 1 ? " layer" : " layers"));
        List<String> weights = new ArrayList<>();
        boolean allChannels = true;
        int first = -1;
        int last = -1;
        String runAmount = null;
        for (JsonNode w : p.path("weights")) {
            String amount;
            if (w.has("channels")) {
                amount = w.get("channels").asInt() + "ch";
                allChannels = false;
            } else {
                double ratio = w.path("ratio").asDouble(1.0);
                amount = ratio(ratio);
                allChannels &= ratio == 1.0;
            }
            int layer = w.path("layer").asInt();
            if (runAmount != null && layer == last + 1 && amount.equals(runAmount)) {
                last = layer;
                continue;
            }
            addRun(weights, first, last, runAmount);
            first = layer;
            last = layer;
            runAmount = amount;
        }
        addRun(weights, first, last, runAmount);
        s.append("; weights: ").append(weights.isEmpty() ? "none" : String.join(", ", weights));
        if (!weights.isEmpty()) {
            s.append("; ").append(allChannels ? "all channels" : selection(p.get("selection")));
        }
        if (p.has("train_classifier") && !p.get("train_classifier").asBoolean(true)) {
            s.append("; classifier frozen");
        }
        return s.toString();
    }

    /**
     * The JSON name of the policy's channel selection strategy ({@code magnitude} when the
     * policy leaves it out, the default), or {@code unknown} for a value that is not a policy.
     */
    public static String strategy(String policyJson) {
        try {
            JsonNode p = MAPPER.readTree(policyJson);
            if (p == null || !p.isObject()) {
                return "unknown";
            }
            JsonNode sel = p.get("selection");
            if (sel == null || sel.isNull()) {
                return "magnitude";
            }
            return sel.isTextual() ? sel.textValue() : sel.path("strategy").asText("unknown");
        } catch (JsonProcessingException e) {
            return "unknown";
        }
    }

    /** Layers {@code first..last}, all updated by {@code amount}: one entry each, or {@code FIRST-LAST@AMOUNT} for three or more. */
    private static void addRun(List<String> weights, int first, int last, String amount) {
        if (amount == null) {
            return;
        }
        if (last - first >= 2) {
            weights.add(first + "-" + last + "@" + amount);
            return;
        }
        for (int layer = first; layer <= last; layer++) {
            weights.add(layer + "@" + amount);
        }
    }

    /** A ratio as {@code 1}, a unit fraction {@code 1/N}, or a short decimal. */
    static String ratio(double r) {
        if (r == 1.0) {
            return "1";
        }
        double n = 1 / r;
        if (n == Math.rint(n) && n <= 1024) {
            return "1/" + (long) n;
        }
        return String.format(Locale.ROOT, "%.4g", r).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    private static String selection(JsonNode sel) {
        if (sel == null || sel.isNull()) {
            return "static " + STRATEGY_WORDS.get("magnitude");
        }
        String name = sel.isTextual() ? sel.textValue() : sel.path("strategy").asText("?");
        int period = sel.isTextual() ? -1 : sel.path("refresh_period").asInt(0);
        String words = STRATEGY_WORDS.getOrDefault(name, name);
        if (period == 0) {
            return "static " + words;
        }
        StringBuilder s = new StringBuilder(words);
        if (period > 0) {
            s.append(name.equals("cyclic") ? ", advanced " : ", redrawn ")
                    .append(period == 1 ? "every step" : "every " + period + " steps");
        }
        for (Map.Entry<String, JsonNode> e : sel.properties()) {
            if (!e.getKey().equals("strategy") && !e.getKey().equals("refresh_period") && e.getValue().isNumber()) {
                s.append(", ").append(e.getKey().replace('_', ' ')).append(' ').append(number(e.getValue().doubleValue()));
            }
        }
        return s.toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
