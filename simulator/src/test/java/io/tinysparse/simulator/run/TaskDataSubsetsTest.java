package io.tinysparse.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.image.ImageDataset;
import org.junit.jupiter.api.Test;

/** The subsets of a data spec must fit in the splits and hold a sample of every class, or the spec is bad input. */
class TaskDataSubsetsTest {
    private static final ImageDataset TRAIN = RunEvaluatorTest.quadrants(200, 1);
    private static final ImageDataset TEST = RunEvaluatorTest.quadrants(80, 2);

    private static String rejected(DataSpec spec) {
        return assertThrows(InvalidInputException.class,
                () -> TaskData.of(TRAIN, TEST, spec, RunEvaluatorTest.MODEL)).getMessage();
    }

    private static String missing(String option, int n, String className) {
        return option + " " + n + " leaves class '" + className + "' of synthetic without a sample (4 classes: every"
                + " subset needs one of each)";
    }

    @Test
    void fewerTrainingSamplesThanClassesIsBadInputNamingTheValueAndTheClass() {
        assertEquals(missing("--train-samples", 3, "d"), rejected(new DataSpec("synthetic", 3, 16, 32, 3)));
    }

    @Test
    void aValidationOrTestSubsetWithoutEveryClassIsBadInputButNoValidationIsAllowed() {
        assertEquals(missing("--val-samples", 2, "c"), rejected(new DataSpec("synthetic", 64, 2, 32, 3)));
        assertEquals(missing("--test-samples", 1, "b"), rejected(new DataSpec("synthetic", 64, 16, 1, 3)));
        assertEquals(0, TaskData.of(TRAIN, TEST, new DataSpec("synthetic", 4, 0, 4, 3), RunEvaluatorTest.MODEL)
                .validation().count());
    }

    @Test
    void subsetsBeyondTheSplitsAreBadInputNamingTheValues() {
        assertEquals("--train-samples 190 and --val-samples 20 (210 images) do not fit in the 200 training images of"
                + " synthetic", rejected(new DataSpec("synthetic", 190, 20, 32, 3)));
        assertEquals("--train-samples 300 and --val-samples 0 (300 images) do not fit in the 200 training images of"
                + " synthetic", rejected(new DataSpec("synthetic", 300, 0, 32, 3)));
        assertEquals("--test-samples 81 exceeds the 80 test images of synthetic",
                rejected(new DataSpec("synthetic", 64, 16, 81, 3)));
    }

    @Test
    void calibrationSamplesThatDoNotFitOrMissAClassAreBadInputNamingCalibrationSamples() {
        DataSpec run = new DataSpec("synthetic", 64, 16, 32, 3);
        assertEquals("--calibration-samples 100000000 does not fit in the 200 training images of synthetic",
                assertThrows(InvalidInputException.class, () -> TaskData.checkCalibration(TRAIN, TEST,
                        new Quantization(Quantization.INT8, true, "synthetic", 100_000_000), run)).getMessage());
        assertEquals("--calibration-samples 81 exceeds the 80 test images of synthetic (the calibration subset draws"
                + " as many test images, unused)", assertThrows(InvalidInputException.class,
                        () -> TaskData.checkCalibration(TRAIN, TEST,
                                new Quantization(Quantization.INT8, true, "synthetic", 81), run)).getMessage());
        assertEquals(missing("--calibration-samples", 3, "d"), assertThrows(InvalidInputException.class,
                () -> TaskData.checkCalibration(TRAIN, TEST, new Quantization(Quantization.INT8, true, "synthetic", 3),
                        run)).getMessage());
        TaskData.checkCalibration(TRAIN, TEST, new Quantization(Quantization.INT8, true, "synthetic", 64), run);
    }
}
