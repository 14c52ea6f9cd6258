package io.tinysparse.simulator.policy;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.selection.ChannelSelector;
import io.tinysparse.simulator.engine.selection.FixedSelector;
import io.tinysparse.simulator.engine.selection.SelectionTarget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The channel selection of a policy: a strategy and its parameters.
 *
 * <p>Invariants: static strategies have {@code refreshPeriod == 0}; dynamic ones have
 * {@code refreshPeriod >= 1}. {@code parameters} holds exactly the strategy's
 * {@link SelectionStrategy#parameters() parameters}, each valid, the defaults filled in, sorted
 * by name, so that two equal selections have one canonical form (and one content hash). JSON,
 * through Jackson as through {@link PolicyJson}, is {@link ChannelSelectionJson}'s.
 *
 * @param strategy      how channels are chosen
 * @param refreshPeriod training iterations between two re-selections; 0 for static strategies
 * @param parameters    the strategy's parameters by name (e.g. importance's {@code temperature})
 */
@JsonSerialize(using = ChannelSelectionJson.Writer.class)
@JsonDeserialize(using = ChannelSelectionJson.Reader.class)
public record ChannelSelection(SelectionStrategy strategy, int refreshPeriod, Map<String, Double> parameters) {

    /** The default: tiny-training's static {@code magnitude+}. */
    public static final ChannelSelection DEFAULT = of(SelectionStrategy.MAGNITUDE);

    /**
     * Checks the selection; a parameter that {@code parameters} leaves out takes its default.
     *
     * @throws InvalidInputException naming the value: a refresh period that does not fit the
     *     strategy, a parameter the strategy does not have, or a value its rule rejects
     */
    public ChannelSelection {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(parameters, "parameters");
        if (strategy.dynamic()) {
            if (refreshPeriod < 1) {
                throw new InvalidInputException("refresh_period of strategy " + strategy.jsonName()
                        + " must be >= 1, got " + refreshPeriod);
            }
        } else if (refreshPeriod != 0) {
            throw new InvalidInputException("refresh_period " + refreshPeriod + " does not apply to static strategy "
                    + strategy.jsonName() + " (it chooses once, before training)");
        }
        parameters = complete(strategy, parameters);
    }

    /** A static strategy, or a dynamic one re-selected every iteration; parameters at their defaults. */
    public static ChannelSelection of(SelectionStrategy strategy) {
        return new ChannelSelection(strategy, strategy.dynamic() ? 1 : 0, Map.of());
    }

    /** A dynamic strategy re-selected every {@code refreshPeriod} iterations; parameters at their defaults. */
    public static ChannelSelection dynamic(SelectionStrategy strategy, int refreshPeriod) {
        return new ChannelSelection(strategy, refreshPeriod, Map.of());
    }

    /**
     * The value of the strategy's parameter {@code name}.
     *
     * @throws IllegalArgumentException if the strategy has no such parameter
     */
    public double parameter(String name) {
        Double v = parameters.get(name);
        if (v == null) {
            throw new IllegalArgumentException("strategy " + strategy.jsonName() + " has no parameter " + name);
        }
        return v;
    }

    /**
     * The selector of one weight-updated layer under this selection. When the layer's count is
     * all of its channels, every strategy selects all of them.
     */
    public ChannelSelector newSelector(SelectionTarget target) {
        if (target.selectsAll()) {
            return FixedSelector.all(target.channels());
        }
        return strategy.selectors().create(this, target);
    }

    private static SortedMap<String, Double> complete(SelectionStrategy strategy, Map<String, Double> given) {
        for (Map.Entry<String, Double> e : given.entrySet()) {
            if (strategy.parameter(e.getKey()).isEmpty()) {
                throw notAParameterOf(strategy, e.getKey(), e.getValue());
            }
        }
        SortedMap<String, Double> all = new TreeMap<>();
        for (SelectionParameter p : strategy.parameters()) {
            Double v = given.get(p.name());
            all.put(p.name(), v == null ? p.defaultValue() : p.check(v));
        }
        return Collections.unmodifiableSortedMap(all);
    }

    private static InvalidInputException notAParameterOf(SelectionStrategy strategy, String name, Double value) {
        List<String> owners = new ArrayList<>();
        for (SelectionStrategy s : SelectionStrategy.values()) {
            if (s.parameter(name).isPresent()) {
                owners.add(s.jsonName());
            }
        }
        if (owners.isEmpty()) {
            return new InvalidInputException("unknown selection parameter '" + name + "' (known: "
                    + String.join(", ", SelectionStrategy.parameterNames()) + ")");
        }
        return new InvalidInputException(name + " " + value + " applies only to strateg"
                + (owners.size() == 1 ? "y " : "ies ") + String.join(", ", owners) + ", not " + strategy.jsonName());
    }
}
