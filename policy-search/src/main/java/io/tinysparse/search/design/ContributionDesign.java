package io.tinysparse.search.design;

import io.tinysparse.search.Genome;
import io.tinysparse.search.contribution.ContributionLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A first design built from what is known about sparse updates rather than drawn at random: the
 * one-factor-at-a-time measurements of Lin et al.'s contribution analysis (METHODS.md §3), cut
 * to a handful of runs. In order:
 * <ol>
 *   <li>the cheapest step: no bias, no weights (the classifier alone);</li>
 *   <li>each candidate layer's weights alone, latest layer first (later layers contribute more
 *       per byte), at the largest ratio that fits, with the shallowest bias depth that reaches
 *       the layer (a layer's weights are trained only inside the bias range);</li>
 *   <li>biases alone at the depth that reaches every candidate layer, then at the deepest
 *       depth.</li>
 * </ol>
 * A model fitted to these sees each layer's main effect once, at the memory it costs, which a
 * random design of the same size (about a third of whose genomes update six or more layers at
 * once) does not show; combinations are left to the model. Genomes the pool refuses (infeasible,
 * asked before, or the same policy as one already chosen) are skipped, lower ratios being tried
 * for a layer that does not fit at its largest. Over pruned backbones (a last gene {@code backbone})
 * the points go to the backbones in turn, so that the model sees every backbone from the start.
 */
public final class ContributionDesign {
    private ContributionDesign() {}

    /**
     * Up to {@code n} genomes of the design, in the order above, each added to {@code pool}
     * (which applies the problem's canonical form, feasibility and admission).
     *
     * @param layout where bias depth and layer ratios sit in the genome
     * @param base   the genome every design point starts from (its other genes, e.g. the channel
     *               selection, are kept)
     */
    public static List<Genome> design(ContributionLayout layout, Genome base, CandidatePool pool, int n) {
        List<Genome> out = new ArrayList<>();
        take(pool, layout.biasOnly(base, 0), out, n);
        List<Integer> layers = new ArrayList<>();
        for (int j = 0; j < layout.layerGenes().size(); j++) {
            layers.add(j);
        }
        layers.sort(Comparator.comparingInt((Integer j) -> layout.layerConvs().get(j)).reversed());
        for (int j : layers) {
            int reach = shallowestReaching(layout, j);
            if (reach < 0) {
                continue;
            }
            int gene = layout.layerGenes().get(j);
            Genome alone = layout.biasOnly(base, reach);
            for (int r = pool.cardinality(gene) - 1; r > 0; r--) {
                if (take(pool, alone.with(gene, r), out, n)) {
                    break;
                }
            }
        }
        take(pool, layout.biasOnly(base, layout.coveringBiasValue()), out, n);
        take(pool, layout.biasOnly(base, layout.biasDepths().size() - 1), out, n);
        return out;
    }

    private static int shallowestReaching(ContributionLayout layout, int layer) {
        for (int v = 0; v < layout.biasDepths().size(); v++) {
            if (layout.inBiasRange(layer, v)) {
                return v;
            }
        }
        return -1;
    }

    private static boolean take(CandidatePool pool, Genome g, List<Genome> out, int n) {
        if (out.size() >= n) {
            return true;
        }
        int backbone = MemoryStratifiedDesign.backboneGene(pool.space());
        int backbones = backbone < 0 ? 1 : pool.cardinality(backbone);
        // Over pruned backbones, the points go to the backbones in turn (the next one that admits the point).
        for (int k = 0; k < backbones; k++) {
            Genome added = pool.add(backbone < 0 ? g : g.with(backbone, (out.size() + k) % backbones));
            if (added != null) {
                out.add(added);
                return true;
            }
        }
        return false;
    }
}
