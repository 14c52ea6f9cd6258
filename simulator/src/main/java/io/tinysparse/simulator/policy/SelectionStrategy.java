package io.tinysparse.simulator.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tinysparse.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the input channels whose weights are updated are chosen in each weight-updated layer.
 *
 * <p>Static strategies choose once, before training, and keep the mask (Lin et al.); dynamic
 * ones re-choose every {@link ChannelSelection#refreshPeriod()} iterations, so that over a run
 * the updates cover more of the layer (Li and Chang). Random draws come from the run's seed.
 */
public enum SelectionStrategy {
    /** Static: the channels with the largest L2 norm of {@code W[:, c, :, :]} (tiny-training's {@code magnitude+}). */
    MAGNITUDE("magnitude", false),
    /** Static: the channels with the smallest L2 norm (tiny-training's {@code magnitude-}). */
    MAGNITUDE_SMALLEST("magnitude-", false),
    /** Static: a uniform random subset, drawn once (tiny-training's {@code random}). */
    RANDOM("random", false),
    /** Dynamic: a fresh uniform random subset every refresh period (TraDy-style). */
    DYNAMIC_RANDOM("dynamic-random", true),
    /**
     * Dynamic: a window of consecutive channels (in index order, wrapping around) that advances
     * by its own size every refresh period, so every channel is visited in {@code ceil(C/c)} periods.
     */
    CYCLIC("cyclic", true),
    /**
     * Dynamic: every refresh period, channels are sampled without replacement with probability
     * proportional to {@code exp(score / temperature)}, the score being the engine's running
     * estimate of the channel's importance (MeDyate-style re-sampling).
     */
    IMPORTANCE("importance", true);

    private final String jsonName;
    private final boolean dynamic;

    SelectionStrategy(String jsonName, boolean dynamic) {
        this.jsonName = jsonName;
        this.dynamic = dynamic;
    }

    /** The name used in JSON and on command lines. */
    @JsonValue
    public String jsonName() {
        return jsonName;
    }

    /** Whether the selection changes during training. */
    public boolean dynamic() {
        return dynamic;
    }

    /**
     * Parses a name: the JSON names above, case-insensitive, plus tiny-training's
     * {@code magnitude+}.
     *
     * @throws InvalidInputException naming the value and the accepted names
     */
    @JsonCreator
    public static SelectionStrategy parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.equals("magnitude+")) {
                return MAGNITUDE;
            }
            for (SelectionStrategy s : values()) {
                if (s.jsonName.equals(n)) {
                    return s;
                }
            }
        }
        throw new InvalidInputException("unknown channel selection strategy '" + name + "' (known: "
                + Arrays.stream(values()).map(SelectionStrategy::jsonName).collect(Collectors.joining(", "))
                + ", magnitude+)");
    }
}
