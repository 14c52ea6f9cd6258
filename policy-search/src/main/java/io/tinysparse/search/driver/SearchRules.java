package io.tinysparse.search.driver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The rules a search's numbers are made under: which accuracy its decisions use, how its run
 * seeds are derived, how target images are normalised. A search keeps the rules it was started
 * with, so one stored under older rules resumes exactly as it would have; new searches take
 * {@link #CURRENT}. The configuration JSON names the rules ({@code "rules": 2}); a configuration
 * without the key is a {@link #LEGACY} search.
 */
public enum SearchRules {
    /**
     * Searches stored before the rules were recorded: decisions on test accuracy, a run seed per
     * policy (unpaired), target images normalised with their own training subset's statistics.
     * Their numbers are optimistic (selected on the split they report); kept only so that such a
     * search resumes exactly.
     */
    LEGACY(1),
    /**
     * Decisions (ranking, promotion, contribution gains, fronts) on validation accuracy, test held
     * out; one run seed for every policy of a replicate (paired comparisons); target images
     * normalised with the backbone's pretraining statistics where they are known.
     */
    VALIDATED_PAIRED(2);

    /** The rules of a new search. */
    public static final SearchRules CURRENT = VALIDATED_PAIRED;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int version;

    SearchRules(int version) {
        this.version = version;
    }

    /** The number stored in the configuration. */
    public int version() {
        return version;
    }

    /** The accuracy every decision is made on. */
    public double decisionAccuracy(RunOutcome r) {
        return this == LEGACY ? r.testAccuracy() : r.validationAccuracy();
    }

    /** Whether every policy of a replicate shares the run seed. */
    public boolean pairedSeeds() {
        return this != LEGACY;
    }

    /** Whether target images are normalised with the backbone's statistics. */
    public boolean backboneStatistics() {
        return this != LEGACY;
    }

    /** The rules a stored configuration was made under. */
    public static SearchRules ofConfig(String configJson) {
        JsonNode node;
        try {
            node = JSON.readTree(configJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored search configuration is not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode v = node.get("rules");
        if (v == null) {
            return LEGACY;
        }
        for (SearchRules r : values()) {
            if (r.version == v.asInt()) {
                return r;
            }
        }
        throw new IllegalStateException("search configuration has rules " + v + ", newer than this tinysparse knows;"
                + " upgrade tinysparse to resume it");
    }
}
