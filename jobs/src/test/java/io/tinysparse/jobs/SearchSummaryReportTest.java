package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.results.PolicyText;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.RunsTable;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.driver.GenerationDriver;
import io.tinysparse.search.driver.PrunedBackbones;
import io.tinysparse.search.driver.RunFront;
import io.tinysparse.search.driver.SearchObjectives;
import io.tinysparse.search.pareto.ReferencePoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SearchSummaryReportTest {
    /** Twelve search runs of the report fixture, drawn from a fixed seed. */
    private static List<StoredRun> runs() {
        Random random = new Random(5);
        List<StoredRun> runs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            runs.add(new StoredRun(ReportSearchFixture.run(random, "s", 0, 0, "search")));
        }
        return runs;
    }

    @Test
    void aSearchOverPrunedBackbonesShowsEachMembersPruningRatio() {
        // Half the runs fine-tuned backbone b0 (unpruned), half b1 (pruned by 0.25).
        List<StoredRun> runs = new ArrayList<>();
        List<StoredRun> plain = runs();
        for (int i = 0; i < plain.size(); i++) {
            RunRecord r = plain.get(i).record();
            runs.add(i % 2 == 0 ? plain.get(i) : new StoredRun(r.toBuilder(r.searchId(), r.generation())
                    .set(RunsTable.BACKBONE_HASH, "b1").build()));
        }
        ReferencePoint box = ReferencePoint.forBudget(ReportSearchFixture.BUDGET);
        List<RunFront<StoredRun>> fronts = RunFront.perFidelity(runs, box);
        RunFront<StoredRun> front = fronts.get(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SearchSummaryReport.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "s",
                new GenerationDriver.Summary<>(0, SearchStats.ZERO, runs.size(), fronts, null), 1, 2,
                new SearchObjectives(ObjectiveMode.ACCURACY_MEMORY, box), "/wh",
                new PrunedBackbones(List.of(0.0, 0.25), List.of("b0", "b1")));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("  pruned run "), out);
        List<String> rows = out.lines().filter(l -> l.startsWith("  ") && !l.contains("val acc")).toList();
        assertEquals(front.members().size(), rows.size(), out);
        assertTrue(front.members().stream().map(m -> m.run().backboneHash()).distinct().count() == 2,
                "fixture: both backbones on the front");
        for (int i = 0; i < rows.size(); i++) {
            boolean pruned = front.members().get(i).run().backboneHash().equals("b1");
            assertTrue(rows.get(i).startsWith(pruned ? "  0.25   " : "  0      "), rows.get(i));
        }
    }

    @Test
    void theInfeasibleShareIsOfEveryGenomeProposedSoRepairedRepeatsNeverPassAHundredPercent() {
        // 12 handed out, 14 repairs: two repaired genomes turned out to be repeats and were discarded.
        SearchStats stats = new SearchStats(12, 12, 30, 14, 0, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SearchSummaryReport.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "s",
                new GenerationDriver.Summary<>(0, stats, 12, List.of(), null), 1, 2,
                new SearchObjectives(ObjectiveMode.ACCURACY_MEMORY, ReferencePoint.forBudget(ReportSearchFixture.BUDGET)),
                "/wh", null);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("infeasible at 262144 bytes (never trained): 14 of 14 genomes proposed (100.0%; 14"
                + " repaired into feasible ones, 0 discarded; 2 repeats discarded)"), out);
    }

    @Test
    void theClosingTableShowsEachPolicyInHumanTermsAndTheHypervolumeAsAFractionOfTheBox() {
        List<StoredRun> runs = runs();
        List<RunFront<StoredRun>> fronts = RunFront.perFidelity(runs, ReferencePoint.forBudget(ReportSearchFixture.BUDGET));
        RunFront<StoredRun> front = fronts.get(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SearchSummaryReport.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "s",
                new GenerationDriver.Summary<>(0, SearchStats.ZERO, runs.size(), fronts, null), 1, 2,
                new SearchObjectives(ObjectiveMode.ACCURACY_MEMORY, ReferencePoint.forBudget(ReportSearchFixture.BUDGET)),
                "/wh", null);
        String out = bytes.toString(StandardCharsets.UTF_8);

        double fraction = front.hypervolume() / ReportSearchFixture.BUDGET;
        assertTrue(fraction > 0 && fraction < 1, "a fraction of the box: " + fraction);
        assertTrue(out.contains(String.format(Locale.ROOT, "(hypervolume %.4f of the box accuracy 0..1 x 0..262,144 bytes):",
                fraction)), out);
        List<String> rows = out.lines().filter(l -> l.startsWith("  ") && !l.contains("val acc")).toList();
        assertEquals(front.members().size(), rows.size(), out);
        for (int i = 0; i < rows.size(); i++) {
            RunRecord r = front.members().get(i).run().record();
            assertTrue(rows.get(i).endsWith(" " + PolicyText.of(r.policyJson())), rows.get(i));
            assertTrue(rows.get(i).contains("bias: last "), rows.get(i));
            assertFalse(rows.get(i).contains("{"), "no raw JSON: " + rows.get(i));
        }
        assertFalse(out.contains("ms/step"), "no time column when time is not an objective");
    }

    @Test
    void withTimeTheClosingTableHasATimeColumnAndTheThreeDimensionalFractionOfItsBox() {
        List<StoredRun> runs = runs();
        SearchObjectives objectives = new SearchObjectives(ObjectiveMode.ACCURACY_MEMORY_TIME,
                ReferencePoint.forBudget(ReportSearchFixture.BUDGET, 0.020));
        List<RunFront<StoredRun>> fronts = RunFront.perFidelity(runs, objectives, 1, StoredRun::validationAccuracy);
        RunFront<StoredRun> front = fronts.get(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SearchSummaryReport.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "s",
                new GenerationDriver.Summary<>(0, SearchStats.ZERO, runs.size(), fronts, null), 1, 2, objectives, "/wh",
                null);
        String out = bytes.toString(StandardCharsets.UTF_8);

        double fraction = front.hypervolume() / ReportSearchFixture.BUDGET / 0.020;
        assertTrue(fraction > 0 && fraction < 1, "a fraction of the box: " + fraction);
        assertTrue(out.contains(String.format(Locale.ROOT, "on validation accuracy, peak SRAM and device time per step"
                + " (3-D hypervolume %.4f of the box accuracy 0..1 x 0..262,144 bytes x 0..20.0 ms, a dense step's"
                + " device time):", fraction)), out);
        assertTrue(out.contains(" ms/step "), out);
        List<String> rows = out.lines().filter(l -> l.startsWith("  ") && !l.contains("val acc")).toList();
        assertEquals(front.members().size(), rows.size(), out);
        for (int i = 0; i < rows.size(); i++) {
            double ms = front.members().get(i).run().deviceTimeMs();
            assertTrue(rows.get(i).contains(String.format(Locale.ROOT, " %-9.2f ", ms)), rows.get(i));
        }
    }
}
