package io.tinysparse.search.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.Genome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A search's rules: recorded in its configuration, and what they change. */
class SearchRulesTest {
    static SearchDefinition under(SearchRules rules, int replicates) {
        SearchDefinition d = GenerationDriverTest.definition(SearcherKind.RANDOM, 4, 4);
        return new SearchDefinition(d.kind(), d.settings(), d.budget(), d.data(), d.training(), d.device(),
                d.backboneHash(), d.data().testSamples(), replicates, rules);
    }

    @Test
    void theConfigurationNamesCurrentRulesAndALegacyOneHasNoKey() {
        String current = under(SearchRules.CURRENT, 1).configJson();
        String legacy = under(SearchRules.LEGACY, 1).configJson();
        assertTrue(current.contains("\"rules\":2"), current);
        assertFalse(legacy.contains("rules"), legacy);
        assertEquals(SearchRules.CURRENT, SearchRules.ofConfig(current));
        assertEquals(SearchRules.LEGACY, SearchRules.ofConfig(legacy));
        assertThrows(IllegalStateException.class, () -> SearchRules.ofConfig("{\"rules\":99}"));
    }

    @Test
    void currentRulesShareTheRunSeedAcrossPoliciesAndLegacyRulesDeriveOnePerPolicy() {
        Genome a = Genome.of(new int[under(SearchRules.CURRENT, 1).budget().space().genomeSpace().dimensions()]);
        Genome b = a.with(0, 2);
        for (SearchRules rules : SearchRules.values()) {
            RunPlanner p = under(rules, 1).planner();
            long sa = p.plan(new Candidate(0, a, Fidelity.BASE)).spec().seed();
            long sb = p.plan(new Candidate(1, b, Fidelity.BASE)).spec().seed();
            assertEquals(rules != SearchRules.LEGACY, p.plan(new Candidate(0, a, Fidelity.BASE)).spec().deviceProfile()
                    != null, rules + ": the device profile travels by value under current rules only");
            if (rules.pairedSeeds()) {
                assertEquals(sa, sb, rules.name());
            } else {
                assertNotEquals(sa, sb, rules.name());
            }
        }
    }

    @Test
    void legacyRulesDecideOnTestAccuracyAndHaveNoReplicates() {
        RunFrontTest.Run r = new RunFrontTest.Run("x", "p", 0.7, 10);
        assertEquals(0.7, SearchRules.CURRENT.decisionAccuracy(r));
        assertEquals(r.testAccuracy(), SearchRules.LEGACY.decisionAccuracy(r));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> under(SearchRules.LEGACY, 3));
        assertTrue(e.getMessage().contains("--replicates 3"), e.getMessage());
        assertEquals(List.of(SearchRules.LEGACY, SearchRules.VALIDATED_PAIRED), List.of(SearchRules.values()));
    }
}
