package io.tinysparse.simulator.pretrain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.provenance.BuildInfo;
import io.tinysparse.core.provenance.Platform;
import io.tinysparse.core.provenance.Provenance;
import io.tinysparse.datasets.format.AtomicFile;
import io.tinysparse.simulator.engine.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A pretrained backbone on disk: the network file ({@link Network#save}, versioned binary,
 * SHA-256 checked) and its {@link BackboneProvenance} as JSON beside it, at
 * {@link #provenanceFile(Path) FILE.json}.
 *
 * <p>Both files are written atomically (temporary file, then rename), the network first: a
 * reader that finds the provenance finds the whole network, and {@link #load} checks that the
 * network's parameter hash is the one the provenance records, so a swapped or stale pair is
 * refused. The network is kept unfolded (batch norm with running statistics); use
 * {@link #forTarget} for the folded network a fine-tuning run starts from.
 */
public final class BackboneCheckpoint {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Network network;
    private final BackboneProvenance provenance;

    /**
     * Pairs a network with its provenance.
     *
     * @throws InvalidInputException if the network's parameter hash or spec is not the one the
     *     provenance records
     */
    public BackboneCheckpoint(Network network, BackboneProvenance provenance) {
        String hash = network.parameterHash();
        if (!hash.equals(provenance.parameterHash())) {
            throw new InvalidInputException("network parameter hash " + hash + " differs from the provenance's "
                    + provenance.parameterHash());
        }
        if (!network.spec().equals(provenance.spec().model())) {
            throw new InvalidInputException("network is a " + network.spec().label() + " but the provenance records "
                    + provenance.spec().model().label());
        }
        this.network = network.copy();
        this.provenance = provenance;
    }

    /** The checkpoint of a finished pretraining run, stamped with the running code's provenance and now. */
    public static BackboneCheckpoint of(PretrainSpec spec, PretrainResult result) {
        Network n = result.network();
        BackboneProvenance p = new BackboneProvenance(BackboneProvenance.FORMAT_VERSION, spec, spec.hash(), "train",
                result.iterations(), spec.warmupIterations(), result.heldOutAccuracy(), result.finalTrainLoss(),
                result.inputTransform().canonical(), result.trainNanos() / 1e9, result.threads(), n.parameterHash(),
                Provenance.current(), Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        return new BackboneCheckpoint(n, p);
    }

    /**
     * The checkpoint of a pruned backbone ({@code spec.pruning()} given) after its recovery
     * fine-tuning {@code recovery}, with what the pruning measured.
     */
    public static BackboneCheckpoint ofPruned(PretrainSpec spec, PretrainResult recovery, PruneOutcome outcome) {
        Network n = recovery.network();
        BackboneProvenance p = new BackboneProvenance(BackboneProvenance.FORMAT_VERSION, spec, spec.hash(), "train",
                recovery.iterations(), spec.pruning().recoveryWarmupIterations(), recovery.heldOutAccuracy(),
                recovery.finalTrainLoss(), recovery.inputTransform().canonical(), recovery.trainNanos() / 1e9,
                recovery.threads(), n.parameterHash(), Provenance.current(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), outcome);
        return new BackboneCheckpoint(n, p);
    }

    /** A copy of the pretrained (unfolded) network. */
    public Network network() {
        return network.copy();
    }

    /** Where the backbone came from. */
    public BackboneProvenance provenance() {
        return provenance;
    }

    /**
     * The network a fine-tuning run on a target task starts from: batch norm folded (as on the
     * device), input resolution {@code resolution}, and a fresh classifier for {@code classes}
     * classes initialised from {@code seed}. The backbone itself is not changed.
     */
    public Network forTarget(int classes, int resolution, long seed) {
        return network.withResolution(resolution).withNewClassifier(classes, seed).fold();
    }

    /** The provenance file of network file {@code networkFile}: the same name with {@code .json} appended. */
    public static Path provenanceFile(Path networkFile) {
        return networkFile.resolveSibling(networkFile.getFileName() + ".json");
    }

    /** Writes the network to {@code networkFile}, then the provenance beside it, each atomically. */
    public void save(Path networkFile) throws IOException {
        network.save(networkFile);
        AtomicFile.write(provenanceFile(networkFile), out -> MAPPER.writeValue(out, provenance));
    }

    /**
     * Loads the checkpoint whose network file is {@code networkFile}.
     *
     * @throws InvalidInputException with a one-line message naming the bad file if either file
     *     is missing, unreadable as its format, of an unsupported version, corrupt, or if the
     *     two do not belong together
     */
    public static BackboneCheckpoint load(Path networkFile) throws IOException {
        BackboneProvenance provenance = readProvenance(provenanceFile(networkFile));
        Network network = Network.load(networkFile);
        try {
            return new BackboneCheckpoint(network, provenance);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("backbone " + networkFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Layout 1 as layout 2: its {@code code_version} and {@code git_commit} become the build of
     * {@code computed_by}, whose platform layout 1 did not record. Backbones pretrained before
     * layout 2 stay usable (their address, the spec hash, is unchanged).
     */
    private static ObjectNode fromLayout1(ObjectNode v1) {
        ObjectNode v2 = v1.deepCopy();
        String commit = v2.path("git_commit").asText(BuildInfo.UNKNOWN);
        BuildInfo build = new BuildInfo(v2.path("code_version").asText(BuildInfo.UNKNOWN),
                BuildInfo.isCommit(commit) ? commit : BuildInfo.UNKNOWN, false);
        v2.remove(List.of("code_version", "git_commit"));
        v2.set("computed_by", MAPPER.valueToTree(new Provenance(build, Platform.unknown())));
        v2.put("format_version", 2);
        return v2;
    }

    /**
     * Layout 2 as layout 3: pretraining before shards and threads was one shard on one thread
     * (whose spec keeps its canonical form and so its address).
     */
    private static ObjectNode fromLayout2(ObjectNode v2) {
        ObjectNode v3 = v2.deepCopy();
        if (v3.get("spec") instanceof ObjectNode spec && !spec.has("shards")) {
            spec.put("shards", 1);
        }
        if (!v3.has("train_threads")) {
            v3.put("train_threads", 1);
        }
        v3.put("format_version", BackboneProvenance.FORMAT_VERSION);
        return v3;
    }

    /** Reads and validates a provenance file (layouts 1 to 3). */
    public static BackboneProvenance readProvenance(Path file) throws IOException {
        try {
            JsonNode tree = MAPPER.readTree(Files.readAllBytes(file));
            JsonNode version = tree == null ? null : tree.get("format_version");
            if (version == null || !version.canConvertToInt()) {
                throw new InvalidInputException("no format_version: not a backbone provenance file");
            }
            if (version.intValue() == 1 && tree instanceof ObjectNode v1) {
                tree = fromLayout2(fromLayout1(v1));
            } else if (version.intValue() == 2 && tree instanceof ObjectNode v2) {
                tree = fromLayout2(v2);
            } else if (version.intValue() != BackboneProvenance.FORMAT_VERSION) {
                throw new InvalidInputException("format_version " + version.intValue() + " is not supported (expected 1 to "
                        + BackboneProvenance.FORMAT_VERSION + ")");
            }
            return MAPPER.treeToValue(tree, BackboneProvenance.class);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("backbone provenance " + file + " does not exist");
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof InvalidInputException ? e.getCause() : e;
            String reason = cause instanceof JsonProcessingException j ? j.getOriginalMessage() : cause.getMessage();
            throw new InvalidInputException("backbone provenance " + file + " is invalid: " + reason, e);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("backbone provenance " + file + ": " + e.getMessage(), e);
        }
    }
}
