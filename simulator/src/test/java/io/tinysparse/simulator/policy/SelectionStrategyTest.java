package io.tinysparse.simulator.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectionStrategyTest {
    @Test
    void namesAndTinyTrainingCriteriaAreUniqueAndParseBackToTheirStrategy() {
        Set<String> seen = new HashSet<>();
        for (SelectionStrategy s : SelectionStrategy.values()) {
            assertTrue(seen.add(s.jsonName()), s.jsonName());
            assertEquals(s, SelectionStrategy.parse(s.jsonName()));
            assertEquals(s, SelectionStrategy.parse(" " + s.jsonName().toUpperCase(java.util.Locale.ROOT) + " "));
            s.tinyTrainingCriterion().ifPresent(c -> assertEquals(s, SelectionStrategy.parse(c)));
        }
        assertEquals("magnitude+, magnitude-, random", SelectionStrategy.tinyTrainingCriteria());
    }

    @Test
    void everyParameterHasAValidDefaultThatASelectionWithoutItTakes() {
        for (SelectionStrategy s : SelectionStrategy.values()) {
            ChannelSelection sel = ChannelSelection.of(s);
            assertEquals(s.parameters().size(), sel.parameters().size(), s.jsonName());
            for (SelectionParameter p : s.parameters()) {
                assertEquals(p.defaultValue(), sel.parameter(p.name()), s.jsonName() + "." + p.name());
                assertEquals(p.defaultValue(), p.check(p.defaultValue()));
            }
        }
    }

    @Test
    void aParameterIsAcceptedOnlyByTheStrategiesThatDeclareIt() {
        assertEquals("temperature 2.0 applies only to strategy importance, not dynamic-random",
                assertThrows(InvalidInputException.class, () -> new ChannelSelection(SelectionStrategy.DYNAMIC_RANDOM, 1,
                        Map.of("temperature", 2.0))).getMessage());
        assertEquals("unknown selection parameter 'beta' (known: temperature)",
                assertThrows(InvalidInputException.class, () -> new ChannelSelection(SelectionStrategy.IMPORTANCE, 1,
                        Map.of("beta", 2.0))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChannelSelection.DEFAULT.parameter("temperature"));
    }

    @Test
    void tinyTrainingAcceptsOnlyTheStrategiesWithACriterion() {
        for (SelectionStrategy s : SelectionStrategy.values()) {
            String json = "{\"n_bias_update\": 3, \"weight_select_criteria\": \"" + s.jsonName() + "\"}";
            if (s.tinyTrainingCriterion().isPresent()) {
                assertEquals(s, PolicyJson.read(json).selection().strategy());
                assertEquals(s, PolicyJson.read(PolicyJson.writeBackwardConfig(PolicyJson.read(json))).selection()
                        .strategy());
            } else {
                assertEquals("weight_select_criteria '" + s.jsonName()
                        + "' is not a tiny-training criterion (magnitude+, magnitude-, random)",
                        assertThrows(InvalidInputException.class, () -> PolicyJson.read(json)).getMessage());
            }
        }
    }
}
