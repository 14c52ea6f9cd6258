package io.tinysparse.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.results.FrontRecord;
import io.tinysparse.results.ReportRecords;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.SearchRecord;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportPageTest {
    private static final String HOSTILE = "</script><script>alert('x')</script><!-- & \u2028";
    private static final String POLICY = "{\"bias_layers\":12,\"selection\":{\"refresh_period\":0,\"strategy\":\"magnitude\"},"
            + "\"weights\":[{\"layer\":48,\"ratio\":0.5}]}";

    /** A search with a static and a dynamic run on its front, one run off it, a dense reference, two generations. */
    static SearchReport search(String configJson, String hostilePolicy) {
        RunRecord a = ReportRecords.run("s", "aaaa", 0, 0, 0.81, 100_000, POLICY, "magnitude", "search");
        RunRecord b = ReportRecords.run("s", "bbbb", 1, 0, 0.86, 200_000, hostilePolicy, "dynamic-random", "search");
        RunRecord c = ReportRecords.run("s", "cccc", 1, 0, 0.70, 150_000, POLICY, "magnitude", "search");
        RunRecord dense = ReportRecords.run("s", "dddd", 2, 0, 0.91, 1_500_000, POLICY, "magnitude", "reference");
        FrontRecord g0 = new FrontRecord("s", 0, 0, 0.3 * 262_144, 262_144, List.of(ReportRecords.member(a, null)), null);
        FrontRecord g1 = new FrontRecord("s", 1, 0, 0.4 * 262_144, 262_144,
                List.of(ReportRecords.member(a, null), ReportRecords.member(b, null)), ReportRecords.member(dense, null));
        return new SearchReport(ReportRecords.commit("s", 1, "finished", configJson), List.of(a, b, c, dense),
                List.of(g1, g0));
    }

    static String render(SearchReport report) {
        return ReportPage.render(report, EChartsLibrary.fromClasspath(), "tinysparse test", Instant.EPOCH);
    }

    /** The text of the element {@code <script type="application/json" id="report-data">}, as an HTML parser ends it. */
    static String dataElement(String page) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script", Pattern.DOTALL
                | Pattern.CASE_INSENSITIVE).matcher(page);
        assertTrue(m.find(), "the page has its data element");
        return m.group(1);
    }

    @Test
    void valuesFromTheWarehouseCannotCloseTheScriptElementAndReadBackUnchanged() throws Exception {
        String policy = "{\"bias_layers\":3,\"selection\":{\"refresh_period\":2,\"strategy\":\"" + HOSTILE
                .replace("\u2028", "\\u2028") + "\"},\"weights\":[{\"layer\":48,\"ratio\":0.25}]}";
        String page = render(search("{\"note\":\"" + HOSTILE.replace("\u2028", "\\u2028") + "\"}", policy));
        String json = dataElement(page);
        assertFalse(json.contains("<") || json.contains(">") || json.contains("&") || json.contains("\u2028"), json);
        JsonNode data = new ObjectMapper().readTree(json);
        assertEquals("{\"note\":\"" + HOSTILE.replace("\u2028", "\\u2028") + "\"}", data.get("config_json").asText());
        JsonNode member = data.at("/fidelities/0/front/1");
        assertEquals("bbbb", member.get("run_id").asText());
        assertEquals(HOSTILE, member.get("strategy").asText(), "the strategy as stored, for the legend");
        assertTrue(member.get("policy").asText().contains(HOSTILE), member.get("policy").asText());
        // Exactly the page's own four script elements, each closed once.
        assertEquals(4, page.split("</script>", -1).length - 1);
        assertEquals(4, page.split("<script", -1).length - 1);
    }

    @Test
    void theSearchIdIsEscapedInTheMarkup() {
        SearchReport r = search("{}", POLICY);
        SearchReport odd = new SearchReport(ReportRecords.commit("a<b&\"c", 1, "running", "{}"), r.runs(), r.fronts());
        String page = render(odd);
        assertTrue(page.contains("<title>tinysparse search a&lt;b&amp;&quot;c</title>"), page.substring(0, 400));
        assertFalse(page.contains("a<b"));
    }

    @Test
    void theDataHoldEveryRunButTheReferenceTheLatestFrontAndTheHypervolumeAsAFraction() throws Exception {
        JsonNode data = new ObjectMapper().readTree(dataElement(render(search("{}", POLICY))));
        assertEquals(262_144, data.get("budget_bytes").asLong());
        JsonNode panel = data.at("/fidelities/0");
        assertEquals(1, data.get("fidelities").size());
        assertEquals(List.of("aaaa", "bbbb", "cccc"), panel.get("runs").findValuesAsText("run_id"));
        assertEquals(1, panel.get("front_generation").asInt());
        assertEquals(0.4, panel.get("hypervolume_fraction").asDouble(), 1e-12);
        assertEquals("dddd", panel.at("/reference/run_id").asText());
        assertEquals("bias: last 12 layers; weights: 48@1/2; static top-magnitude", panel.at("/front/0/policy").asText());
        // Generations in the order stored, each as a fraction of the box.
        assertEquals(2, data.get("hypervolume").size());
        assertEquals(0.4, data.at("/hypervolume/0/fraction").asDouble(), 1e-12);
        assertEquals(0.3, data.at("/hypervolume/1/fraction").asDouble(), 1e-12);
        // The chosen member's details: breakdown and curve from its run.
        JsonNode run = panel.at("/front/0/run");
        assertEquals(4, run.get("breakdown").size());
        assertEquals(2, run.get("validation_curve").size());
        assertEquals(123_456, run.get("train_macs").asLong());
        assertEquals(0.6, run.get("coverage").asDouble());
    }

    @Test
    void aSearchOverPrunedBackbonesLeadsEachPolicyWithItsPruningRatio() throws Exception {
        SearchReport plain = search("{}", POLICY);
        String hash = plain.runs().get(0).get(io.tinysparse.results.RunsTable.BACKBONE_HASH);
        // Run bbbb fine-tuned the backbone pruned by 0.5, the dense reference the unfolded unpruned one, the
        // others the unpruned one.
        List<RunRecord> runs = plain.runs().stream().map(r -> r.runId().equals("bbbb") || r.runId().equals("dddd")
                ? r.toBuilder(r.searchId(), r.generation()).set(io.tinysparse.results.RunsTable.BACKBONE_HASH,
                        r.runId().equals("bbbb") ? "h50" : "unfolded").build() : r).toList();
        String config = "{\"prune_ratios\":[0.0,0.5],\"backbone_hashes\":[\"" + hash + "\",\"h50\"]}";
        SearchReport pruned = new SearchReport(ReportRecords.commit("s", 1, "finished", config), runs, plain.fronts());
        JsonNode panel = new ObjectMapper().readTree(dataElement(render(pruned))).at("/fidelities/0");
        assertEquals("pruned 0: bias: last 12 layers; weights: 48@1/2; static top-magnitude",
                panel.at("/front/0/policy").asText());
        assertTrue(panel.at("/front/1/policy").asText().startsWith("pruned 0.5: "), panel.at("/front/1/policy").asText());
        assertTrue(panel.at("/runs/1/policy").asText().startsWith("pruned 0.5: "), panel.at("/runs/1/policy").asText());
        assertFalse(panel.at("/reference/policy").asText().startsWith("pruned"), "the dense reference's backbone is"
                + " none of the ratios'");
    }

    @Test
    void theChartingLibraryIsInlinedFromTheWebJar() {
        EChartsLibrary charts = EChartsLibrary.fromClasspath();
        assertEquals("5.3.1", charts.version());
        assertTrue(charts.script().length() > 500_000, "the whole minified bundle");
        String page = render(search("{}", POLICY));
        assertTrue(page.contains(charts.script()));
        assertFalse(page.contains("src=\"http") || page.contains("src=\"//"), "nothing is fetched");
    }

    @Test
    void theSummaryCountsRepairedCandidatesAsInfeasibleWhenTheStoredStateHasTheEngineCounters() {
        String state = "{\"format\":\"tinysparse-search-checkpoint\",\"state\":{\"engine\":{\"stats\":"
                + "{\"asked\":200,\"told\":200,\"repaired\":71,\"rejectedInfeasible\":3}}}}";
        JsonNode stats = SearchReport.engineStats(state);
        assertEquals(71, stats.get("repaired").asLong());
        assertEquals(null, SearchReport.engineStats("{\"state\":{}}"), "a state without counters");
        assertEquals(null, SearchReport.engineStats("not json"), "a state that is not JSON");
        SearchReport withCounters = new SearchReport(withState(search("{}", POLICY), state), List.of(), List.of());
        JsonNode data = withCounters.toJson();
        assertEquals(71, data.get("infeasible_repaired").asLong());
        assertEquals(203, data.get("candidates_generated").asLong(), "told plus discarded");
        assertFalse(search("{}", POLICY).toJson().has("infeasible_repaired"), "the fixture's state has no counters");
    }

    private static SearchRecord withState(SearchReport report, String state) {
        SearchRecord c = report.search();
        return new SearchRecord(c.searchId(), c.generation(), c.status(), c.configJson(), state,
                c.runsDone(), c.infeasibleRejected(), c.candidatesConsidered(), c.startedAt(), c.updatedAt());
    }
}
