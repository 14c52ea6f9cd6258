package io.tinysparse.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.Genome;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.memory.MemoryEstimator;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spaces of a search over pruned backbones: one genome, a backbone gene, each backbone's shapes. */
class PolicySpacesTest {
    static final ModelSpec PARENT = PolicySpaceTest.MBV2;

    static ModelSpec pruned(double ratio) {
        return ModelSpec.of(ChannelGroups.of(PARENT.architecture()).pruned(ratio), PARENT.resolution(),
                PARENT.numClasses());
    }

    static PolicySpaces spaces(double... ratios) {
        PolicySpace parent = PolicySpaceTest.expandSpace();
        return PolicySpaces.of(java.util.Arrays.stream(ratios)
                .mapToObj(r -> r == 0 ? parent : parent.forPruned(pruned(r))).toList());
    }

    static MemoryBudget budget(PolicySpaces spaces, long bytes) {
        List<MemoryEstimator> estimators = spaces.all().stream()
                .map(s -> (MemoryEstimator) new ArenaEstimator(s.table(), ArenaConfig.DEFAULT)).toList();
        return new MemoryBudget(spaces, estimators, bytes);
    }

    @Test
    void oneBackboneIsItsSpaceUnchanged() {
        PolicySpace space = PolicySpace.defaultFor(PARENT);
        PolicySpaces one = PolicySpaces.of(space);
        assertSame(space.genomeSpace(), one.genomeSpace(), "the same genome: stored searches resume as before");
        Genome g = space.toGenome(SparseUpdatePolicy.of(4, List.of()));
        assertSame(g, one.policyGenome(g));
        assertEquals(0, one.backboneOf(g));
        // the sampler draws what the space's draws, from the same stream
        assertEquals(space.validSampler().sample(new SplitMix64(3)), one.validSampler().sample(new SplitMix64(3)));
    }

    @Test
    void severalBackbonesAddALastGeneAndEachGenomeIsAPolicyOfItsBackbone() {
        PolicySpaces s = spaces(0, 0.5);
        int policyGenes = s.space(0).genomeSpace().dimensions();
        assertEquals(policyGenes + 1, s.genomeSpace().dimensions());
        assertEquals(PolicySpaces.BACKBONE_GENE, s.genomeSpace().genes().get(policyGenes).name());
        assertEquals(2, s.genomeSpace().cardinality(policyGenes));
        Genome policy = s.space(0).toGenome(PolicySpaceTest.scheme99kB().withSelection(s.space(0).selections().get(0)));
        Genome onPruned = s.genome(policy, 1);
        assertEquals(1, s.backboneOf(onPruned));
        assertEquals(policy, s.policyGenome(onPruned));
        assertEquals(s.toPolicy(s.genome(policy, 0)), s.toPolicy(onPruned), "the same policy, on another backbone");
        assertEquals(pruned(0.5), s.spaceOf(onPruned).model());
    }

    @Test
    void theMemoryOfAGenomeIsItsBackbonesAndRepairKeepsTheBackbone() {
        PolicySpaces s = spaces(0, 0.5);
        Genome policy = s.space(0).toGenome(PolicySpaceTest.scheme99kB().withSelection(s.space(0).selections().get(0)));
        double parentBytes = budget(s, 1 << 30).bytes(s.genome(policy, 0));
        double prunedBytes = budget(s, 1 << 30).bytes(s.genome(policy, 1));
        MemoryBudget budget = budget(s, (long) (parentBytes + prunedBytes) / 2);
        assertEquals(budget.estimator(0).peakBytes(s.space(0).toPolicy(policy)), parentBytes);
        assertEquals(budget.estimator(1).peakBytes(s.space(1).toPolicy(policy)), prunedBytes);
        assertTrue(prunedBytes < 0.7 * parentBytes, prunedBytes + " vs " + parentBytes);
        assertTrue(budget.isFeasible(s.genome(policy, 1)) && !budget.isFeasible(s.genome(policy, 0)),
                "between the two, the 99kb scheme fits on the pruned backbone only");
        SplitMix64 rng = new SplitMix64(7);
        for (int i = 0; i < 200; i++) {
            Genome g = s.genomeSpace().sample(rng);
            Genome r = budget.repair().repair(g, rng);
            assertEquals(s.backboneOf(g), s.backboneOf(r), "repair never changes the backbone");
            assertTrue(budget.isFeasible(r), g + " -> " + r);
        }
    }

    @Test
    void theSamplerDrawsEveryBackboneAlikeAndOnlyValidPolicies() {
        PolicySpaces s = spaces(0, 0.25, 0.5);
        SearchProblem problem = budget(s, 256 * 1024).problem(ObjectiveMode.ACCURACY_MEMORY);
        int[] counts = new int[3];
        SplitMix64 rng = new SplitMix64(11);
        for (int i = 0; i < 3000; i++) {
            Genome g = problem.sampler().sample(rng);
            assertTrue(s.isValid(g), g.toString());
            counts[s.backboneOf(g)]++;
            assertEquals(s.backboneOf(g), s.backboneOf(problem.canonical().apply(g)), "canonical keeps the backbone");
        }
        for (int c : counts) {
            assertTrue(c > 900 && c < 1100, java.util.Arrays.toString(counts));
        }
    }

    @Test
    void aRatioThatSelectsNoChannelOfAPrunedLayerIsInvalidThereOnly() {
        PolicySpaces s = spaces(0, 0.875);
        PolicySpace parent = s.space(0);
        // find a candidate layer whose 1/8 selects a channel on the parent but none once pruned by 7/8
        for (int j = 0; j < parent.weightLayers().size(); j++) {
            int layer = parent.weightLayers().get(j);
            int cinParent = parent.table().conv(layer).inChannels();
            int cinPruned = s.space(1).table().conv(layer).inChannels();
            if ((int) Math.floor(0.125 * cinParent) >= 1 && (int) Math.floor(0.125 * cinPruned) < 1) {
                int[] x = new int[parent.genomeSpace().dimensions()];
                x[PolicySpace.BIAS_GENE] = parent.biasDepths().size() - 1;
                x[PolicySpace.layerGene(j)] = 1;
                Genome g = Genome.of(x);
                assertTrue(s.isValid(s.genome(g, 0)));
                assertFalse(s.isValid(s.genome(g, 1)), "layer " + layer + " has " + cinPruned + " channels pruned");
                assertEquals(0, s.makeValid(s.genome(g, 1)).gene(PolicySpace.layerGene(j)));
                return;
            }
        }
        throw new AssertionError("fixture: no layer narrow enough at 7/8");
    }

    @Test
    void spacesWithOtherGenesOrAPrunedSpaceOfAnotherNetworkAreRefused() {
        PolicySpace parent = PolicySpaceTest.expandSpace();
        PolicySpace fewer = new PolicySpace(pruned(0.5), List.of(0, 1), parent.weightLayers(), parent.ratios(),
                parent.selections(), true);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicySpaces.of(List.of(parent, fewer)));
        assertTrue(e.getMessage().contains("has other genes"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> parent.forPruned(ModelSpec.preset("mcunet-5fps")));
        assertTrue(e.getMessage().contains("does not have the layers of the pruned backbone"), e.getMessage());
    }
}
