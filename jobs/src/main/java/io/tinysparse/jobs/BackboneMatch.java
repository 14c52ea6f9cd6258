package io.tinysparse.jobs;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the network a stored run was trained from, by the run's {@code backbone_hash}: a search
 * stores the hash of its backbone as it trains it (resolution set, batch norm folded, a new
 * classifier drawn from the search seed), so each candidate file is brought to that form and
 * hashed; the one whose hash is the run's is it. Nothing else is trusted to identify it.
 */
final class BackboneMatch {
    private BackboneMatch() {}

    /**
     * The run's network (folded, as trained), from the first of {@code candidates} that gives
     * {@code backboneHash}; empty when none does. Files that are not networks are skipped.
     */
    static Optional<Network> find(List<Path> candidates, String backboneHash, ModelSpec model, long searchSeed) {
        for (Path file : candidates) {
            Network raw;
            try {
                raw = Network.load(file);
            } catch (IOException | RuntimeException notANetwork) {
                continue;
            }
            Network trained;
            try {
                trained = raw.withResolution(model.resolution()).fold().withNewClassifier(model.numClasses(), searchSeed);
            } catch (RuntimeException otherShape) {
                continue;
            }
            if (trained.parameterHash().equals(backboneHash)) {
                return Optional.of(trained);
            }
        }
        return Optional.empty();
    }

    /** {@code given} (if any), then every network of the backbone store under {@code storeRoot}. */
    static List<Path> candidates(Path given, Path storeRoot) throws IOException {
        List<Path> out = new ArrayList<>();
        if (given != null) {
            out.add(given);
        }
        if (Files.isDirectory(storeRoot)) {
            try (Stream<Path> dirs = Files.list(storeRoot)) {
                dirs.sorted().map(d -> d.resolve(io.tinysparse.simulator.pretrain.BackboneStore.NETWORK_FILE))
                        .filter(Files::isRegularFile).forEach(out::add);
            }
        }
        return out;
    }
}
