package io.tinysparse.simulator.run;

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
 */
public record DataSpec(
        @JsonProperty("dataset") String dataset,
        @JsonProperty("train_samples") int trainSamples,
        @JsonProperty("val_samples") int valSamples,
        @JsonProperty("test_samples") int testSamples,
        @JsonProperty("subset_seed") long subsetSeed) {

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
