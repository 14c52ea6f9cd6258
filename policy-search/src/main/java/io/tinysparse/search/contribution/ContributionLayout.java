package io.tinysparse.search.contribution;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Genome;
import io.tinysparse.search.GenomeSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a genome keeps what Lin et al.'s contribution analysis varies: the bias depth (how many
 * of the last convolutions have their biases trained) and, per candidate layer, the index of
 * its weight-update ratio. Ratio value 0 of every layer gene must mean ratio 0 (weights not
 * updated). A layer's weights may be updated only if the layer lies inside the bias-updated
 * range, i.e. {@code convIndex >= convCount - biasDepth} (as in the tiny-training repository).
 *
 * @param biasGene   index of the bias-depth gene
 * @param biasDepths bias depth (number of last convolutions) of each value of the bias gene,
 *                   strictly ascending, one per value
 * @param layerGenes index of each layer's ratio gene
 * @param layerConvs conv index (0-based from the input, counting every conv) of each layer gene
 * @param convCount  number of convolutions in the network
 */
public record ContributionLayout(int biasGene, List<Integer> biasDepths, List<Integer> layerGenes,
        List<Integer> layerConvs, int convCount) {
    public ContributionLayout {
        biasDepths = List.copyOf(biasDepths);
        layerGenes = List.copyOf(layerGenes);
        layerConvs = List.copyOf(layerConvs);
        if (biasDepths.isEmpty()) {
            throw new InvalidInputException("contribution layout needs at least one bias depth");
        }
        for (int i = 0; i < biasDepths.size(); i++) {
            int d = biasDepths.get(i);
            if (d < 0 || d > convCount || (i > 0 && d <= biasDepths.get(i - 1))) {
                throw new InvalidInputException("bias depths must be strictly ascending within [0, " + convCount
                        + "], got " + biasDepths);
            }
        }
        if (layerGenes.size() != layerConvs.size()) {
            throw new InvalidInputException("contribution layout has " + layerGenes.size() + " layer genes but "
                    + layerConvs.size() + " conv indices");
        }
        Set<Integer> genes = new HashSet<>();
        genes.add(biasGene);
        for (int g : layerGenes) {
            if (!genes.add(g)) {
                throw new InvalidInputException("gene " + g + " is used twice in the contribution layout");
            }
        }
        for (int c : layerConvs) {
            if (c < 0 || c >= convCount) {
                throw new InvalidInputException("layer conv index " + c + " outside [0, " + convCount + ")");
            }
        }
    }

    /** Throws unless every gene named here exists in {@code space} with matching cardinality. */
    public void requireFits(GenomeSpace space) {
        if (biasGene < 0 || biasGene >= space.dimensions()) {
            throw new InvalidInputException("bias gene " + biasGene + " outside the space " + space);
        }
        if (space.cardinality(biasGene) != biasDepths.size()) {
            throw new InvalidInputException("bias gene has " + space.cardinality(biasGene) + " values but "
                    + biasDepths.size() + " bias depths are listed");
        }
        for (int g : layerGenes) {
            if (g < 0 || g >= space.dimensions()) {
                throw new InvalidInputException("layer gene " + g + " outside the space " + space);
            }
        }
    }

    /** Whether layer gene number {@code layer} (position in {@link #layerGenes}) may be updated at bias value {@code biasValue}. */
    public boolean inBiasRange(int layer, int biasValue) {
        return layerConvs.get(layer) >= convCount - biasDepths.get(biasValue);
    }

    /**
     * The smallest bias value whose depth puts every candidate layer inside the bias range, or
     * the largest value if none does.
     */
    public int coveringBiasValue() {
        int lowest = layerConvs.stream().mapToInt(Integer::intValue).min().orElse(convCount);
        for (int v = 0; v < biasDepths.size(); v++) {
            if (lowest >= convCount - biasDepths.get(v)) {
                return v;
            }
        }
        return biasDepths.size() - 1;
    }

    /** {@code base} with the bias gene set to {@code biasValue} and every layer ratio set to 0. */
    public Genome biasOnly(Genome base, int biasValue) {
        int[] g = base.toArray();
        g[biasGene] = biasValue;
        for (int lg : layerGenes) {
            g[lg] = 0;
        }
        return Genome.of(g);
    }
}
