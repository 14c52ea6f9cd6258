package io.tinysparse.dl4j.keras;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.hash.ContentHash;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.Objects;

/**
 * Where an imported backbone came from, stored as JSON beside its network file
 * ({@code FILE.tsnw.json}, the place {@code tinysparse pretrain} puts its provenance; the
 * {@code source} field tells the two apart): the Keras file and its SHA-256, the Keras and
 * Deeplearning4j versions, what the import found and checked, and the code that ran it.
 *
 * @param formatVersion      version of this JSON layout ({@link #FORMAT_VERSION})
 * @param source             always {@code keras-h5}
 * @param sourceFile         the {@code .h5} file as given
 * @param sourceSha256       lower-case hex SHA-256 of the {@code .h5} file's bytes
 * @param sourceBytes        its size, bytes
 * @param kerasModelName     the Keras model's name
 * @param kerasVersion       the file's {@code keras_version}
 * @param kerasBackend       the file's {@code backend}
 * @param dl4jVersion        the version of DL4J's Keras import that read it
 * @param model              the imported network's spec (its resolution may differ from the file's)
 * @param fileResolution     the file's input resolution, pixels (0 when it had none)
 * @param includeTop         whether the classifier is the file's {@code predictions}; false:
 *                           a fresh classifier from {@code classifierSeed}
 * @param classifierSeed     seed of the fresh classifier (and of the verification image)
 * @param batchNormEpsilon   the file's batch-norm epsilon
 * @param padding            the network's padding convention ({@code TF_SAME})
 * @param dl4jDifference     largest relative difference to DL4J's graph on the verification image
 * @param parameterHash      {@code Network.parameterHash()} of the written network
 * @param codeVersion        the version of the build that ran it ({@code BuildInfo.version()})
 * @param gitCommit          the commit that build was made from, or {@code unknown}
 * @param created            ISO-8601 instant of the import
 */
public record KerasImportProvenance(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("source") String source,
        @JsonProperty("source_file") String sourceFile,
        @JsonProperty("source_sha256") String sourceSha256,
        @JsonProperty("source_bytes") long sourceBytes,
        @JsonProperty("keras_model_name") String kerasModelName,
        @JsonProperty("keras_version") String kerasVersion,
        @JsonProperty("keras_backend") String kerasBackend,
        @JsonProperty("dl4j_version") String dl4jVersion,
        @JsonProperty("model") ModelSpec model,
        @JsonProperty("file_resolution") int fileResolution,
        @JsonProperty("include_top") boolean includeTop,
        @JsonProperty("classifier_seed") long classifierSeed,
        @JsonProperty("batch_norm_epsilon") double batchNormEpsilon,
        @JsonProperty("padding") String padding,
        @JsonProperty("dl4j_difference") double dl4jDifference,
        @JsonProperty("parameter_hash") String parameterHash,
        @JsonProperty("code_version") String codeVersion,
        @JsonProperty("git_commit") String gitCommit,
        @JsonProperty("created") String created) {

    /** The JSON layout this code writes. */
    public static final int FORMAT_VERSION = 1;
    /** The {@code source} of every import provenance. */
    public static final String SOURCE = "keras-h5";

    public KerasImportProvenance {
        if (!SOURCE.equals(source)) {
            throw new InvalidInputException("source must be " + SOURCE + ", got " + source);
        }
        ContentHash.require(sourceSha256, "source_sha256");
        ContentHash.require(parameterHash, "parameter_hash");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sourceFile, "source_file");
        Objects.requireNonNull(kerasVersion, "keras_version");
        Objects.requireNonNull(dl4jVersion, "dl4j_version");
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(created, "created");
    }
}
