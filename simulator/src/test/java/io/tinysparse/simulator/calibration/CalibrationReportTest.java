package io.tinysparse.simulator.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationReportTest {
    private static CalibrationRun run(String budget, String policy, int replicate, double val, double test) {
        return new CalibrationRun(budget, policy, replicate, 10 + replicate, val, test, 0.05, 100, 200, 1000.0, "b" + replicate,
                "r-" + budget + policy + replicate, 0.02, 1.0);
    }

    @Test
    void cellsAreMeansAndSampleStandardDeviationsOverTheReplicates() {
        List<CalibrationRun> runs = List.of(run("quick", "a", 0, 0.5, 0.4), run("quick", "a", 1, 0.7, 0.6),
                run("quick", "b", 0, 0.1, 0.1));
        CalibrationReport.Cell a = CalibrationReport.cell(runs, "a");
        assertEquals(2, a.runs());
        assertEquals(0.6, a.validationMean(), 1e-12);
        assertEquals(Math.sqrt(0.02), a.validationSd(), 1e-12);
        assertEquals(0.5, a.testMean(), 1e-12);
        assertTrue(Double.isNaN(CalibrationReport.cell(runs, "b").validationSd()), "one run has no sd");
    }

    @Test
    void theRankCorrelationUsesValidationMeansOnlyNeverTestAndSkipsUnrankedPolicies() {
        List<CalibrationRun> quick = new ArrayList<>();
        List<CalibrationRun> converged = new ArrayList<>();
        String[] names = {"p1", "p2", "p3", "p4"};
        for (int i = 0; i < names.length; i++) {
            for (int r = 0; r < 2; r++) {
                // Test accuracies run opposite to validation: a rho on test would be -1.
                quick.add(run("quick", names[i], r, 0.1 * i + 0.01 * r, 0.9 - 0.1 * i));
                converged.add(run("converged", names[i], r, 0.5 + 0.1 * i, 0.9 - 0.1 * i));
            }
        }
        quick.add(run("quick", "unranked", 0, 0.99, 0.99));
        converged.add(run("converged", "unranked", 0, 0.0, 0.0));
        CalibrationReport report = new CalibrationReport(List.of("p1", "p2", "p3", "p4", "unranked"), quick, converged,
                List.of(names));
        assertEquals(1.0, report.rho(), 1e-12);
        String text = report.format();
        assertTrue(text.contains("+1.000"), text);
        assertTrue(text.contains("unranked*"), text);
    }

    @Test
    void aReportOfOneUnrankedPolicyHasNoRankCorrelationButItsTable() {
        CalibrationReport report = new CalibrationReport(List.of("dense-bn"), List.of(run("quick", "dense-bn", 0, 0.7, 0.7)),
                List.of(run("converged", "dense-bn", 0, 0.9, 0.9)), List.of());
        String text = report.format();
        assertTrue(text.contains("dense-bn*") && !text.contains("Spearman"), text);
    }

    @Test
    void aRunSurvivesItsTsvLine() {
        CalibrationRun r = run("converged", "99kb-static", 2, 0.8125, 0.8, 123);
        assertEquals(r, CalibrationRun.fromTsv(r.toTsv()));
    }

    @Test
    void aTwelveColumnLineOfAnEarlierCalibrationReadsWithoutUpdatedFractionAndCoverage() {
        CalibrationRun r = CalibrationRun.fromTsv(
                "converged\t99kb-static\t0\t1\t0.887000\t0.886800\t0.03\t101792\t202744\t8123.5\thash\tid");
        assertEquals(0.887, r.validation(), 1e-12);
        assertTrue(Double.isNaN(r.updatedFraction()) && Double.isNaN(r.coverage()), r.toString());
    }

    private static CalibrationRun run(String budget, String policy, int replicate, double val, double test, int x) {
        return new CalibrationRun(budget, policy, replicate, x, val, test, 0.03, 101_792, 202_744, 8123.5, "hash", "id",
                0.01870000, 0.99);
    }
}
