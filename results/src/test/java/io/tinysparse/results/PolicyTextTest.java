package io.tinysparse.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PolicyTextTest {
    @Test
    void aStaticPolicyReadsAsBiasDepthLayersWithUnitFractionsAndItsCriterion() {
        assertEquals("bias: last 12 layers; weights: 36@1, 39@1/2, 42@1/4; static top-magnitude", PolicyText.of(
                "{\"bias_layers\":12,\"selection\":{\"refresh_period\":0,\"strategy\":\"magnitude\"},"
                        + "\"train_classifier\":true,\"weights\":[{\"layer\":36,\"ratio\":1.0},"
                        + "{\"layer\":39,\"ratio\":0.5},{\"layer\":42,\"ratio\":0.25}]}"));
    }

    @Test
    void aDynamicPolicySaysHowOftenItRechoosesAndItsParameters() {
        assertEquals("bias: last 13 layers; weights: 39@1/8, 41@7ch; dynamic random, redrawn every 10 steps",
                PolicyText.of("{\"bias_layers\":13,\"selection\":{\"refresh_period\":10,\"strategy\":\"dynamic-random\"},"
                        + "\"weights\":[{\"layer\":39,\"ratio\":0.125},{\"layer\":41,\"channels\":7}]}"));
        assertEquals("bias: last 19 layers; weights: 41@1/4; cyclic window, advanced every step", PolicyText.of(
                "{\"bias_layers\":19,\"selection\":{\"refresh_period\":1,\"strategy\":\"cyclic\"},"
                        + "\"weights\":[{\"layer\":41,\"ratio\":0.25}]}"));
        assertEquals("bias: last 4 layers; weights: 48@0.3; importance sampling, redrawn every 5 steps, temperature 0.5",
                PolicyText.of("{\"bias_layers\":4,\"selection\":{\"refresh_period\":5,\"strategy\":\"importance\","
                        + "\"temperature\":0.5},\"weights\":[{\"layer\":48,\"ratio\":0.3}]}"));
    }

    @Test
    void aSelectionThatChangesNothingIsNotShownAndAFrozenClassifierIs() {
        assertEquals("bias: last 1 layer; weights: none; classifier frozen", PolicyText.of(
                "{\"bias_layers\":1,\"selection\":{\"refresh_period\":1,\"strategy\":\"cyclic\"},"
                        + "\"train_classifier\":false,\"weights\":[]}"));
        assertEquals("bias: none; weights: 50@1; all channels", PolicyText.of(
                "{\"bias_layers\":0,\"selection\":{\"refresh_period\":1,\"strategy\":\"cyclic\"},"
                        + "\"weights\":[{\"layer\":50,\"ratio\":1.0}]}"));
    }

    @Test
    void threeOrMoreConsecutiveLayersWithOneAmountReadAsARange() {
        StringBuilder dense = new StringBuilder("{\"bias_layers\":51,\"weights\":[");
        for (int layer = 0; layer <= 50; layer++) {
            dense.append(layer == 0 ? "" : ",").append("{\"layer\":").append(layer).append(",\"ratio\":1.0}");
        }
        assertEquals("bias: last 51 layers; weights: 0-50@1; all channels", PolicyText.of(dense + "]}"));
        assertEquals("bias: last 9 layers; weights: 41@1/2, 42@1/2, 44-46@1/4, 47@1; static random", PolicyText.of(
                "{\"bias_layers\":9,\"selection\":{\"refresh_period\":0,\"strategy\":\"random\"},\"weights\":["
                        + "{\"layer\":41,\"ratio\":0.5},{\"layer\":42,\"ratio\":0.5},{\"layer\":44,\"ratio\":0.25},"
                        + "{\"layer\":45,\"ratio\":0.25},{\"layer\":46,\"ratio\":0.25},{\"layer\":47,\"ratio\":1}]}"));
    }

    @Test
    void anUnknownStrategyIsShownByItsNameAndAnythingElseAsItsJson() {
        assertEquals("bias: last 2 layers; weights: 7@1/2; static newest", PolicyText.of(
                "{\"bias_layers\":2,\"selection\":{\"refresh_period\":0,\"strategy\":\"newest\"},"
                        + "\"weights\":[{\"layer\":7,\"ratio\":0.5}]}"));
        assertEquals("{\"n_bias_update\":4}", PolicyText.of("{\"n_bias_update\": 4}"));
        assertEquals("not json", PolicyText.of("not json"));
    }

    @Test
    void theStrategyIsTheSelectionsJsonNameWithMagnitudeByDefault() {
        assertEquals("cyclic", PolicyText.strategy("{\"bias_layers\":1,\"selection\":{\"strategy\":\"cyclic\"}}"));
        assertEquals("random", PolicyText.strategy("{\"bias_layers\":1,\"selection\":\"random\"}"));
        assertEquals("magnitude", PolicyText.strategy("{\"bias_layers\":1}"));
        assertEquals("unknown", PolicyText.strategy("[1]"));
    }
}
