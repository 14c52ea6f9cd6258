package io.tinysparse.search.space;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.Genome;
import io.tinysparse.search.GenomeSampler;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicySpaceTest {
    static final ModelSpec MBV2 = ModelSpec.preset("mbv2-w0.35");

    /** Lin et al.'s "99kb" scheme (METHODS.md section 3). */
    static SparseUpdatePolicy scheme99kB() {
        return SparseUpdatePolicy.of(25, List.of(WeightUpdate.full(27), WeightUpdate.full(30), WeightUpdate.full(33),
                WeightUpdate.full(36), WeightUpdate.full(39), WeightUpdate.ratio(42, 0.125), WeightUpdate.ratio(45, 0.5),
                WeightUpdate.full(48)));
    }

    static PolicySpace expandSpace() {
        return PolicySpaceJson.parse("""
                {"model": "mbv2-w0.35", "bias_depth": {"min": 0, "max": 51},
                 "weight_layers": {"kinds": ["expand"], "min_layer": 27}}""");
    }

    @Test
    void aSelectionThatSelectsNothingIsCanonicallyTheFirst() {
        PolicySpace s = PolicySpace.defaultFor(MBV2);
        int sel = s.selectionGene();
        int full = s.ratios().indexOf(1.0);
        int half = s.ratios().indexOf(0.5);
        int[] biasOnly = new int[s.genomeSpace().dimensions()];
        biasOnly[PolicySpace.BIAS_GENE] = 20;
        biasOnly[sel] = 2;
        assertEquals(Genome.of(biasOnly).with(sel, 0), s.canonical(Genome.of(biasOnly)), "no weights: nothing to select");
        Genome allFull = Genome.of(biasOnly).with(PolicySpace.layerGene(7), full).with(PolicySpace.layerGene(6), full);
        assertEquals(allFull.with(sel, 0), s.canonical(allFull), "every updated layer takes all its channels");
        Genome partial = allFull.with(PolicySpace.layerGene(6), half);
        assertEquals(partial, s.canonical(partial), "a half-ratio layer's channels depend on the selection");
        assertEquals(s.canonical(allFull), s.canonical(s.canonical(allFull)), "idempotent");
        // the representative trains exactly what the others would: only the unused selection differs
        SparseUpdatePolicy a = s.toPolicy(allFull);
        SparseUpdatePolicy b = s.toPolicy(s.canonical(allFull));
        assertEquals(a.weights(), b.weights());
        assertEquals(a.biasLayers(), b.biasLayers());
    }

    @Test
    void jsonResolvesLayerKindsAgainstTheModel() {
        PolicySpace s = PolicySpaceJson.parse("""
                {"model": "mbv2-w0.35", "bias_depth": [10, 25],
                 "weight_layers": {"kinds": ["expand", "project"], "last_blocks": 2}}""");
        assertEquals(List.of(45, 47, 48, 50), s.weightLayers());
        assertEquals(PolicySpace.DEFAULT_RATIOS, s.ratios());
        assertEquals(List.of(ChannelSelection.DEFAULT), s.selections());
        assertTrue(s.trainClassifier());
        assertEquals(List.of(27, 30, 33, 36, 39, 42, 45, 48), expandSpace().weightLayers());
        PolicySpace dw = PolicySpaceJson.parse("""
                {"model": {"preset": "mbv2-w0.35", "resolution": 96}, "bias_depth": [51],
                 "weight_layers": {"kinds": ["depthwise"], "last_blocks": 1}}""");
        assertEquals(List.of(49), dw.weightLayers());
        assertEquals(96, dw.model().resolution());
    }

    @Test
    void selectionParametersExpandToEveryCombination() {
        PolicySpace s = PolicySpaceJson.parse("""
                {"model": "mbv2-w0.35", "bias_depth": [51], "weight_layers": [50],
                 "selection": ["magnitude", {"strategy": "dynamic-random", "refresh_period": [1, 10]},
                               {"strategy": "importance", "refresh_period": 5, "temperature": [0.5, 2]}]}""");
        assertEquals(List.of(ChannelSelection.DEFAULT, ChannelSelection.dynamic(SelectionStrategy.DYNAMIC_RANDOM, 1),
                ChannelSelection.dynamic(SelectionStrategy.DYNAMIC_RANDOM, 10),
                new ChannelSelection(SelectionStrategy.IMPORTANCE, 5, Map.of("temperature", 0.5)),
                new ChannelSelection(SelectionStrategy.IMPORTANCE, 5, Map.of("temperature", 2.0))), s.selections());
        assertEquals(5, s.genomeSpace().cardinality(s.selectionGene()));
    }

    @Test
    void writeThenReadGivesAnEqualSpace() {
        PolicySpace s = PolicySpaceJson.parse("""
                {"model": {"width": 0.5, "resolution": 64, "classes": 2, "feature_mix": true},
                 "bias_depth": {"min": 4, "max": 20, "step": 4}, "weight_layers": {"kinds": ["project"], "last_blocks": 3},
                 "ratios": [0, 0.25, 1], "selection": [{"strategy": "cyclic", "refresh_period": 3}],
                 "train_classifier": false}""");
        assertEquals(s, PolicySpaceJson.parse(PolicySpaceJson.write(s)));
        assertEquals(List.of(4, 8, 12, 16, 20), s.biasDepths());
    }

    @Test
    void writtenSelectionsAreByteForByteThoseWrittenBeforeTheStrategyRegistry() {
        // A search's configuration, hashed into its id, holds this text.
        PolicySpace s = PolicySpaceJson.parse("""
                {"model": "mbv2-w0.35", "bias_depth": [3], "weight_layers": [50],
                 "selection": ["magnitude", {"strategy": "dynamic-random", "refresh_period": [1, 10]},
                               {"strategy": "importance", "refresh_period": [5, 6], "temperature": [0.5, 2]}]}""");
        String written = PolicySpaceJson.write(s);
        String selection = written.substring(written.indexOf("  \"selection\""),
                written.indexOf("  \"train_classifier\""));
        assertEquals("""
                  "selection" : [ {
                    "strategy" : "magnitude"
                  }, {
                    "strategy" : "dynamic-random",
                    "refresh_period" : 1
                  }, {
                    "strategy" : "dynamic-random",
                    "refresh_period" : 10
                  }, {
                    "strategy" : "importance",
                    "refresh_period" : 5,
                    "temperature" : 0.5
                  }, {
                    "strategy" : "importance",
                    "refresh_period" : 5,
                    "temperature" : 2.0
                  }, {
                    "strategy" : "importance",
                    "refresh_period" : 6,
                    "temperature" : 0.5
                  }, {
                    "strategy" : "importance",
                    "refresh_period" : 6,
                    "temperature" : 2.0
                  } ],
                """, selection.replace(System.lineSeparator(), "\n"));
        assertEquals(s, PolicySpaceJson.parse(written));
    }

    @Test
    void aDirectoryGivenAsTheSpaceFileIsBadInputNamingIt(@TempDir Path dir) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicySpaceJson.read(dir));
        assertEquals("policy space file " + dir + " cannot be read: it is a directory", e.getMessage());
    }

    @Test
    void badSpacesAreRejectedWithTheOffendingKeyAndValue(@TempDir Path dir) throws Exception {
        assertMessage("unknown policy space key 'ratio'", """
                {"model": "mbv2-w0.35", "bias_depth": [1], "weight_layers": [50], "ratio": [0, 1]}""");
        assertMessage("ratios must start with 0", """
                {"model": "mbv2-w0.35", "bias_depth": [1], "weight_layers": [50], "ratios": [0.5, 1]}""");
        assertMessage("weight_layers must be strictly ascending within [0, 50], got [50, 51]", """
                {"model": "mbv2-w0.35", "bias_depth": [1], "weight_layers": [50, 51]}""");
        assertMessage("bias_depth range [0, 60]", """
                {"model": "mbv2-w0.35", "bias_depth": {"min": 0, "max": 60}, "weight_layers": [50]}""");
        assertMessage("unknown layer kind 'pointwise'", """
                {"model": "mbv2-w0.35", "bias_depth": [1], "weight_layers": {"kinds": ["pointwise"]}}""");
        assertMessage("unknown model 'mbv3'", """
                {"model": "mbv3", "bias_depth": [1], "weight_layers": [50]}""");
        assertMessage("weight_layers is required", """
                {"model": "mbv2-w0.35", "bias_depth": [1]}""");
        assertMessage("not valid JSON", "{\"model\": ");
        assertMessage("selection must be a strategy name or an object, got 3", """
                {"model": "mbv2-w0.35", "bias_depth": [1], "weight_layers": [50], "selection": [3]}""");
        assertMessage("temperature 1.0 applies only to strategy importance, not cyclic", """
                {"model": "mbv2-w0.35", "bias_depth": [1], "weight_layers": [50],
                 "selection": [{"strategy": "cyclic", "temperature": [1]}]}""");
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "[]");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicySpaceJson.read(file));
        assertTrue(e.getMessage().startsWith("policy space " + file + ": "), e.getMessage());
    }

    private static void assertMessage(String expected, String json) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicySpaceJson.parse(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void genomeAndPolicyMapBothWays() {
        PolicySpace s = expandSpace();
        SparseUpdatePolicy p = scheme99kB();
        Genome g = s.toGenome(p);
        assertEquals(25, g.gene(PolicySpace.BIAS_GENE));
        assertEquals(4, g.gene(PolicySpace.layerGene(0)), "layer 27 at ratio 1");
        assertEquals(1, g.gene(PolicySpace.layerGene(5)), "layer 42 at ratio 1/8");
        assertEquals(p, s.toPolicy(g));
        InvalidInputException outside = assertThrows(InvalidInputException.class,
                () -> s.toGenome(SparseUpdatePolicy.of(25, List.of(WeightUpdate.ratio(27, 0.3)))));
        assertTrue(outside.getMessage().contains("0.3"), outside.getMessage());
        assertThrows(InvalidInputException.class,
                () -> s.toGenome(SparseUpdatePolicy.of(25, List.of(WeightUpdate.full(29)))));
        assertThrows(InvalidInputException.class, () -> s.toPolicy(g.with(PolicySpace.BIAS_GENE, 10)),
                "layer 27 outside the last 10 convolutions");
    }

    @Test
    void aRatioSelectingNoChannelIsInvalid() {
        // layer 3 (an expand conv) has C_in = 8: ratio 0.1 selects floor(0.8) = 0 channels
        PolicySpace s = new PolicySpace(MBV2, List.of(51), List.of(3), List.of(0.0, 0.1, 1.0),
                List.of(ChannelSelection.DEFAULT), true);
        assertFalse(s.isValid(Genome.of(0, 1, 0)));
        assertTrue(s.isValid(Genome.of(0, 2, 0)));
        assertEquals(Genome.of(0, 0, 0), s.makeValid(Genome.of(0, 1, 0)));
        assertEquals(BigInteger.TWO, s.policyCount());
    }

    @Test
    void policyCountEqualsTheNumberOfValidGenomesAndEnumeratesThem() {
        PolicySpace s = new PolicySpace(MBV2, List.of(0, 3, 6, 10), List.of(41, 42, 44, 45, 47, 48, 50),
                PolicySpace.DEFAULT_RATIOS, List.of(ChannelSelection.DEFAULT, ChannelSelection.of(SelectionStrategy.RANDOM)),
                true);
        // depth 10: all 7 layers (5^7); depth 6: 45..50 (5^4); depth 3: 48, 50 (5^2); depth 0: none
        assertEquals(BigInteger.valueOf(2L * (78_125 + 625 + 25 + 1)), s.policyCount());
        long brute = 0;
        for (BigInteger i = BigInteger.ZERO; i.compareTo(s.genomeCount()) < 0; i = i.add(BigInteger.ONE)) {
            brute += s.isValid(s.genomeSpace().decode(i)) ? 1 : 0;
        }
        assertEquals(s.policyCount().longValueExact(), brute);
        long[] enumerated = new long[1];
        java.util.Set<Genome> distinct = new java.util.HashSet<>();
        s.forEachValid(g -> {
            assertTrue(s.isValid(g));
            distinct.add(g);
            enumerated[0]++;
        });
        assertEquals(brute, enumerated[0]);
        assertEquals(brute, distinct.size());
    }

    @Test
    void validSamplerIsUniformOverValidPolicies() {
        PolicySpace s = new PolicySpace(MBV2, List.of(0, 2, 4), List.of(47, 48, 50), List.of(0.0, 0.5, 1.0),
                List.of(ChannelSelection.DEFAULT), true);
        assertEquals(BigInteger.valueOf(27 + 3 + 1), s.policyCount());
        GenomeSampler sampler = s.validSampler();
        SplitMix64 rng = new SplitMix64(8);
        Map<Genome, Integer> counts = new HashMap<>();
        for (int i = 0; i < 31_000; i++) {
            Genome g = sampler.sample(rng);
            assertTrue(s.isValid(g), g.toString());
            counts.merge(g, 1, Integer::sum);
        }
        assertEquals(31, counts.size());
        counts.forEach((g, c) -> assertTrue(Math.abs(c - 1000) < 150, g + " drawn " + c + " times"));
    }

    @Test
    void contributionLayoutPointsAtTheBiasAndLayerGenes() {
        PolicySpace s = expandSpace();
        var layout = s.contributionLayout();
        layout.requireFits(s.genomeSpace());
        assertEquals(s.weightLayers(), layout.layerConvs());
        assertEquals(51, layout.convCount());
        assertTrue(layout.inBiasRange(0, 24), "layer 27 is among the last 24 of 51 convs");
        assertFalse(layout.inBiasRange(0, 23));
    }
}
