package io.tinysparse.search.driver;

import io.tinysparse.core.InvalidInputException;
import java.util.List;
import java.util.Map;

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

    /** The ratio of each backbone by content hash. */
    public Map<String, Double> byHash() {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < hashes.size(); i++) {
            m.put(hashes.get(i), ratios.get(i));
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Records the ratios and backbones in a search's configuration. */
    void describe(Map<String, Object> config) {
        config.put("prune_ratios", ratios);
        config.put("backbone_hashes", hashes);
    }
}
