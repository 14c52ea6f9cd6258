package io.tinysparse.simulator.cli;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.run.Quantization;
import picocli.CommandLine.Option;

/**
 * The {@code --precision}, {@code --qas} and calibration options of the commands that fine-tune
 * a backbone ({@code run}, {@code search}; {@code @Mixin PrecisionOptions precision;}): fp32
 * (the default) or an int8 run ({@link Quantization}).
 */
public final class PrecisionOptions {
    @Option(names = "--precision", paramLabel = "fp32|int8", defaultValue = Quantization.FP32,
            description = "Arithmetic of the fine-tuning: fp32, or int8 (the backbone quantized after pretraining,"
                    + " int8 forward pass, fp32 backward pass, int8 weights and int32 biases updated in place,"
                    + " fp32 classifier) (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--qas", paramLabel = "on|off",
            description = "Quantization-aware scaling of int8 gradients (G / s^2, Lin et al. 2022); int8 only"
                    + " (default: on with --precision int8).")
    String qas;

    @Option(names = "--calibration-dataset", paramLabel = "NAME",
            description = "Dataset whose training images calibrate the int8 activation ranges (default: the"
                    + " backbone's pretraining dataset).")
    String calibrationDataset;

    @Option(names = "--calibration-samples", paramLabel = "N",
            description = "Calibration images (per-tensor min and max over them) (default: "
                    + Quantization.DEFAULT_CALIBRATION_SAMPLES + ").")
    Integer calibrationSamples;

    /**
     * The quantization the options ask for, or null for fp32.
     *
     * @param sourceDataset the backbone's pretraining dataset, or null if unknown
     * @throws InvalidInputException naming the bad value: an unknown precision or QAS setting,
     *     {@code --qas on} or calibration options with fp32, int8 without a calibration dataset
     */
    public Quantization quantization(String sourceDataset) {
        boolean scaled = qas == null || parseSwitch(qas);
        if (precision.equals(Quantization.FP32)) {
            if (qas != null && scaled) {
                throw new InvalidInputException("--qas on needs --precision int8 (fp32 gradients need no scaling)");
            }
            if (calibrationDataset != null || calibrationSamples != null) {
                throw new InvalidInputException("--calibration-dataset and --calibration-samples need --precision int8");
            }
            return null;
        }
        if (!precision.equals(Quantization.INT8)) {
            throw new InvalidInputException("--precision must be fp32 or int8, got '" + precision + "'");
        }
        String dataset = calibrationDataset != null ? calibrationDataset : sourceDataset;
        if (dataset == null) {
            throw new InvalidInputException("--precision int8 needs --calibration-dataset: the backbone has no"
                    + " pretraining provenance naming its source data");
        }
        if (calibrationSamples != null && calibrationSamples < 1) {
            throw new InvalidInputException("--calibration-samples must be >= 1, got " + calibrationSamples);
        }
        return new Quantization(Quantization.INT8, scaled, dataset,
                calibrationSamples == null ? Quantization.DEFAULT_CALIBRATION_SAMPLES : calibrationSamples);
    }

    private static boolean parseSwitch(String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new InvalidInputException("--qas must be on or off, got '" + value + "'");
        };
    }
}
