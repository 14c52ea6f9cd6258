package io.tinysparse.simulator.pretrain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.hash.ContentHash;
import io.tinysparse.core.provenance.Provenance;
import io.tinysparse.datasets.transform.TransformSpec;
import io.tinysparse.simulator.run.Normalisation;
import io.tinysparse.core.InvalidInputException;
import java.util.Objects;

/**
 * Where a pretrained backbone came from, stored as JSON beside its network file (see
 * {@link BackboneCheckpoint}): the full {@link PretrainSpec} (model, source dataset, sample
 * counts, budget, optimiser, seed), what the run measured, the input normalisation the
 * backbone was trained with, and the code and Java platform that made it.
 *
 * <p>Layout 1 (before the platform was recorded) had {@code code_version} and {@code git_commit}
 * where {@code computed_by} is; {@link BackboneCheckpoint#readProvenance} reads it with the
 * platform unknown. Layouts 1 and 2 (before data-parallel pretraining) had no
 * {@code spec.shards} and no {@code train_threads}: they were one shard on one thread.
 *
 * @param formatVersion     version of this JSON layout ({@link #FORMAT_VERSION})
 * @param spec              the pretraining spec
 * @param specHash          {@link PretrainSpec#hash()} of {@code spec}: the store's address
 * @param sourceSplit       the split of {@code spec.dataset()} the images came from
 * @param iterations        training steps taken
 * @param warmupIterations  of which linear warm-up
 * @param heldOutAccuracy   top-1 accuracy on the held-out images, in {@code [0, 1]}
 * @param finalTrainLoss    mean training loss of the last window of steps
 * @param inputTransform    how images were made into the network's input, as
 *                          {@code TransformSpec.canonical()} (resize, size, channels, the
 *                          normalisation mean and std of the training images)
 * @param trainSeconds      wall time of the training steps, seconds
 * @param trainThreads      threads the steps were shared out over (the wall time depends on it,
 *                          the network does not); 1 for layouts before 3
 * @param parameterHash     {@code Network.parameterHash()} of the saved network; checked on load
 * @param computedBy        the build (version, commit) and the Java platform (version, CPU
 *                          architecture) it was trained with
 * @param created           ISO-8601 instant the checkpoint was made
 * @param pruneOutcome      for a pruned backbone ({@code spec.pruning()} given), what the pruning
 *                          measured; then {@code iterations}, {@code warmupIterations},
 *                          {@code finalTrainLoss}, {@code trainSeconds} and
 *                          {@code heldOutAccuracy} are the recovery fine-tuning's. Null (and
 *                          absent from the JSON) for a backbone pretrained from scratch
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
        @JsonProperty("input_transform") String inputTransform,
        @JsonProperty("train_seconds") double trainSeconds,
        @JsonProperty("train_threads") int trainThreads,
        @JsonProperty("parameter_hash") String parameterHash,
        @JsonProperty("computed_by") Provenance computedBy,
        @JsonProperty("created") String created,
        @JsonProperty("prune_outcome") @JsonInclude(JsonInclude.Include.NON_NULL) PruneOutcome pruneOutcome) {

    /** The JSON layout this code writes and reads. */
    public static final int FORMAT_VERSION = 3;

    public BackboneProvenance {
        Objects.requireNonNull(spec, "spec");
        if (!spec.hash().equals(specHash)) {
            throw new InvalidInputException("spec_hash " + specHash + " does not match the spec (" + spec.hash() + ")");
        }
        if (trainThreads < 1) {
            throw new InvalidInputException("train_threads must be >= 1, got " + trainThreads);
        }
        if (!(heldOutAccuracy >= 0 && heldOutAccuracy <= 1)) {
            throw new InvalidInputException("held_out_accuracy must be in [0, 1], got " + heldOutAccuracy);
        }
        ContentHash.require(parameterHash, "parameter_hash");
        Objects.requireNonNull(inputTransform, "input_transform");
        Objects.requireNonNull(sourceSplit, "source_split");
        Objects.requireNonNull(computedBy, "computed_by");
        Objects.requireNonNull(created, "created");
        if ((pruneOutcome == null) != (spec.pruning() == null)) {
            throw new InvalidInputException(pruneOutcome == null ? "a pruned backbone's provenance needs prune_outcome"
                    : "prune_outcome is only for a pruned backbone");
        }
    }

    /** The provenance of a backbone pretrained from scratch (no prune outcome). */
    public BackboneProvenance(int formatVersion, PretrainSpec spec, String specHash, String sourceSplit,
            long iterations, long warmupIterations, double heldOutAccuracy, double finalTrainLoss,
            String inputTransform, double trainSeconds, int trainThreads, String parameterHash, Provenance computedBy,
            String created) {
        this(formatVersion, spec, specHash, sourceSplit, iterations, warmupIterations, heldOutAccuracy, finalTrainLoss,
                inputTransform, trainSeconds, trainThreads, parameterHash, computedBy, created, null);
    }

    /** The statistics the backbone's inputs were normalised with in pretraining. */
    public Normalisation inputNormalisation() {
        return Normalisation.of(TransformSpec.fromCanonical(inputTransform),
                "backbone " + parameterHash.substring(0, Math.min(12, parameterHash.length())));
    }
}
