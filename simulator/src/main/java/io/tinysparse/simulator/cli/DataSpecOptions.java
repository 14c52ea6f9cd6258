package io.tinysparse.simulator.cli;

import io.tinysparse.simulator.run.DataSpec;
import picocli.CommandLine.Option;

/**
 * The task of every command that fine-tunes ({@code @Mixin DataSpecOptions data;}): the target
 * dataset and the sizes and seed of its stratified subsets, as a {@link DataSpec}. Each default
 * is declared here and nowhere else, so {@code run} and {@code search} train on the same task
 * unless told otherwise.
 */
public final class DataSpecOptions {
    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = "Target dataset (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--train-samples", paramLabel = "N", defaultValue = "1000",
            description = "Training samples per run, stratified (default: ${DEFAULT-VALUE}).")
    int trainSamples;

    @Option(names = "--val-samples", paramLabel = "N", defaultValue = "1000",
            description = "Validation samples, stratified, from the training split and disjoint from the training"
                    + " samples; a search makes every decision (ranking, promotion, fronts) on them"
                    + " (default: ${DEFAULT-VALUE}).")
    int valSamples;

    @Option(names = "--test-samples", paramLabel = "N", defaultValue = "1000",
            description = "Test samples, stratified, from the test split: reported beside every run, never decided on"
                    + " (default: ${DEFAULT-VALUE}).")
    int testSamples;

    @Option(names = "--subset-seed", paramLabel = "S",
            description = "Seed of the stratified subsets (default: the command's --seed).")
    Long subsetSeed;

    /** The task, its subsets drawn with {@code --subset-seed}, else with {@code seed} (the command's own). */
    public DataSpec dataSpec(long seed) {
        return new DataSpec(dataset, trainSamples, valSamples, testSamples, subsetSeed != null ? subsetSeed : seed);
    }
}
