package io.tinysparse.search.design;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.search.Genome;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.contribution.ContributionLayout;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.pretrain.PretrainSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContributionDesignTest {
    private static MemoryBudget budget(long bytes) {
        PolicySpace space = PolicySpace.defaultFor(PretrainSpec.defaults().model());
        return new MemoryBudget(space, new ArenaEstimator(space.table(), ArenaConfig.DEFAULT), bytes);
    }

    private static List<Genome> design(MemoryBudget b, int n) {
        SearchProblem p = b.problem(ObjectiveMode.ACCURACY_MEMORY);
        Genome base = Genome.of(new int[p.space().dimensions()]);
        return ContributionDesign.design(b.space().contributionLayout(), base, new CandidatePool(p, b, g -> true), n);
    }

    private static List<Integer> updatedLayers(ContributionLayout layout, Genome g) {
        List<Integer> layers = new ArrayList<>();
        for (int j = 0; j < layout.layerGenes().size(); j++) {
            if (g.gene(layout.layerGenes().get(j)) != 0) {
                layers.add(j);
            }
        }
        return layers;
    }

    @Test
    void measuresTheClassifierThenEachLayerAloneLatestFirstThenBiasesAlone() {
        MemoryBudget b = budget(256 * 1024);
        ContributionLayout layout = b.space().contributionLayout();
        int layers = layout.layerGenes().size();
        List<Genome> design = design(b, 100);
        assertEquals(1 + layers + 2, design.size(), "classifier, each layer alone, two bias-only depths");
        assertEquals(Genome.of(new int[design.get(0).length()]), design.get(0), "the cheapest step comes first");
        int top = b.space().ratios().size() - 1;
        for (int k = 0; k < layers; k++) {
            Genome g = design.get(1 + k);
            int j = layers - 1 - k;
            assertEquals(List.of(j), updatedLayers(layout, g), "design point " + (1 + k) + " is layer " + j + " alone");
            assertEquals(top, g.gene(layout.layerGenes().get(j)), "at its largest ratio, which fits 256 KiB");
            int bias = g.gene(layout.biasGene());
            assertTrue(layout.inBiasRange(j, bias) && !layout.inBiasRange(j, bias - 1),
                    "with the shallowest bias depth that reaches the layer: " + g);
        }
        assertEquals(layout.biasOnly(design.get(0), layout.coveringBiasValue()), design.get(layers + 1));
        assertEquals(layout.biasOnly(design.get(0), layout.biasDepths().size() - 1), design.get(layers + 2));
        assertEquals(design.size(), new HashSet<>(design).size(), "no genome twice");
    }

    @Test
    void aLayerThatDoesNotFitAtItsLargestRatioIsMeasuredAtALowerOne() {
        MemoryBudget wide = budget(256 * 1024);
        ContributionLayout layout = wide.space().contributionLayout();
        // A budget between the cheapest and the dearest single-layer point: some layers fit only below ratio 1.
        List<Genome> full = design(wide, 100);
        double dearest = full.stream().skip(1).limit(layout.layerGenes().size()).mapToDouble(wide::bytes).max()
                .orElseThrow();
        double cheapest = full.stream().skip(1).limit(layout.layerGenes().size()).mapToDouble(wide::bytes).min()
                .orElseThrow();
        MemoryBudget tight = budget((long) ((dearest + cheapest) / 2));
        List<Genome> design = design(tight, 100);
        int top = tight.space().ratios().size() - 1;
        boolean lowered = false;
        for (Genome g : design) {
            assertTrue(tight.bytes(g) <= tight.budgetBytes(), "every design point fits: " + g);
            for (int j : updatedLayers(layout, g)) {
                lowered |= g.gene(layout.layerGenes().get(j)) < top;
            }
        }
        assertTrue(lowered, "some layer measured below its largest ratio: " + design);
    }

    @Test
    void stopsAtTheRequestedSize() {
        MemoryBudget b = budget(256 * 1024);
        List<Genome> design = design(b, 4);
        assertEquals(4, design.size());
        assertEquals(design.subList(0, 4), design(b, 100).subList(0, 4), "a shorter design is a prefix of the full one");
    }
}
