package io.tinysparse.simulator.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import java.util.Objects;

/**
 * The channel selection of a policy: a strategy and its parameters.
 *
 * <p>Invariants: static strategies have {@code refreshPeriod == 0}; dynamic ones have
 * {@code refreshPeriod >= 1}. {@code temperature} is set (finite, &gt; 0) for
 * {@link SelectionStrategy#IMPORTANCE} and {@code null} for every other strategy, so that two
 * equal selections have one canonical form (and one content hash).
 *
 * @param strategy      how channels are chosen
 * @param refreshPeriod training iterations between two re-selections; 0 for static strategies
 * @param temperature   softmax temperature of importance sampling (lower = greedier); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelSelection(
        @JsonProperty("strategy") SelectionStrategy strategy,
        @JsonProperty("refresh_period") int refreshPeriod,
        @JsonProperty("temperature") Double temperature) {

    /** The default: tiny-training's static {@code magnitude+}. */
    public static final ChannelSelection DEFAULT = new ChannelSelection(SelectionStrategy.MAGNITUDE, 0, null);

    public ChannelSelection {
        Objects.requireNonNull(strategy, "strategy");
        if (strategy.dynamic()) {
            if (refreshPeriod < 1) {
                throw new InvalidInputException("refresh_period of strategy " + strategy.jsonName()
                        + " must be >= 1, got " + refreshPeriod);
            }
        } else if (refreshPeriod != 0) {
            throw new InvalidInputException("refresh_period " + refreshPeriod + " does not apply to static strategy "
                    + strategy.jsonName() + " (it chooses once, before training)");
        }
        if (strategy == SelectionStrategy.IMPORTANCE) {
            if (temperature == null) {
                temperature = 1.0;
            }
            if (!(temperature > 0) || temperature.isInfinite()) {
                throw new InvalidInputException("temperature must be finite and > 0, got " + temperature);
            }
        } else if (temperature != null) {
            throw new InvalidInputException("temperature " + temperature + " applies only to strategy importance, not "
                    + strategy.jsonName());
        }
    }

    /** A static strategy, or a dynamic one re-selected every iteration (temperature 1 for importance). */
    public static ChannelSelection of(SelectionStrategy strategy) {
        return new ChannelSelection(strategy, strategy.dynamic() ? 1 : 0, null);
    }

    /** A dynamic strategy re-selected every {@code refreshPeriod} iterations. */
    public static ChannelSelection dynamic(SelectionStrategy strategy, int refreshPeriod) {
        return new ChannelSelection(strategy, refreshPeriod, null);
    }
}
