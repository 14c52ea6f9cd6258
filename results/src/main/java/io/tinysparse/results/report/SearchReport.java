package io.tinysparse.results.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.text.PlainDecimal;
import io.tinysparse.results.FrontRecord;
import io.tinysparse.results.PolicyText;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.RunsTable;
import io.tinysparse.results.SearchRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the HTML report shows about one search, from its stored records (no Spark: the records
 * are read by the caller): its latest commit, every run it stores, and every front it committed.
 * {@link #toJson} is the data the page's script draws, in these units: accuracy as a fraction,
 * memory in bytes, time in milliseconds, work in multiply-accumulates, hypervolume as the
 * fraction of the reference box ({@link FrontRecord#hypervolumeFraction}; with device time as an
 * objective, {@code time_reference_ms} is the box's time edge, else null).
 *
 * <p>The accuracy shown is the one a search decides on: the final validation accuracy (a front
 * member's mean over its replicates), or the test accuracy where a row has no validation figure
 * (searches under the rules before validation splits). Runs trained as the dense reference
 * ({@code role = reference}) are not plotted among the search's runs: they are a reference
 * beside the final front, not candidates, and their memory is off the device's scale.
 *
 * @param search the search's latest commit
 * @param runs   every run the search stores, any generation and fidelity
 * @param fronts every front the search committed, any generation and fidelity
 */
public record SearchReport(SearchRecord search, List<RunRecord> runs, List<FrontRecord> fronts) {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper READER = new ObjectMapper();

    public SearchReport {
        Objects.requireNonNull(search, "search");
        runs = List.copyOf(runs);
        fronts = List.copyOf(fronts);
    }

    /** The search id. */
    public String searchId() {
        return search.searchId();
    }

    /** The latest front of each fidelity level, lowest level first. */
    public List<FrontRecord> latestFronts() {
        Map<Integer, FrontRecord> latest = new TreeMap<>();
        for (FrontRecord f : fronts) {
            latest.merge(f.fidelity(), f, (a, b) -> b.generation() > a.generation() ? b : a);
        }
        return List.copyOf(latest.values());
    }

    /**
     * The time edge of the hypervolume's box in milliseconds when device time is an objective of the
     * search (its latest fronts say so), null for accuracy against memory.
     */
    public Double timeReferenceMs() {
        return latestFronts().stream().map(FrontRecord::timeReferenceMs).filter(Objects::nonNull).findFirst()
                .orElse(null);
    }

    /**
     * The search engine's counters ({@code asked, told, repaired, rejectedInfeasible, ...}) in a
     * stored search state, or null when the state has none (states of other searchers or
     * versions, or not JSON): the page then shows the {@code searches} table's counts alone.
     */
    static JsonNode engineStats(String stateJson) {
        if (stateJson == null) {
            return null;
        }
        try {
            JsonNode stats = READER.readTree(stateJson).path("state").path("engine").path("stats");
            return stats.has("told") && stats.has("repaired") ? stats : null;
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    /**
     * The pruning ratio of each backbone of a search over pruned backbones ({@code prune_ratios}
     * and {@code backbone_hashes} of its configuration), by content hash; empty for any other search.
     */
    static Map<String, Double> pruneRatios(String configJson) {
        Map<String, Double> byHash = new java.util.HashMap<>();
        try {
            JsonNode config = READER.readTree(configJson == null ? "{}" : configJson);
            JsonNode ratios = config.path("prune_ratios");
            JsonNode hashes = config.path("backbone_hashes");
            for (int i = 0; i < ratios.size() && i < hashes.size(); i++) {
                byHash.put(hashes.get(i).asText(), ratios.get(i).asDouble());
            }
        } catch (JsonProcessingException notJson) {
            // a configuration that is not JSON names no pruning
        }
        return byHash;
    }

    /** A run's policy in human terms, led by its pruning ratio in a search over pruned backbones. */
    private static String policyText(String policyJson, RunRecord run, Map<String, Double> ratios) {
        Double ratio = run == null ? null : ratios.get(run.get(RunsTable.BACKBONE_HASH));
        return (ratio == null ? "" : "pruned " + PlainDecimal.of(ratio) + ": ") + PolicyText.of(policyJson);
    }

    /** The page's data (see the class comment for units). */
    public ObjectNode toJson() {
        Map<String, Double> ratios = pruneRatios(search.configJson());
        ObjectNode root = JSON.objectNode();
        root.put("search_id", search.searchId());
        root.put("status", search.status());
        root.put("generation", search.generation());
        root.put("runs_done", search.runsDone());
        root.put("runs_stored", runs.size());
        root.put("infeasible_rejected", search.infeasibleRejected());
        root.put("candidates_considered", search.candidatesConsidered());
        JsonNode stats = engineStats(search.stateJson());
        if (stats != null) {
            // The searcher's own counts, as the console prints them: a repaired candidate did not fit
            // either, it was turned into a feasible one instead of being discarded.
            root.put("infeasible_repaired", stats.path("repaired").asLong());
            root.put("candidates_generated", stats.path("told").asLong() + stats.path("rejectedInfeasible").asLong());
        }
        root.put("started_at", search.startedAt() == null ? null : search.startedAt().toInstant().toString());
        root.put("updated_at", search.updatedAt() == null ? null : search.updatedAt().toInstant().toString());
        root.put("config_json", search.configJson());
        List<FrontRecord> latest = latestFronts();
        long budget = !latest.isEmpty() ? latest.get(0).budgetBytes()
                : runs.isEmpty() ? 0 : runs.get(0).get(RunsTable.BUDGET_BYTES);
        root.put("budget_bytes", budget);
        // Device time as the third objective: the page adds an accuracy-vs-time panel per level.
        root.put("time_reference_ms", timeReferenceMs());

        Map<String, RunRecord> byId = new LinkedHashMap<>();
        TreeSet<Integer> levels = new TreeSet<>();
        for (RunRecord r : runs) {
            byId.putIfAbsent(r.runId(), r);
            levels.add(r.fidelity());
        }
        latest.forEach(f -> levels.add(f.fidelity()));

        ArrayNode panels = root.putArray("fidelities");
        for (int level : levels) {
            ObjectNode panel = panels.addObject();
            panel.put("fidelity", level);
            ArrayNode points = panel.putArray("runs");
            TreeSet<Integer> iterations = new TreeSet<>();
            for (RunRecord r : runs) {
                if (r.fidelity() == level && !"reference".equals(r.get(RunsTable.ROLE))) {
                    points.add(runPoint(r, ratios));
                    iterations.add(r.iterations());
                }
            }
            ArrayNode its = panel.putArray("iterations");
            iterations.forEach(its::add);
            FrontRecord front = latest.stream().filter(f -> f.fidelity() == level).findFirst().orElse(null);
            if (front != null) {
                panel.put("front_generation", front.generation());
                panel.put("hypervolume_fraction", front.hypervolumeFraction());
                ArrayNode members = panel.putArray("front");
                for (FrontRecord.Member m : front.members()) {
                    members.add(member(m, byId.get(m.runId()), ratios));
                }
                if (front.reference() != null) {
                    panel.set("reference", member(front.reference(), byId.get(front.reference().runId()), ratios));
                }
            }
        }

        ArrayNode history = root.putArray("hypervolume");
        for (FrontRecord f : fronts) {
            history.addObject().put("fidelity", f.fidelity()).put("generation", f.generation())
                    .put("fraction", f.hypervolumeFraction());
        }
        return root;
    }

    private static ObjectNode runPoint(RunRecord r, Map<String, Double> ratios) {
        ObjectNode p = JSON.objectNode();
        p.put("run_id", r.runId());
        p.put("generation", r.generation());
        p.put("role", r.get(RunsTable.ROLE));
        p.put("accuracy", decided(r.validationAccuracy(), r.testAccuracy()));
        p.put("test_accuracy", r.testAccuracy());
        p.put("arena_bytes", r.arenaBytes());
        p.put("device_time_ms", r.deviceTimeMs());
        p.put("strategy", r.get(RunsTable.SELECTION));
        p.put("policy", policyText(r.policyJson(), r, ratios));
        return p;
    }

    private static ObjectNode member(FrontRecord.Member m, RunRecord run, Map<String, Double> ratios) {
        ObjectNode o = JSON.objectNode();
        o.put("run_id", m.runId());
        o.put("accuracy", decided(m.validationAccuracy() == null ? Double.NaN : m.validationAccuracy(),
                m.testAccuracy()));
        o.put("accuracy_sd", m.validationSd());
        o.put("accuracy_ci95", m.validationCi95());
        o.put("test_accuracy", m.testAccuracy());
        o.put("test_ci95", m.testCi95());
        o.put("replicates", m.replicates() == null ? 1 : m.replicates());
        o.put("tied_with", m.tiedWith());
        o.put("arena_bytes", m.arenaBytes());
        o.put("lin2022_bytes", m.lin2022Bytes());
        o.put("device_time_ms", m.deviceTimeMs());
        o.put("strategy", PolicyText.strategy(m.policyJson()));
        o.put("policy", policyText(m.policyJson(), run, ratios));
        o.put("policy_json", m.policyJson());
        if (run != null) {
            o.set("run", details(run));
        }
        return o;
    }

    /** What the page shows of a chosen front member's representative run. */
    private static ObjectNode details(RunRecord r) {
        ObjectNode d = JSON.objectNode();
        d.put("iterations", r.iterations());
        ArrayNode curve = d.putArray("validation_curve");
        r.get(RunsTable.VAL_ACCURACY).forEach(curve::add);
        d.put("coverage", r.get(RunsTable.COVERAGE));
        d.put("updated_fraction", r.get(RunsTable.UPDATED_FRACTION));
        d.put("train_macs", r.get(RunsTable.TRAIN_MACS));
        d.put("device_time_ms", r.deviceTimeMs());
        d.put("arena_bytes", r.arenaBytes());
        d.put("lin2022_bytes", r.get(RunsTable.LIN2022_BYTES));
        d.put("learning_rate", r.get(RunsTable.LEARNING_RATE));
        d.put("model", r.get(RunsTable.MODEL));
        d.put("dataset", r.get(RunsTable.DATASET));
        d.put("device", r.get(RunsTable.DEVICE));
        ArrayNode breakdown = d.putArray("breakdown");
        List<RunRecord.BreakdownEntry> entries = new ArrayList<>(r.get(RunsTable.BREAKDOWN));
        for (RunRecord.BreakdownEntry e : entries) {
            breakdown.addObject().put("layer", e.layer()).put("kind", e.kind()).put("bytes", e.bytes());
        }
        return d;
    }

    /** The accuracy decided on: validation when the row has it, else test (searches before validation splits). */
    private static double decided(double validation, double test) {
        return Double.isFinite(validation) ? validation : test;
    }
}
