package io.tinysparse.simulator.policy;

import io.tinysparse.core.InvalidInputException;
import java.util.Objects;
import java.util.function.DoublePredicate;

/**
 * A real-valued parameter of a channel-selection strategy: its JSON key, its value when a
 * selection does not give one, and the rule every value must satisfy.
 *
 * <p>Invariants: {@code name} is not blank; {@code defaultValue} satisfies {@code rule}.
 *
 * @param name         JSON key, e.g. {@code temperature}
 * @param defaultValue the value of a selection that does not set it
 * @param rule         which values are valid
 * @param ruleText     the rule in words, for error messages ("finite and &gt; 0")
 */
public record SelectionParameter(String name, double defaultValue, DoublePredicate rule, String ruleText) {

    public SelectionParameter {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(ruleText, "ruleText");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a selection parameter needs a name");
        }
        if (!rule.test(defaultValue)) {
            throw new IllegalArgumentException("default " + defaultValue + " of " + name + " is not " + ruleText);
        }
    }

    /** A parameter whose values are finite and &gt; 0. */
    public static SelectionParameter positive(String name, double defaultValue) {
        return new SelectionParameter(name, defaultValue, v -> v > 0 && !Double.isInfinite(v), "finite and > 0");
    }

    /**
     * Returns {@code value} if the rule accepts it.
     *
     * @throws InvalidInputException naming the parameter, the rule and the value
     */
    public double check(double value) {
        if (!rule.test(value)) {
            throw new InvalidInputException(name + " must be " + ruleText + ", got " + value);
        }
        return value;
    }
}
