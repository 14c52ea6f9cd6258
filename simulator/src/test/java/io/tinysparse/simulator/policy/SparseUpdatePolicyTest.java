package io.tinysparse.simulator.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SparseUpdatePolicyTest {
    private static final ModelSpec MBV2 = ModelSpec.preset("mbv2-w0.35");

    private static String rejected(Executable e) {
        return assertThrows(InvalidInputException.class, e).getMessage();
    }

    @Test
    void weightLayersAreSortedAndTheChannelCountFollowsTinyTraining() {
        SparseUpdatePolicy p = SparseUpdatePolicy.of(25, List.of(WeightUpdate.ratio(42, 0.125), WeightUpdate.full(27)));
        assertEquals(List.of(27, 42), p.weights().stream().map(WeightUpdate::layer).toList());
        assertEquals(7, p.weightUpdate(42).channelsOf(56), "int(56 * 0.125) = 7");
        assertEquals(5, WeightUpdate.channels(1, 5).channelsOf(56));
        assertEquals(null, p.weightUpdate(30));
        assertEquals(26, p.firstBiasLayer(51));
    }

    @Test
    void invalidPoliciesAreRejectedNamingFieldAndValue() {
        assertEquals("bias_layers must be >= 0, got -1", rejected(() -> SparseUpdatePolicy.biasOnly(-1)));
        assertEquals("ratio of weight layer 27 must be in (0, 1], got 0.0", rejected(() -> WeightUpdate.ratio(27, 0)));
        assertEquals("ratio of weight layer 27 must be in (0, 1], got -0.5", rejected(() -> WeightUpdate.ratio(27, -0.5)));
        assertEquals("ratio of weight layer 27 must be in (0, 1], got 1.5", rejected(() -> WeightUpdate.ratio(27, 1.5)));
        assertEquals("channels of weight layer 27 must be >= 1, got 0", rejected(() -> WeightUpdate.channels(27, 0)));
        assertEquals("weight layer index must be >= 0, got -3", rejected(() -> WeightUpdate.full(-3)));
        assertEquals("weight layer 27 is listed twice",
                rejected(() -> SparseUpdatePolicy.of(25, List.of(WeightUpdate.full(27), WeightUpdate.ratio(27, 0.5)))));
        assertEquals("weight layer 51 out of range [0, 51) of mbv2-w0.35-nomix@128/10",
                rejected(() -> SparseUpdatePolicy.of(51, List.of(WeightUpdate.full(51))).validate(MBV2)));
        assertEquals("bias_layers 52 exceeds the 51 convolutions of mbv2-w0.35-nomix@128/10",
                rejected(() -> SparseUpdatePolicy.biasOnly(52).validate(MBV2)));
        assertEquals("weight layer 20 is outside the bias-updated range [26, 51) of bias_layers 25",
                rejected(() -> SparseUpdatePolicy.of(25, List.of(WeightUpdate.full(20))).validate(MBV2)));
        assertEquals("channels 25 of weight layer 27 exceed its C_in 24",
                rejected(() -> SparseUpdatePolicy.of(25, List.of(WeightUpdate.channels(27, 25))).validate(MBV2)));
        assertEquals("ratio 0.01 of weight layer 27 selects 0 of its 24 input channels",
                rejected(() -> SparseUpdatePolicy.of(25, List.of(WeightUpdate.ratio(27, 0.01))).validate(MBV2)));
        assertEquals("refresh_period of strategy dynamic-random must be >= 1, got 0",
                rejected(() -> new ChannelSelection(SelectionStrategy.DYNAMIC_RANDOM, 0, Map.of())));
        assertEquals("refresh_period 5 does not apply to static strategy magnitude (it chooses once, before training)",
                rejected(() -> new ChannelSelection(SelectionStrategy.MAGNITUDE, 5, Map.of())));
        assertEquals("temperature 2.0 applies only to strategy importance, not cyclic",
                rejected(() -> new ChannelSelection(SelectionStrategy.CYCLIC, 3, Map.of("temperature", 2.0))));
        assertEquals("temperature must be finite and > 0, got 0.0",
                rejected(() -> new ChannelSelection(SelectionStrategy.IMPORTANCE, 3, Map.of("temperature", 0.0))));
    }

    @Test
    void nativeJsonRoundTripsEveryField() {
        SparseUpdatePolicy p = new SparseUpdatePolicy(25,
                List.of(WeightUpdate.full(27), WeightUpdate.channels(42, 7), WeightUpdate.ratio(45, 0.5)),
                new ChannelSelection(SelectionStrategy.IMPORTANCE, 10, Map.of("temperature", 0.5)), false);
        assertEquals(p, PolicyJson.read(PolicyJson.write(p)));
        assertEquals(p, PolicyJson.read(p.toCanonicalJson(), MBV2));
        for (SelectionStrategy s : SelectionStrategy.values()) {
            SparseUpdatePolicy q = PublishedSchemes.mbv2W035At99kB().withSelection(ChannelSelection.of(s));
            assertEquals(q, PolicyJson.read(PolicyJson.write(q)), s.jsonName());
        }
    }

    @Test
    void canonicalJsonIsSortedCompactAndItsHashStable() {
        SparseUpdatePolicy p = SparseUpdatePolicy.of(3, List.of(WeightUpdate.ratio(50, 0.5), WeightUpdate.channels(48, 4)));
        assertEquals("{\"bias_layers\":3,\"selection\":{\"refresh_period\":0,\"strategy\":\"magnitude\"},"
                + "\"train_classifier\":true,\"weights\":[{\"channels\":4,\"layer\":48},{\"layer\":50,\"ratio\":0.5}]}",
                p.toCanonicalJson());
        String shuffled = "{ \"weights\": [ {\"ratio\": 0.5, \"layer\": 50}, {\"layer\": 48, \"channels\": 4} ],"
                + " \"selection\": \"magnitude\", \"bias_layers\": 3 }";
        assertEquals(p.contentHash(), PolicyJson.read(shuffled).contentHash());
        assertEquals(64, p.contentHash().length());
        assertNotEquals(p.contentHash(), p.withSelection(ChannelSelection.of(SelectionStrategy.RANDOM)).contentHash());
    }

    @Test
    void tinyTrainingBackwardConfigIsAcceptedAsIs() {
        String json = """
                {"enable_backward_config": 1, "n_bias_update": 25,
                 "manual_weight_idx": "27-30-33-36-39-42-45-48",
                 "weight_update_ratio": "1-1-1-1-1-0.125-0.5-1",
                 "weight_select_criteria": "magnitude+", "pw1_weight_only": 0,
                 "quantize_gradient": 0, "freeze_fc": 0, "train_scale": 0}""";
        assertEquals(PublishedSchemes.mbv2W035At99kB(), PolicyJson.read(json, MBV2));
        String lists = """
                {"backward_config": {"n_bias_update": 25, "manual_weight_idx": [27, 30, 33, 36, 39, 42, 45, 48],
                 "weight_update_ratio": [1, 1, 1, 1, 1, 0.125, 0.5, 1]}}""";
        assertEquals(PublishedSchemes.mbv2W035At99kB(), PolicyJson.read(lists));
    }

    @Test
    void tinyTrainingRatioFormsCountsZerosAndCriteria() {
        SparseUpdatePolicy p = PolicyJson.read("""
                {"n_bias_update": 10, "manual_weight_idx": "42-45-48", "weight_update_ratio": "0-12-0.25",
                 "weight_select_criteria": "random", "freeze_fc": 1}""", MBV2);
        assertEquals(List.of(WeightUpdate.channels(45, 12), WeightUpdate.ratio(48, 0.25)), p.weights(),
                "0 keeps a layer bias-only; an integer > 1 is a channel count");
        assertEquals(SelectionStrategy.RANDOM, p.selection().strategy());
        assertFalse(p.trainClassifier());
        SparseUpdatePolicy one = PolicyJson.read("{\"n_bias_update\": 6, \"manual_weight_idx\": 48, \"weight_update_ratio\": 0.5}");
        assertEquals(List.of(WeightUpdate.ratio(48, 0.5)), one.weights());
        SparseUpdatePolicy minus = PolicyJson.read("{\"n_bias_update\": 3, \"weight_select_criteria\": \"magnitude-\"}");
        assertEquals(SparseUpdatePolicy.biasOnly(3).withSelection(ChannelSelection.of(SelectionStrategy.MAGNITUDE_SMALLEST)),
                minus);
    }

    @Test
    void tinyTrainingModelDependentKeysResolveAgainstTheModel() {
        SparseUpdatePolicy last = PolicyJson.read("{\"n_bias_update\": \"all\", \"n_weight_update\": 3}", MBV2);
        assertEquals(51, last.biasLayers());
        assertEquals(List.of(WeightUpdate.full(48), WeightUpdate.full(49), WeightUpdate.full(50)), last.weights());
        SparseUpdatePolicy pw1 = PolicyJson.read(
                "{\"n_bias_update\": 24, \"n_weight_update\": \"all\", \"pw1_weight_only\": 1, \"weight_update_ratio\": 0.25}",
                MBV2);
        assertEquals(List.of(27, 30, 33, 36, 39, 42, 45, 48), pw1.weights().stream().map(WeightUpdate::layer).toList());
        SparseUpdatePolicy dense = PolicyJson.read("{\"enable_backward_config\": 0}", MBV2);
        assertEquals(51, dense.weights().size());
        assertEquals("backward_config n_bias_update=\"all\" needs the model (give --model)",
                rejected(() -> PolicyJson.read("{\"n_bias_update\": \"all\"}")));
    }

    @Test
    void malformedJsonAndUnknownKeysAreRejectedNamingTheKey() {
        assertEquals("unknown policy key 'bias' (known: bias_layers, selection, train_classifier, weights)",
                rejected(() -> PolicyJson.read("{\"bias\": 3}")));
        assertEquals("unknown backward_config key 'bias_layers' (known: enable_backward_config, freeze_fc, "
                + "manual_weight_idx, n_bias_update, n_weight_update, pw1_weight_only, quantize_gradient, train_scale, "
                + "weight_select_criteria, weight_update_ratio)",
                rejected(() -> PolicyJson.read("{\"n_bias_update\": 3, \"bias_layers\": 3}")));
        assertEquals("unknown weights entry key 'ratios' (known: channels, layer, ratio)",
                rejected(() -> PolicyJson.read("{\"bias_layers\": 3, \"weights\": [{\"layer\": 50, \"ratios\": 1}]}")));
        assertEquals("weight layer 50 needs exactly one of ratio and channels, got ratio=0.5, channels=3",
                rejected(() -> PolicyJson.read("{\"bias_layers\": 3, \"weights\": [{\"layer\": 50, \"ratio\": 0.5, \"channels\": 3}]}")));
        assertEquals("weight_update_ratio \"1-0.5\" has 2 values for 3 weight layers",
                rejected(() -> PolicyJson.read("{\"n_bias_update\": 9, \"manual_weight_idx\": \"42-45-48\", \"weight_update_ratio\": \"1-0.5\"}")));
        assertEquals("weight_update_ratio 1.5 of layer 48 must be a fraction <= 1 or an integer channel count",
                rejected(() -> PolicyJson.read("{\"n_bias_update\": 9, \"manual_weight_idx\": \"48\", \"weight_update_ratio\": \"1.5\"}")));
        assertEquals("manual_weight_idx must be like \"27-30-33\", got \"27-x\"",
                rejected(() -> PolicyJson.read("{\"n_bias_update\": 30, \"manual_weight_idx\": \"27-x\"}")));
        assertEquals("weight layer 20 is outside the bias-updated range [41, 51) of bias_layers 10",
                rejected(() -> PolicyJson.read("{\"n_bias_update\": 10, \"manual_weight_idx\": \"20\"}", MBV2)));
        assertEquals("unknown channel selection strategy 'greedy' (known: magnitude, magnitude-, random, dynamic-random, "
                + "cyclic, importance, magnitude+)",
                rejected(() -> PolicyJson.read("{\"bias_layers\": 3, \"selection\": \"greedy\"}")));
        assertEquals("backward_config quantize_gradient=1 is not supported by tinysparse (only 0)",
                rejected(() -> PolicyJson.read("{\"n_bias_update\": 3, \"quantize_gradient\": 1}")));
        assertEquals("bias_layers must be an integer, got 2.5", rejected(() -> PolicyJson.read("{\"bias_layers\": 2.5}")));
        assertEquals("a policy must be an object (a mapping of keys), got array", rejected(() -> PolicyJson.read("[1]")));
    }

    @Test
    void backwardConfigExportReadsBackToTheSamePolicy() {
        SparseUpdatePolicy p = SparseUpdatePolicy.of(25, List.of(WeightUpdate.full(27), WeightUpdate.channels(42, 7)));
        assertEquals(p, PolicyJson.read(PolicyJson.writeBackwardConfig(p)));
        assertEquals("selection strategy cyclic has no tiny-training equivalent", rejected(() ->
                PolicyJson.writeBackwardConfig(p.withSelection(ChannelSelection.dynamic(SelectionStrategy.CYCLIC, 2)))));
    }

    @Test
    void jacksonSerialisesTheRecordsInTheNativeForm() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        SparseUpdatePolicy p = new SparseUpdatePolicy(25, List.of(WeightUpdate.full(27), WeightUpdate.channels(42, 7)),
                new ChannelSelection(SelectionStrategy.IMPORTANCE, 4, Map.of("temperature", 0.5)), true);
        String json = mapper.writeValueAsString(p);
        assertEquals(p, PolicyJson.read(json));
        assertEquals(p, mapper.readValue(PolicyJson.write(p), SparseUpdatePolicy.class));
        assertEquals(MBV2, mapper.readValue(mapper.writeValueAsString(MBV2), ModelSpec.class));
        assertEquals("{\"width_multiplier\":0.35,\"resolution\":128,\"num_classes\":10,\"feature_mix\":false,"
                + "\"first_block_expansion\":1}", mapper.writeValueAsString(MBV2));
    }
}
