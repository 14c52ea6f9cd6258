package io.tinysparse.simulator.cli;

import io.tinysparse.core.cli.OptionRange;
import io.tinysparse.simulator.run.DataSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The task of every command that fine-tunes ({@code @Mixin DataSpecOptions data;}): the target
 * dataset and the sizes and seed of its stratified subsets, as a {@link DataSpec}. Each default
 * is declared here and nowhere else, so {@code run} and {@code search} train on the same task
 * unless told otherwise. Sizes are checked as they are set ({@link OptionRange}); whether the
 * dataset holds them, with a sample of every class in every subset, is
 * {@link io.tinysparse.simulator.run.TaskData#check}'s.
 */
public final class DataSpecOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = "Target dataset (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--train-samples", paramLabel = "N", defaultValue = "1000",
            description = "Training samples per run, stratified (default: ${DEFAULT-VALUE}).")
    void trainSamples(int n) {
        trainSamples = OptionRange.atLeast(command, "--train-samples", n, 1);
    }

    int trainSamples;

    @Option(names = "--val-samples", paramLabel = "N", defaultValue = "1000",
            description = "Validation samples, stratified, from the training split and disjoint from the training"
                    + " samples; a search makes every decision (ranking, promotion, fronts) on them"
                    + " (default: ${DEFAULT-VALUE}).")
    void valSamples(int n) {
        valSamples = OptionRange.atLeast(command, "--val-samples", n, 0);
    }

    int valSamples;

    @Option(names = "--test-samples", paramLabel = "N", defaultValue = "1000",
            description = "Test samples, stratified, from the test split: reported beside every run, never decided on"
                    + " (default: ${DEFAULT-VALUE}).")
    void testSamples(int n) {
        testSamples = OptionRange.atLeast(command, "--test-samples", n, 1);
    }

    int testSamples;

    @Option(names = "--subset-seed", paramLabel = "S",
            description = "Seed of the stratified subsets (default: the command's --seed).")
    Long subsetSeed;

    /** The task, its subsets drawn with {@code --subset-seed}, else with {@code seed} (the command's own). */
    public DataSpec dataSpec(long seed) {
        return new DataSpec(dataset, trainSamples, valSamples, testSamples, subsetSeed != null ? subsetSeed : seed);
    }
}
