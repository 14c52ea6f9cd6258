package io.tinysparse.simulator.policy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.tinysparse.core.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes a {@link ChannelSelection} as JSON: the one codec behind policies
 * ({@link PolicyJson}, and Jackson wherever a policy is nested in another record) and policy
 * spaces. Keys and parameters come from {@link SelectionStrategy}, so a new strategy needs
 * nothing here.
 *
 * <p>A selection is a bare strategy name ({@code "cyclic"}: refresh period 1 for a dynamic
 * strategy, parameters at their defaults) or an object
 * {@code {"strategy": NAME, "refresh_period": K, PARAMETER: VALUE, ...}} where every key but
 * {@code strategy} is optional and null means absent. In a policy space an object may give a list
 * of values for {@code refresh_period} and each parameter; it stands for every combination
 * ({@link #readOptions}).
 *
 * <p>Two written forms, both fixed because they are hashed: the canonical form of a policy
 * ({@link #toCanonicalNode}: keys sorted, {@code refresh_period} always, 0 for a static strategy,
 * every parameter) and the option form of a space ({@link #toOptionNode}: {@code strategy} first,
 * {@code refresh_period} only for a dynamic strategy, then the parameters in declaration order).
 */
public final class ChannelSelectionJson {
    private static final String STRATEGY = "strategy";
    private static final String REFRESH_PERIOD = "refresh_period";
    /** Keys of a selection object; also the order a space's lists are combined in (the last varies fastest). */
    private static final Set<String> KEYS = keys();

    private ChannelSelectionJson() {}

    private static Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>(List.of(STRATEGY, REFRESH_PERIOD));
        keys.addAll(SelectionStrategy.parameterNames());
        return keys;
    }

    /**
     * Reads one selection: a strategy name or an object with one value per key.
     *
     * @throws InvalidInputException naming the key and value
     */
    public static ChannelSelection read(JsonNode node) {
        if (node.isTextual()) {
            return ChannelSelection.of(SelectionStrategy.parse(node.textValue()));
        }
        if (!node.isObject()) {
            throw new InvalidInputException("selection must be a strategy name or an object, got " + node);
        }
        PolicyJson.checkKeys(node, KEYS, "selection");
        JsonNode name = node.get(STRATEGY);
        if (name == null || name.isNull()) {
            throw new InvalidInputException("selection.strategy is required");
        }
        if (!name.isTextual()) {
            throw new InvalidInputException("selection.strategy must be a name, got " + name);
        }
        SelectionStrategy strategy = SelectionStrategy.parse(name.textValue());
        int period = present(node, REFRESH_PERIOD) ? PolicyJson.intValue(node, REFRESH_PERIOD, true, 0)
                : strategy.dynamic() ? 1 : 0;
        Map<String, Double> parameters = new HashMap<>();
        for (String key : KEYS) {
            if (!key.equals(STRATEGY) && !key.equals(REFRESH_PERIOD) && present(node, key)) {
                parameters.put(key, PolicyJson.numberValue(node, key));
            }
        }
        return new ChannelSelection(strategy, period, parameters);
    }

    /**
     * Reads one entry of a policy space's selection list: a strategy name, or an object whose
     * {@code refresh_period} and parameters may each be a single value or a list. Returns one
     * selection per combination, {@code refresh_period} varying slowest and the parameters in
     * declaration order after it; an empty list gives none.
     *
     * @throws InvalidInputException naming the key and value
     */
    public static List<ChannelSelection> readOptions(JsonNode entry) {
        if (!entry.isObject()) {
            return List.of(read(entry));
        }
        PolicyJson.checkKeys(entry, KEYS, "selection");
        List<ObjectNode> combinations = new ArrayList<>();
        ObjectNode first = JsonNodeFactory.instance.objectNode();
        if (entry.has(STRATEGY)) {
            first.set(STRATEGY, entry.get(STRATEGY));
        }
        combinations.add(first);
        for (String key : KEYS) {
            if (key.equals(STRATEGY) || !entry.has(key)) {
                continue;
            }
            JsonNode given = entry.get(key);
            List<JsonNode> values = new ArrayList<>();
            if (given.isArray()) {
                given.forEach(values::add);
            } else {
                values.add(given);
            }
            List<ObjectNode> next = new ArrayList<>();
            for (ObjectNode c : combinations) {
                for (JsonNode v : values) {
                    next.add(c.deepCopy().set(key, v));
                }
            }
            combinations = next;
        }
        List<ChannelSelection> out = new ArrayList<>();
        for (ObjectNode c : combinations) {
            out.add(read(c));
        }
        return out;
    }

    /** The canonical form: keys sorted, {@code refresh_period} always, every parameter. Part of the policy hash. */
    public static ObjectNode toCanonicalNode(ChannelSelection selection) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> sorted = new TreeMap<>();
        sorted.put(STRATEGY, f.textNode(selection.strategy().jsonName()));
        sorted.put(REFRESH_PERIOD, f.numberNode(selection.refreshPeriod()));
        selection.parameters().forEach((k, v) -> sorted.put(k, f.numberNode(v.doubleValue())));
        ObjectNode node = f.objectNode();
        sorted.forEach(node::set);
        return node;
    }

    /**
     * The option form of a policy space: {@code strategy}, then {@code refresh_period} for a
     * dynamic strategy, then the parameters in declaration order. Part of a search's configuration hash.
     */
    public static ObjectNode toOptionNode(ChannelSelection selection) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put(STRATEGY, selection.strategy().jsonName());
        if (selection.strategy().dynamic()) {
            node.put(REFRESH_PERIOD, selection.refreshPeriod());
        }
        for (SelectionParameter p : selection.strategy().parameters()) {
            node.put(p.name(), selection.parameter(p.name()));
        }
        return node;
    }

    private static boolean present(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** Jackson's writer of {@link ChannelSelection}: the canonical form. */
    public static final class Writer extends StdSerializer<ChannelSelection> {
        /** Jackson instantiates it from the annotation on {@link ChannelSelection}. */
        public Writer() {
            super(ChannelSelection.class);
        }

        @Override
        public void serialize(ChannelSelection value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            toCanonicalNode(value).serialize(gen, provider);
        }
    }

    /** Jackson's reader of {@link ChannelSelection}: {@link #read}. */
    public static final class Reader extends StdDeserializer<ChannelSelection> {
        /** Jackson instantiates it from the annotation on {@link ChannelSelection}. */
        public Reader() {
            super(ChannelSelection.class);
        }

        @Override
        public ChannelSelection deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return read(ctxt.readTree(p));
        }
    }
}
