package io.tinysparse.simulator.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import java.util.Locale;
import java.util.Objects;

/**
 * How an int8 run quantizes and trains its backbone (part of its {@link RunSpec}, so of its run
 * id; an fp32 run has none). The backbone is quantized after pretraining
 * ({@link io.tinysparse.simulator.engine.quant.QuantizedNetwork}): activation ranges are the
 * minimum and maximum of each tensor over the first {@code calibrationSamples} images of a
 * stratified subset (subset seed {@link #CALIBRATION_SUBSET_SEED}) of {@code calibrationDataset}'s
 * training split, the backbone's source data, transformed as the run's inputs are.
 *
 * @param precision          {@code int8} (the only quantized precision)
 * @param qas                whether weight and bias gradients are scaled by {@code 1 / s^2}
 *                           (quantization-aware scaling)
 * @param calibrationDataset the dataset the activation ranges are calibrated on
 * @param calibrationSamples how many of its training images, &gt;= 1
 */
public record Quantization(
        @JsonProperty("precision") String precision,
        @JsonProperty("qas") boolean qas,
        @JsonProperty("calibration_dataset") String calibrationDataset,
        @JsonProperty("calibration_samples") int calibrationSamples) {
    /** The precision name of an int8 run. */
    public static final String INT8 = "int8";
    /** The precision name of an fp32 run (which has no {@link Quantization}). */
    public static final String FP32 = "fp32";
    /**
     * Calibration images by default: enough to see every tensor's range on a class-balanced
     * sample of the source (256 images, 25 or 26 per class of a 10-class source), few enough to
     * calibrate in seconds.
     */
    public static final int DEFAULT_CALIBRATION_SAMPLES = 256;
    /** Subset seed of the calibration images. */
    public static final long CALIBRATION_SUBSET_SEED = 0;

    public Quantization {
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(calibrationDataset, "calibrationDataset");
        if (!precision.equals(INT8)) {
            throw new InvalidInputException("quantized precision must be int8, got '" + precision + "'");
        }
        if (calibrationDataset.isBlank()) {
            throw new InvalidInputException("calibration dataset must not be empty");
        }
        if (calibrationSamples < 1) {
            throw new InvalidInputException("calibration samples must be >= 1, got " + calibrationSamples);
        }
    }

    /** int8 with or without QAS, calibrated on {@link #DEFAULT_CALIBRATION_SAMPLES} images of {@code dataset}. */
    public static Quantization int8(boolean qas, String dataset) {
        return new Quantization(INT8, qas, dataset, DEFAULT_CALIBRATION_SAMPLES);
    }

    /**
     * The calibration images' data spec: {@code calibrationSamples} training images of
     * {@code calibrationDataset} normalised as {@code run} is (its test subset, as many images,
     * is not used: a data spec needs one with every class).
     */
    public DataSpec calibrationData(DataSpec run) {
        return new DataSpec(calibrationDataset, calibrationSamples, 0, calibrationSamples, CALIBRATION_SUBSET_SEED,
                run.normalisation());
    }

    /** What calibration shares with other int8 runs: the activation ranges, whatever QAS does. */
    String calibrationKey() {
        return String.format(Locale.ROOT, "%s:%s:%d", precision, calibrationDataset, calibrationSamples);
    }

    /** {@code int8+qas} or {@code int8}. */
    public String label() {
        return qas ? precision + "+qas" : precision;
    }
}
