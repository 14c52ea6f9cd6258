package io.tinysparse.search.driver;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.space.PolicySpaceJson;
import io.tinysparse.search.space.PolicySpaces;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * The pruning ratios a search ({@code --prune-ratios}) fine-tunes, and the backbone each made:
 * with more than one, the search's genome has a backbone gene ({@link
 * io.tinysparse.search.space.PolicySpaces}) whose value {@code b} is ratio {@code ratios.get(b)}.
 *
 * @param ratios strictly ascending, each in [0, 1) (0: the backbone unpruned)
 * @param hashes content hash of each ratio's backbone, in the same order
 */
public record PrunedBackbones(List<Double> ratios, List<String> hashes) {
    public PrunedBackbones {
        ratios = List.copyOf(ratios);
        hashes = List.copyOf(hashes);
        if (ratios.isEmpty() || ratios.size() != hashes.size()) {
            throw new IllegalArgumentException(ratios.size() + " pruning ratios and " + hashes.size() + " backbones");
        }
        for (int i = 0; i < ratios.size(); i++) {
            double r = ratios.get(i);
            if (!(r >= 0 && r < 1) || (i > 0 && r <= ratios.get(i - 1))) {
                throw new InvalidInputException("pruning ratios must be strictly ascending within [0, 1), got " + ratios);
            }
        }
    }

    /** The pruning ratio of the backbone of content hash {@code hash}, or null if it is none of these. */
    public Double ratioOf(String hash) {
        int b = hashes.indexOf(hash);
        return b < 0 ? null : ratios.get(b);
    }

    /**
     * Records the ratios and backbones in a search's configuration, and with more than one the
     * network of each ({@code backbone_models}, {@code spaces}' models, for what reads a run of the
     * search back: the configuration's {@code space} is the first's).
     */
    void describe(Map<String, Object> config, PolicySpaces spaces) {
        config.put("prune_ratios", ratios);
        config.put("backbone_hashes", hashes);
        if (spaces.backbones() > 1) {
            config.put("backbone_models", spaces.all().stream().map(s -> PolicySpaceJson.modelNode(s.model())).toList());
        }
    }

    /** The pruning ratios a stored search configuration records, or null for a search without them. */
    public static List<Double> ratiosIn(JsonNode config) {
        JsonNode ratios = config.get("prune_ratios");
        return ratios == null ? null : StreamSupport.stream(ratios.spliterator(), false).map(JsonNode::asDouble)
                .toList();
    }

    /**
     * The network of backbone {@code hash} that a stored search configuration records
     * ({@code backbone_models}), or null where it records none for it (one backbone: its
     * {@code space}'s model; or a search stored before the key existed).
     */
    public static ModelSpec modelIn(JsonNode config, String hash) {
        JsonNode hashes = config.path("backbone_hashes");
        JsonNode models = config.path("backbone_models");
        for (int b = 0; b < hashes.size() && b < models.size(); b++) {
            if (hashes.get(b).asText().equals(hash)) {
                return PolicySpaceJson.model(models.get(b));
            }
        }
        return null;
    }
}
