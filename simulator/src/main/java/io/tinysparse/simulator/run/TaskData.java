package io.tinysparse.simulator.run;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.datasets.catalog.Split;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.sampling.StratifiedSampler;
import io.tinysparse.datasets.transform.ResizeMode;
import io.tinysparse.datasets.transform.TensorTransform;
import io.tinysparse.datasets.transform.TransformSpec;
import io.tinysparse.simulator.engine.train.Samples;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The image tensors of one {@link DataSpec} at one model resolution: stratified train and
 * validation subsets (disjoint) of the dataset's training split and a stratified test subset of
 * its test split, bilinearly resized to the model's resolution, grey replicated to 3 channels,
 * normalised with the data spec's {@link Normalisation} (the backbone's pretraining statistics),
 * or, for a spec without one, by the training subset's pixel mean and standard deviation.
 *
 * @param spec what was loaded
 * @param transform the transform applied (part of every feature-cache key)
 * @param train training samples entering layer 0
 * @param validation validation samples entering layer 0 (may be empty)
 * @param test test samples entering layer 0
 * @param classes number of classes of the dataset
 */
public record TaskData(
        DataSpec spec, TransformSpec transform, Samples train, Samples validation, Samples test, int classes) {

    /** Loads {@code spec} from the catalogue for {@code model}'s resolution. */
    public static TaskData load(DatasetCatalog catalog, DataSpec spec, ModelSpec model) throws IOException {
        var descriptor = DatasetCatalog.describe(spec.dataset());
        ImageDataset trainSplit = catalog.read(descriptor, Split.TRAIN);
        ImageDataset testSplit = catalog.read(descriptor, Split.TEST);
        return of(trainSplit, testSplit, spec, model);
    }

    /**
     * The training samples of {@code spec} for {@code model}'s resolution (for calibration
     * images, where a loader cannot throw checked exceptions).
     *
     * @throws java.io.UncheckedIOException if the dataset cannot be read
     */
    public static Samples loadTrain(DatasetCatalog catalog, DataSpec spec, ModelSpec model) {
        try {
            return load(catalog, spec, model).train();
        } catch (IOException e) {
            throw new UncheckedIOException("calibration images " + spec.dataset(), e);
        }
    }

    /**
     * Checks on the driver, before any run starts, that {@code spec} can be loaded from
     * {@code catalog}: the dataset is known and installed, its files are whole (IDX or CIFAR
     * structure, counts, labels in range), and its subsets fit with a sample of every class in
     * each ({@link #of}'s rule). Reads both splits; builds no tensors.
     *
     * @throws io.tinysparse.core.InvalidInputException naming the file or the value that is wrong
     */
    public static void check(DatasetCatalog catalog, DataSpec spec) throws IOException {
        var descriptor = DatasetCatalog.describe(spec.dataset());
        subsets(catalog.read(descriptor, Split.TRAIN), catalog.read(descriptor, Split.TEST), spec);
    }

    /**
     * Checks on the driver, before any run starts, that {@code quantization}'s calibration images
     * can be drawn from its calibration dataset in {@code catalog} for runs of {@code run}: as
     * {@link #check}, with the messages naming {@code --calibration-samples}.
     *
     * @throws io.tinysparse.core.InvalidInputException naming the file or the value that is wrong
     */
    public static void checkCalibration(DatasetCatalog catalog, Quantization quantization, DataSpec run)
            throws IOException {
        var descriptor = DatasetCatalog.describe(quantization.calibrationDataset());
        checkCalibration(catalog.read(descriptor, Split.TRAIN), catalog.read(descriptor, Split.TEST), quantization, run);
    }

    /** {@link #checkCalibration(DatasetCatalog, Quantization, DataSpec)} on splits already read. */
    static void checkCalibration(ImageDataset trainSplit, ImageDataset testSplit, Quantization quantization,
            DataSpec run) {
        subsets(trainSplit, testSplit, quantization.calibrationData(run), CALIBRATION_OPTION);
    }

    /** The option every size of a calibration data spec comes from. */
    private static final String CALIBRATION_OPTION = "--calibration-samples";

    /** The sample indices of a data spec: training and validation in the training split, test in the test split. */
    private record Subsets(int[] train, int[] validation, int[] test) {}

    /**
     * The stratified subsets of {@code spec}; bad input if they do not fit in the splits or one of
     * them (validation only when asked for) lacks a class, which a run could neither learn nor be
     * measured on.
     */
    private static Subsets subsets(ImageDataset trainSplit, ImageDataset testSplit, DataSpec spec) {
        return subsets(trainSplit, testSplit, spec, null);
    }

    /**
     * As {@link #subsets(ImageDataset, ImageDataset, DataSpec)}; {@code option}, when not null, is
     * the one option the spec's sizes all come from (a calibration spec draws its unused test
     * subset as large as its training subset), named in the messages instead of run's three.
     */
    private static Subsets subsets(ImageDataset trainSplit, ImageDataset testSplit, DataSpec spec, String option) {
        if (option != null && spec.trainSamples() > trainSplit.size()) {
            throw new InvalidInputException(option + " " + spec.trainSamples() + " does not fit in the "
                    + trainSplit.size() + " training images of " + spec.dataset());
        }
        if (option != null && spec.testSamples() > testSplit.size()) {
            throw new InvalidInputException(option + " " + spec.testSamples() + " exceeds the " + testSplit.size()
                    + " test images of " + spec.dataset() + " (the calibration subset draws as many test images,"
                    + " unused)");
        }
        if ((long) spec.trainSamples() + spec.valSamples() > trainSplit.size()) {
            throw new InvalidInputException("--train-samples " + spec.trainSamples() + " and --val-samples "
                    + spec.valSamples() + " (" + ((long) spec.trainSamples() + spec.valSamples()) + " images) do not"
                    + " fit in the " + trainSplit.size() + " training images of " + spec.dataset());
        }
        if (spec.testSamples() > testSplit.size()) {
            throw new InvalidInputException("--test-samples " + spec.testSamples() + " exceeds the "
                    + testSplit.size() + " test images of " + spec.dataset());
        }
        int[][] parts = StratifiedSampler.disjoint(trainSplit,
                new int[] {spec.trainSamples(), spec.valSamples()}, spec.subsetSeed());
        int[] testIdx = StratifiedSampler.ofSize(testSplit, spec.testSamples(), spec.subsetSeed());
        requireEveryClass(trainSplit, parts[0], option != null ? option : "--train-samples", spec);
        if (spec.valSamples() > 0) {
            requireEveryClass(trainSplit, parts[1], "--val-samples", spec);
        }
        requireEveryClass(testSplit, testIdx, option != null ? option : "--test-samples", spec);
        return new Subsets(parts[0], parts[1], testIdx);
    }

    private static void requireEveryClass(ImageDataset split, int[] subset, String option, DataSpec spec) {
        boolean[] seen = new boolean[split.classCount()];
        for (int i : subset) {
            seen[split.label(i)] = true;
        }
        for (int c = 0; c < seen.length; c++) {
            if (!seen[c]) {
                throw new InvalidInputException(option + " " + subset.length + " leaves class '" + split.className(c)
                        + "' of " + spec.dataset() + " without a sample (" + seen.length + " classes: every subset"
                        + " needs one of each)");
            }
        }
    }

    /**
     * The test samples a report uses: {@code requested}, or the whole test split of
     * {@code dataset} if {@code null}. Reads the split's header from {@code catalog}, so a dataset
     * that is not installed, or a request beyond the split, is bad input naming the value here,
     * before any run starts.
     */
    public static int reportTestSamples(DatasetCatalog catalog, String dataset, Integer requested) throws IOException {
        int size = catalog.read(DatasetCatalog.describe(dataset), Split.TEST).size();
        if (requested != null && (requested < 1 || requested > size)) {
            throw new InvalidInputException("--report-test-samples " + requested + " is outside [1, " + size
                    + "], the test images of " + dataset);
        }
        return requested != null ? requested : size;
    }

    /** Builds the tensors of {@code spec} from already loaded splits. */
    public static TaskData of(ImageDataset trainSplit, ImageDataset testSplit, DataSpec spec, ModelSpec model) {
        Subsets subsets = subsets(trainSplit, testSplit, spec);
        int[][] parts = {subsets.train(), subsets.validation()};
        int[] testIdx = subsets.test();
        int r = model.resolution();
        TransformSpec t = TransformSpec.unitScale(r, r, ResizeMode.BILINEAR, ModelSpec.IMAGE_CHANNELS);
        Normalisation n = spec.normalisation();
        if (n == null) {
            double[][] stats = trainSplit.subset(parts[0], "stats").channelStatistics();
            double mean = 0;
            double std = 0;
            for (int c = 0; c < stats[0].length; c++) {
                mean += stats[0][c] / stats[0].length;
                std += stats[1][c] / stats[0].length;
            }
            t = t.withNormalisation(mean, Math.max(std, 1e-6));
        } else {
            if (n.mean().size() != ModelSpec.IMAGE_CHANNELS) {
                throw new InvalidInputException("normalisation from " + n.source() + " has " + n.mean().size()
                        + " channels, the network takes " + ModelSpec.IMAGE_CHANNELS);
            }
            double[] mean = new double[ModelSpec.IMAGE_CHANNELS];
            double[] std = new double[ModelSpec.IMAGE_CHANNELS];
            for (int c = 0; c < mean.length; c++) {
                mean[c] = n.meanOf(c);
                std[c] = n.stdOf(c);
            }
            t = new TransformSpec(r, r, ResizeMode.BILINEAR, ModelSpec.IMAGE_CHANNELS, mean, std);
        }
        TensorTransform tt = TensorTransform.compile(trainSplit.shape(), t);
        return new TaskData(spec, t, samples(trainSplit, parts[0], tt), samples(trainSplit, parts[1], tt),
                samples(testSplit, testIdx, tt), trainSplit.classCount());
    }

    private static Samples samples(ImageDataset d, int[] idx, TensorTransform tt) {
        float[] values = new float[idx.length * tt.floatsPerImage()];
        if (idx.length > 0) {
            tt.apply(d, idx, 0, idx.length, values, 0);
        }
        int[] labels = new int[idx.length];
        d.copyLabels(idx, 0, idx.length, labels, 0);
        var shape = tt.outputShape();
        return new Samples(values, labels, shape.channels(), shape.height(), shape.width(), 0);
    }
}
