package io.tinysparse.simulator.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import java.util.Objects;

/**
 * The fine-tuning data of a run: which dataset, and how many samples of it. Subsets are
 * stratified and drawn with {@code subsetSeed}, so two runs with equal data specs see the same
 * samples; validation samples come from the training split, disjoint from the training subset,
 * and test samples from the test split.
 *
 * @param dataset catalogue name of the target dataset, e.g. {@code mnist}
 * @param trainSamples training samples (stratified), at least 1
 * @param valSamples validation samples (stratified, disjoint from training), at least 0
 * @param testSamples test samples (stratified), at least 1
 * @param subsetSeed seed of the stratified subsets
 * @param normalisation the statistics images are normalised with, normally the backbone's
 *        pretraining statistics; {@code null}: the training subset's own mean and std (kept for
 *        runs stored before backbone statistics were used; absent from the JSON, so their ids
 *        are unchanged)
 */
public record DataSpec(
        @JsonProperty("dataset") String dataset,
        @JsonProperty("train_samples") int trainSamples,
        @JsonProperty("val_samples") int valSamples,
        @JsonProperty("test_samples") int testSamples,
        @JsonProperty("subset_seed") long subsetSeed,
        @JsonProperty("normalisation") @JsonInclude(JsonInclude.Include.NON_NULL) Normalisation normalisation) {

    /** A data spec normalised with the training subset's own statistics (no backbone statistics known). */
    public DataSpec(String dataset, int trainSamples, int valSamples, int testSamples, long subsetSeed) {
        this(dataset, trainSamples, valSamples, testSamples, subsetSeed, null);
    }

    /** This spec with a test subset of {@code n} samples (training and validation subsets unchanged). */
    public DataSpec withTestSamples(int n) {
        return new DataSpec(dataset, trainSamples, valSamples, n, subsetSeed, normalisation);
    }

    /** This spec with images normalised by {@code n}. */
    public DataSpec withNormalisation(Normalisation n) {
        return new DataSpec(dataset, trainSamples, valSamples, testSamples, subsetSeed, n);
    }

    public DataSpec {
        Objects.requireNonNull(dataset, "dataset");
        if (dataset.isBlank()) {
            throw new InvalidInputException("dataset must not be empty");
        }
        if (trainSamples < 1) {
            throw new InvalidInputException("train_samples must be >= 1, got " + trainSamples);
        }
        if (valSamples < 0) {
            throw new InvalidInputException("val_samples must be >= 0, got " + valSamples);
        }
        if (testSamples < 1) {
            throw new InvalidInputException("test_samples must be >= 1, got " + testSamples);
        }
    }
}
