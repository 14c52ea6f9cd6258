package io.tinysparse.simulator.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import java.util.List;
import java.util.Objects;

/**
 * The per-channel statistics target images are normalised with before entering the network
 * ({@code (x - mean) / std}, pixels in [0, 1]): the statistics the backbone was pretrained with,
 * as users of pretrained backbones normalise their data, so the frozen layers see inputs on the
 * scale they were trained on.
 *
 * @param mean   per input channel, finite
 * @param std    per input channel, positive
 * @param source where the statistics come from, e.g. {@code backbone <parameter hash>}
 */
public record Normalisation(
        @JsonProperty("mean") List<Double> mean,
        @JsonProperty("std") List<Double> std,
        @JsonProperty("source") String source) {

    public Normalisation {
        Objects.requireNonNull(source, "source");
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.isEmpty() || mean.size() != std.size()) {
            throw new InvalidInputException("normalisation needs one mean and one std per channel, got "
                    + mean.size() + " and " + std.size());
        }
        for (int c = 0; c < mean.size(); c++) {
            if (!Double.isFinite(mean.get(c)) || !(std.get(c) > 0) || !Double.isFinite(std.get(c))) {
                throw new InvalidInputException("normalisation of channel " + c + " must have a finite mean and a"
                        + " positive std, got " + mean.get(c) + " and " + std.get(c));
            }
        }
    }

    /** The statistics of {@code transform} (as pretraining recorded it), from {@code source}. */
    public static Normalisation of(io.tinysparse.datasets.transform.TransformSpec transform, String source) {
        return new Normalisation(boxed(transform.mean()), boxed(transform.std()), source);
    }

    private static List<Double> boxed(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }

    /** Mean of channel {@code c}. */
    double meanOf(int c) {
        return mean.get(c);
    }

    /** Std of channel {@code c}. */
    double stdOf(int c) {
        return std.get(c);
    }
}
