package io.tinysparse.simulator.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ChannelSelectionJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ModelSpec MBV2 = ModelSpec.preset("mbv2-w0.35");

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    private static String rejected(Executable e) {
        return assertThrows(InvalidInputException.class, e).getMessage();
    }

    private static SparseUpdatePolicy policy(String selection) {
        return PolicyJson.read("{\"bias_layers\": 3, \"weights\": [{\"layer\": 50, \"ratio\": 0.5}], \"selection\": "
                + selection + "}", MBV2);
    }

    @Test
    void canonicalJsonAndContentHashOfEveryStrategyAreThoseWrittenBeforeTheStrategyRegistry() {
        // Written by the code before one registration per strategy: run ids and stored policies hash these bytes.
        String prefix = "{\"bias_layers\":3,\"selection\":";
        String suffix = ",\"train_classifier\":true,\"weights\":[{\"layer\":50,\"ratio\":0.5}]}";
        Map<String, List<String>> pinned = Map.of(
                "\"magnitude\"", List.of("{\"refresh_period\":0,\"strategy\":\"magnitude\"}",
                        "2471a6c1a4a6ec23ec9caaa79cc511ea8226cb2915683a9f049cf31b9658d305"),
                "\"magnitude-\"", List.of("{\"refresh_period\":0,\"strategy\":\"magnitude-\"}",
                        "9f51df90751422b4955e2f87c35ac4475e846a7c7a7e8e225da7899f95ac287d"),
                "\"random\"", List.of("{\"refresh_period\":0,\"strategy\":\"random\"}",
                        "a434d6abfa73b1a0262e4c5674a119e6cc791ad02a7a62b8e3b44bfa5c06ca7d"),
                "\"dynamic-random\"", List.of("{\"refresh_period\":1,\"strategy\":\"dynamic-random\"}",
                        "ad5ed1323872c58fe8b91203468957c43cca51e6c30cce6115c6f1975bf73aed"),
                "\"cyclic\"", List.of("{\"refresh_period\":1,\"strategy\":\"cyclic\"}",
                        "904c379758405cb0f12b9d10e69634d967f2b0b7a8aa86f1e2d70bd7ead5cf10"),
                "{\"strategy\": \"cyclic\", \"refresh_period\": 10}", List.of(
                        "{\"refresh_period\":10,\"strategy\":\"cyclic\"}",
                        "73fabb92509a79a4c123c2be530981a537d36d575536d5ab0c8623f6b5bb4aed"),
                "\"importance\"", List.of("{\"refresh_period\":1,\"strategy\":\"importance\",\"temperature\":1.0}",
                        "759df1501f27c7fba834a8130c1bf620daa4a46bd42ed86008fcba70e0384652"),
                "{\"temperature\": 0.5, \"strategy\": \"importance\", \"refresh_period\": 3}", List.of(
                        "{\"refresh_period\":3,\"strategy\":\"importance\",\"temperature\":0.5}",
                        "6a56ee8a7758a728fc7d3fac83c2d58517b0ed0f91e111670bf6a74a1d6a867b"));
        pinned.forEach((selection, expected) -> {
            SparseUpdatePolicy p = policy(selection);
            assertEquals(prefix + expected.get(0) + suffix, p.toCanonicalJson(), selection);
            assertEquals(expected.get(1), p.contentHash(), selection);
        });
    }

    @Test
    void bothWrittenFormsReadBackToTheSameSelectionForEveryStrategy() {
        for (SelectionStrategy s : SelectionStrategy.values()) {
            for (ChannelSelection sel : List.of(ChannelSelection.of(s), s.dynamic() ? ChannelSelection.dynamic(s, 7)
                    : ChannelSelection.of(s))) {
                assertEquals(sel, ChannelSelectionJson.read(ChannelSelectionJson.toCanonicalNode(sel)), s.jsonName());
                assertEquals(List.of(sel), ChannelSelectionJson.readOptions(ChannelSelectionJson.toOptionNode(sel)),
                        s.jsonName());
            }
        }
    }

    @Test
    void theOptionFormLeavesOutAStaticStrategysRefreshPeriodAndTheCanonicalFormDoesNot() {
        ChannelSelection importance = new ChannelSelection(SelectionStrategy.IMPORTANCE, 4, Map.of("temperature", 0.5));
        assertEquals("{\"strategy\":\"importance\",\"refresh_period\":4,\"temperature\":0.5}",
                ChannelSelectionJson.toOptionNode(importance).toString());
        assertEquals("{\"refresh_period\":4,\"strategy\":\"importance\",\"temperature\":0.5}",
                ChannelSelectionJson.toCanonicalNode(importance).toString());
        assertEquals("{\"strategy\":\"random\"}",
                ChannelSelectionJson.toOptionNode(ChannelSelection.of(SelectionStrategy.RANDOM)).toString());
    }

    @Test
    void aNameOrAnObjectWithoutParametersTakesTheDefaults() throws Exception {
        assertEquals(ChannelSelection.of(SelectionStrategy.IMPORTANCE), ChannelSelectionJson.read(json("\"importance\"")));
        assertEquals(1.0, ChannelSelectionJson.read(json("{\"strategy\": \"importance\"}")).parameter("temperature"));
        assertEquals(ChannelSelection.dynamic(SelectionStrategy.CYCLIC, 1),
                ChannelSelectionJson.read(json("{\"strategy\": \"cyclic\", \"refresh_period\": null}")), "null is absent");
        assertEquals(ChannelSelection.dynamic(SelectionStrategy.CYCLIC, 10),
                ChannelSelectionJson.read(json("{\"strategy\": \"cyclic\", \"refresh_period\": 10.0}")));
        assertEquals(ChannelSelection.DEFAULT, ChannelSelectionJson.read(json("\"MAGNITUDE+\"")));
    }

    @Test
    void spaceEntriesStandForEveryCombinationRefreshPeriodVaryingSlowest() throws Exception {
        List<ChannelSelection> options = ChannelSelectionJson.readOptions(
                json("{\"temperature\": [0.5, 2], \"refresh_period\": [5, 6], \"strategy\": \"importance\"}"));
        assertEquals(List.of(new ChannelSelection(SelectionStrategy.IMPORTANCE, 5, Map.of("temperature", 0.5)),
                new ChannelSelection(SelectionStrategy.IMPORTANCE, 5, Map.of("temperature", 2.0)),
                new ChannelSelection(SelectionStrategy.IMPORTANCE, 6, Map.of("temperature", 0.5)),
                new ChannelSelection(SelectionStrategy.IMPORTANCE, 6, Map.of("temperature", 2.0))), options);
        assertEquals(List.of(), ChannelSelectionJson.readOptions(json("{\"strategy\": \"cyclic\", \"refresh_period\": []}")));
        assertEquals(List.of(ChannelSelection.of(SelectionStrategy.RANDOM)),
                ChannelSelectionJson.readOptions(json("\"random\"")));
    }

    @Test
    void badSelectionsAreRejectedNamingTheKeyAndValue() throws Exception {
        assertEquals("unknown selection key 'period' (known: refresh_period, strategy, temperature)",
                rejected(() -> ChannelSelectionJson.read(json("{\"strategy\": \"cyclic\", \"period\": 2}"))));
        assertEquals("unknown selection key 'period' (known: refresh_period, strategy, temperature)",
                rejected(() -> ChannelSelectionJson.readOptions(json("{\"strategy\": \"cyclic\", \"period\": [2]}"))));
        assertEquals("selection.strategy is required", rejected(() -> ChannelSelectionJson.read(json("{}"))));
        assertEquals("selection.strategy must be a name, got 3",
                rejected(() -> ChannelSelectionJson.read(json("{\"strategy\": 3}"))));
        assertEquals("selection must be a strategy name or an object, got 5",
                rejected(() -> ChannelSelectionJson.read(json("5"))));
        assertEquals("refresh_period must be an integer, got 2.5",
                rejected(() -> ChannelSelectionJson.read(json("{\"strategy\": \"cyclic\", \"refresh_period\": 2.5}"))));
        assertEquals("temperature must be a number, got \"x\"",
                rejected(() -> ChannelSelectionJson.read(json("{\"strategy\": \"importance\", \"temperature\": \"x\"}"))));
        assertEquals("temperature must be finite and > 0, got -1.0",
                rejected(() -> ChannelSelectionJson.readOptions(
                        json("{\"strategy\": \"importance\", \"temperature\": [1, -1]}"))));
        assertEquals("temperature 1.0 applies only to strategy importance, not cyclic",
                rejected(() -> ChannelSelectionJson.read(json("{\"strategy\": \"cyclic\", \"temperature\": 1}"))));
    }

    @Test
    void jacksonReadsAndWritesTheSelectionThroughTheCodec() throws Exception {
        ChannelSelection importance = new ChannelSelection(SelectionStrategy.IMPORTANCE, 4, Map.of("temperature", 0.5));
        assertEquals("{\"refresh_period\":4,\"strategy\":\"importance\",\"temperature\":0.5}",
                MAPPER.writeValueAsString(importance));
        assertEquals(importance, MAPPER.readValue("{\"strategy\":\"importance\",\"refresh_period\":4,\"temperature\":0.5}",
                ChannelSelection.class));
        assertEquals(ChannelSelection.of(SelectionStrategy.CYCLIC), MAPPER.readValue("\"cyclic\"", ChannelSelection.class));
    }
}
