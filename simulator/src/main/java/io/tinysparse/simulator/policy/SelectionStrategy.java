package io.tinysparse.simulator.policy;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.selection.ChannelSelector;
import io.tinysparse.simulator.engine.selection.CyclicSelector;
import io.tinysparse.simulator.engine.selection.DynamicRandomSelector;
import io.tinysparse.simulator.engine.selection.FixedSelector;
import io.tinysparse.simulator.engine.selection.ImportanceSelector;
import io.tinysparse.simulator.engine.selection.SelectionTarget;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the input channels whose weights are updated are chosen in each weight-updated layer:
 * one constant per strategy, and each constant is the strategy's whole description (its JSON
 * name, whether it is dynamic, its parameters with their defaults and rules, the tiny-training
 * criterion it corresponds to, and the factory of its {@link ChannelSelector}). Adding a
 * strategy is adding its selector and one constant here: {@link ChannelSelection}, its JSON
 * codec ({@link ChannelSelectionJson}), the policy and space readers and the engine take
 * everything else from the constant.
 *
 * <p>Static strategies choose once, before training, and keep the mask (Lin et al.); dynamic
 * ones re-choose every {@link ChannelSelection#refreshPeriod()} iterations, so that over a run
 * the updates cover more of the layer (Li and Chang). Random draws come from the run's seed.
 * Declaration order is the order names are listed in messages; it is not persisted.
 */
public enum SelectionStrategy {
    /** Static: the channels with the largest L2 norm of {@code W[:, c, :, :]} (tiny-training's {@code magnitude+}). */
    MAGNITUDE("magnitude", Kind.STATIC, "magnitude+", List.of(), (selection, target) -> FixedSelector.largestNorms(target)),
    /** Static: the channels with the smallest L2 norm (tiny-training's {@code magnitude-}). */
    MAGNITUDE_SMALLEST("magnitude-", Kind.STATIC, "magnitude-", List.of(),
            (selection, target) -> FixedSelector.smallestNorms(target)),
    /** Static: a uniform random subset, drawn once (tiny-training's {@code random}). */
    RANDOM("random", Kind.STATIC, "random", List.of(), (selection, target) -> FixedSelector.uniformSubset(target)),
    /** Dynamic: a fresh uniform random subset every refresh period (TraDy-style). */
    DYNAMIC_RANDOM("dynamic-random", Kind.DYNAMIC, List.of(), (selection, target) -> new DynamicRandomSelector(
            target.channels(), target.count(), selection.refreshPeriod(), target.random())),
    /**
     * Dynamic: a window of consecutive channels (in index order, wrapping around) that advances
     * by its own size every refresh period, so every channel is visited in {@code ceil(C/c)} periods.
     */
    CYCLIC("cyclic", Kind.DYNAMIC, List.of(), (selection, target) -> new CyclicSelector(
            target.channels(), target.count(), selection.refreshPeriod())),
    /**
     * Dynamic: every refresh period, channels are sampled without replacement with probability
     * proportional to {@code exp(score / temperature)}, the score being the engine's running
     * estimate of the channel's importance (MeDyate-style re-sampling). Parameter
     * {@code temperature} (default 1; lower is greedier).
     */
    IMPORTANCE("importance", Kind.DYNAMIC, List.of(SelectionParameter.positive("temperature", 1.0)),
            (selection, target) -> new ImportanceSelector(target.channels(), target.count(),
                    selection.refreshPeriod(), selection.parameter("temperature"), target.random()));

    /** Whether a strategy chooses once or re-chooses during training. */
    public enum Kind {
        /** Chooses once, before training; {@code refresh_period} is 0. */
        STATIC,
        /** Re-chooses every {@code refresh_period} (&gt;= 1) iterations. */
        DYNAMIC
    }

    /** Builds the selector of one layer; called only when the layer's count is below its channel count. */
    @FunctionalInterface
    public interface SelectorFactory {
        /** The selector of {@code target} under {@code selection} (whose strategy is this factory's). */
        ChannelSelector create(ChannelSelection selection, SelectionTarget target);
    }

    private final String jsonName;
    private final Kind kind;
    private final String tinyTrainingCriterion;
    private final List<SelectionParameter> parameters;
    private final SelectorFactory selectors;

    SelectionStrategy(String jsonName, Kind kind, List<SelectionParameter> parameters, SelectorFactory selectors) {
        this(jsonName, kind, null, parameters, selectors);
    }

    SelectionStrategy(String jsonName, Kind kind, String tinyTrainingCriterion, List<SelectionParameter> parameters,
            SelectorFactory selectors) {
        this.jsonName = jsonName;
        this.kind = kind;
        this.tinyTrainingCriterion = tinyTrainingCriterion;
        this.parameters = List.copyOf(parameters);
        this.selectors = Objects.requireNonNull(selectors, "selectors");
    }

    /** The name used in JSON and on command lines. */
    public String jsonName() {
        return jsonName;
    }

    /** Whether the selection changes during training. */
    public boolean dynamic() {
        return kind == Kind.DYNAMIC;
    }

    /** The parameters besides {@code refresh_period}, in declaration order. */
    public List<SelectionParameter> parameters() {
        return parameters;
    }

    /** The parameter called {@code name}, if this strategy has one. */
    public Optional<SelectionParameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** tiny-training's {@code weight_select_criteria} for this strategy; empty where it has none. */
    public Optional<String> tinyTrainingCriterion() {
        return Optional.ofNullable(tinyTrainingCriterion);
    }

    /** The factory of this strategy's selectors. */
    SelectorFactory selectors() {
        return selectors;
    }

    /** The names of every strategy's parameters, each once, in declaration order. */
    public static Set<String> parameterNames() {
        Set<String> names = new LinkedHashSet<>();
        for (SelectionStrategy s : values()) {
            s.parameters.forEach(p -> names.add(p.name()));
        }
        return names;
    }

    /**
     * Parses a name: the JSON names above or a tiny-training criterion ({@code magnitude+}),
     * case-insensitive.
     *
     * @throws InvalidInputException naming the value and the accepted names
     */
    public static SelectionStrategy parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (SelectionStrategy s : values()) {
                if (s.jsonName.equals(n) || n.equals(s.tinyTrainingCriterion)) {
                    return s;
                }
            }
        }
        Set<String> known = new LinkedHashSet<>();
        Arrays.stream(values()).forEach(s -> known.add(s.jsonName));
        Arrays.stream(values()).forEach(s -> s.tinyTrainingCriterion().ifPresent(known::add));
        throw new InvalidInputException("unknown channel selection strategy '" + name + "' (known: "
                + String.join(", ", known) + ")");
    }

    /** The tiny-training criteria, in declaration order (for messages). */
    public static String tinyTrainingCriteria() {
        return Arrays.stream(values()).flatMap(s -> s.tinyTrainingCriterion().stream())
                .collect(Collectors.joining(", "));
    }
}
