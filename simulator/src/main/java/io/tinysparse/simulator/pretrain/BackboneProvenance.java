package io.tinysparse.simulator.pretrain;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.datasets.InvalidInputException;
import java.util.Objects;

/**
 * Where a pretrained backbone came from, stored as JSON beside its network file (see
 * {@link BackboneCheckpoint}): the full {@link PretrainSpec} (model, source dataset, sample
 * counts, budget, optimiser, seed), what the run measured, the input normalisation the
 * backbone was trained with, and the code that made it.
 *
 * @param formatVersion     version of this JSON layout ({@link #FORMAT_VERSION})
 * @param spec              the pretraining spec
 * @param specHash          {@link PretrainSpec#hash()} of {@code spec}: the store's address
 * @param sourceSplit       the split of {@code spec.dataset()} the images came from
 * @param iterations        training steps taken
 * @param warmupIterations  of which linear warm-up
 * @param heldOutAccuracy   top-1 accuracy on the held-out images, in {@code [0, 1]}
 * @param finalTrainLoss    mean training loss of the last window of steps
 * @param normalisationMean per-input-channel mean, on the [0, 1] pixel scale
 * @param normalisationStd  per-input-channel std, on the [0, 1] pixel scale
 * @param trainSeconds      wall time of the training steps, seconds
 * @param parameterHash     {@code Network.parameterHash()} of the saved network; checked on load
 * @param codeVersion       the jar's Implementation-Version, or {@code dev}
 * @param gitCommit         {@code git rev-parse HEAD} where it ran, or {@code unknown}
 * @param created           ISO-8601 instant the checkpoint was made
 */
public record BackboneProvenance(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("spec") PretrainSpec spec,
        @JsonProperty("spec_hash") String specHash,
        @JsonProperty("source_split") String sourceSplit,
        @JsonProperty("iterations") long iterations,
        @JsonProperty("warmup_iterations") long warmupIterations,
        @JsonProperty("held_out_accuracy") double heldOutAccuracy,
        @JsonProperty("final_train_loss") double finalTrainLoss,
        @JsonProperty("normalisation_mean") double[] normalisationMean,
        @JsonProperty("normalisation_std") double[] normalisationStd,
        @JsonProperty("train_seconds") double trainSeconds,
        @JsonProperty("parameter_hash") String parameterHash,
        @JsonProperty("code_version") String codeVersion,
        @JsonProperty("git_commit") String gitCommit,
        @JsonProperty("created") String created) {

    /** The JSON layout this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    public BackboneProvenance {
        Objects.requireNonNull(spec, "spec");
        if (!spec.hash().equals(specHash)) {
            throw new InvalidInputException("spec_hash " + specHash + " does not match the spec (" + spec.hash() + ")");
        }
        if (!(heldOutAccuracy >= 0 && heldOutAccuracy <= 1)) {
            throw new InvalidInputException("held_out_accuracy must be in [0, 1], got " + heldOutAccuracy);
        }
        if (parameterHash == null || !parameterHash.matches("[0-9a-f]{64}")) {
            throw new InvalidInputException("parameter_hash must be 64 hex digits, got " + parameterHash);
        }
        Objects.requireNonNull(normalisationMean, "normalisation_mean");
        Objects.requireNonNull(normalisationStd, "normalisation_std");
        if (normalisationMean.length != normalisationStd.length) {
            throw new InvalidInputException("normalisation_mean and normalisation_std differ in length: "
                    + normalisationMean.length + " and " + normalisationStd.length);
        }
        normalisationMean = normalisationMean.clone();
        normalisationStd = normalisationStd.clone();
        Objects.requireNonNull(sourceSplit, "source_split");
        Objects.requireNonNull(codeVersion, "code_version");
        Objects.requireNonNull(gitCommit, "git_commit");
        Objects.requireNonNull(created, "created");
    }

    @Override
    public double[] normalisationMean() {
        return normalisationMean.clone();
    }

    @Override
    public double[] normalisationStd() {
        return normalisationStd.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackboneProvenance p && formatVersion == p.formatVersion && spec.equals(p.spec)
                && specHash.equals(p.specHash) && sourceSplit.equals(p.sourceSplit) && iterations == p.iterations
                && warmupIterations == p.warmupIterations
                && Double.compare(heldOutAccuracy, p.heldOutAccuracy) == 0
                && Double.compare(finalTrainLoss, p.finalTrainLoss) == 0
                && java.util.Arrays.equals(normalisationMean, p.normalisationMean)
                && java.util.Arrays.equals(normalisationStd, p.normalisationStd)
                && Double.compare(trainSeconds, p.trainSeconds) == 0 && parameterHash.equals(p.parameterHash)
                && codeVersion.equals(p.codeVersion) && gitCommit.equals(p.gitCommit) && created.equals(p.created);
    }

    @Override
    public int hashCode() {
        return Objects.hash(specHash, parameterHash, created);
    }
}
