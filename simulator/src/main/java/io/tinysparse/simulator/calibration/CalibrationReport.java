package io.tinysparse.simulator.calibration;

import io.tinysparse.core.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a calibration found: per policy and budget the mean and sample standard deviation of
 * validation and test accuracy over the replicates, and Spearman's rho between the policies'
 * order at the quick budget and at the converged one, both ranked on validation means (the test
 * split decides nothing here either).
 *
 * @param policies      the reference policies in table order
 * @param quick         runs at the quick budget
 * @param converged     runs at the converged budget
 * @param ranked        names of the policies the rank correlation is over (the ones a search
 *                      can run: the unfolded reference is reported, not ranked)
 */
public record CalibrationReport(List<String> policies, List<CalibrationRun> quick, List<CalibrationRun> converged,
        List<String> ranked) {

    /**
     * Mean and sample standard deviation of the runs of one policy at one budget.
     *
     * @param runs            replicates (0 when the policy was not run at that budget)
     * @param validationMean  mean validation accuracy
     * @param validationSd    sample sd of validation accuracy (NaN for one run)
     * @param testMean        mean test accuracy
     * @param testSd          sample sd of test accuracy
     * @param meanWallMs      mean wall time per run, milliseconds
     * @param learningRates   the learning rates the runs reported, in replicate order
     */
    public record Cell(int runs, double validationMean, double validationSd, double testMean, double testSd,
            double meanWallMs, List<Double> learningRates) {}

    /** The statistics of {@code policy} among {@code runs}. */
    public static Cell cell(List<CalibrationRun> runs, String policy) {
        List<CalibrationRun> mine = runs.stream().filter(r -> r.policy().equals(policy)).toList();
        double[] v = mine.stream().mapToDouble(CalibrationRun::validation).toArray();
        double[] t = mine.stream().mapToDouble(CalibrationRun::test).toArray();
        return new Cell(mine.size(), mean(v), sd(v), mean(t), sd(t),
                mean(mine.stream().mapToDouble(CalibrationRun::wallMs).toArray()),
                mine.stream().map(CalibrationRun::learningRate).toList());
    }

    /** Spearman's rho of the quick and converged validation means over {@link #ranked}. */
    public double rho() {
        if (ranked.size() < 2) {
            throw new InvalidInputException("a rank correlation needs at least 2 ranked policies, got " + ranked.size());
        }
        double[] q = new double[ranked.size()];
        double[] c = new double[ranked.size()];
        for (int i = 0; i < ranked.size(); i++) {
            q[i] = cell(quick, ranked.get(i)).validationMean();
            c[i] = cell(converged, ranked.get(i)).validationMean();
        }
        return RankCorrelation.spearman(q, c);
    }

    /** The table, the rank correlation and the quick budget's cost, as printed by {@code tinysparse calibrate}. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-15s | %-27s %-13s %-9s | %-27s %-13s %-18s | %s%n", "policy",
                "quick: val mean ± sd (n)", "test", "s/run", "converged: val mean ± sd (n)", "test", "lr (selected)",
                "SRAM lin2022 / arena (B)"));
        Map<String, long[]> sram = new LinkedHashMap<>();
        for (CalibrationRun r : converged.isEmpty() ? quick : converged) {
            sram.putIfAbsent(r.policy(), new long[] {r.lin2022Bytes(), r.arenaBytes()});
        }
        for (String p : policies) {
            Cell q = cell(quick, p);
            Cell c = cell(converged, p);
            long[] s = sram.getOrDefault(p, new long[] {0, 0});
            sb.append(String.format(Locale.ROOT, "%-15s | %.4f ± %.4f (%d)%s %.4f ± %.4f %8.2f | %.4f ± %.4f (%d)%s %.4f ± %.4f %-18s | %,d / %,d%n",
                    p + (ranked.contains(p) ? "" : "*"), q.validationMean(), q.validationSd(), q.runs(), pad(q.runs()),
                    q.testMean(), q.testSd(), q.meanWallMs() / 1000, c.validationMean(), c.validationSd(), c.runs(),
                    pad(c.runs()), c.testMean(), c.testSd(), rates(c.learningRates()), s[0], s[1]));
        }
        sb.append("* not ranked (reported beside the search's policies)\n");
        if (!quick.isEmpty() && !converged.isEmpty() && ranked.size() >= 2) {
            sb.append(String.format(Locale.ROOT, "Spearman rho, quick vs converged ranking on validation means over %d"
                    + " policies: %+.3f%n", ranked.size(), rho()));
            sb.append(String.format(Locale.ROOT, "quick order:     %s%n", order(quick)));
            sb.append(String.format(Locale.ROOT, "converged order: %s%n", order(converged)));
        }
        if (!quick.isEmpty()) {
            double total = quick.stream().filter(r -> ranked.contains(r.policy())).mapToDouble(CalibrationRun::wallMs).sum();
            long n = Math.max(1, quick.stream().filter(r -> ranked.contains(r.policy())).count());
            sb.append(String.format(Locale.ROOT, "quick budget: %.2f s of one thread per ranked run on average (%d runs;"
                    + " cut activations and probe fits, shared by all runs, not included)%n", total / n / 1000, n));
        }
        return sb.toString();
    }

    private List<String> order(List<CalibrationRun> runs) {
        List<String> o = new ArrayList<>(ranked);
        o.sort((a, b) -> Double.compare(cell(runs, b).validationMean(), cell(runs, a).validationMean()));
        return o;
    }

    private static String pad(int n) {
        return n < 10 ? " " : "";
    }

    private static String rates(List<Double> rates) {
        if (rates.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (double r : rates) {
            sb.append(sb.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%s", (float) r));
        }
        return sb.toString();
    }

    private static double mean(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double sd(double[] x) {
        if (x.length < 2) {
            return Double.NaN;
        }
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }
}
