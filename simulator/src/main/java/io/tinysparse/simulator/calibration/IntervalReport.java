package io.tinysparse.simulator.calibration;

import io.tinysparse.core.stats.MeanInterval;
import io.tinysparse.core.stats.StudentT;
import io.tinysparse.simulator.engine.train.SparseTrainer;
import io.tinysparse.simulator.model.LayerTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The replicates of one budget read as an experiment (issue 11 item 7): per policy the mean
 * validation and test accuracy with their 95 % t intervals, the mean fraction of conv weights
 * updated per iteration, coverage, SRAM of a step by both estimators and the {@link FeatureMemory
 * feature memory} by both with its reduction against dense training ({@code 1 - policy / dense},
 * dense being every weight and bias updated, {@link SparseTrainer#densePolicy}); then, for every
 * pair of policies in table order, the {@link PairedDifference paired difference} (earlier minus
 * later) with its interval, marked significant only when the interval excludes 0.
 *
 * @param budget   the budget's name
 * @param policies the policies in table order (those without runs are left out)
 * @param layers   the model's layer table (feature memory)
 * @param runs     the runs of this budget
 */
public record IntervalReport(String budget, List<ReferencePolicy> policies, LayerTable layers,
        List<CalibrationRun> runs) {

    public IntervalReport {
        policies = List.copyOf(policies);
        runs = List.copyOf(runs);
    }

    /** The trained policies, in table order. */
    private List<ReferencePolicy> trained() {
        return policies.stream().filter(p -> runs.stream().anyMatch(r -> r.policy().equals(p.name()))).toList();
    }

    /** The paired differences of every pair of trained policies, earlier minus later in table order. */
    public List<PairedDifference> pairs() {
        List<ReferencePolicy> t = trained();
        List<PairedDifference> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            for (int j = i + 1; j < t.size(); j++) {
                out.add(PairedDifference.of(runs, t.get(i).name(), t.get(j).name()));
            }
        }
        return out;
    }

    /** Both tables, as {@code tinysparse calibrate} prints them. */
    public String format() {
        FeatureMemory dense = FeatureMemory.of(layers, SparseTrainer.densePolicy(layers));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s budget, 95 %% t intervals over replicates; feature memory = inputs"
                + " saved for weight gradients + ReLU masks + classifier input; reduction = 1 - policy / dense"
                + " (%,d B lin2022, %,d B arena)%n", budget, dense.lin2022Bytes(), dense.arenaBytes()));
        sb.append(String.format(Locale.ROOT, "%-17s %2s | %-24s | %-24s | %-9s | %-8s | %-10s %-10s | %-20s %-20s%n",
                "policy", "n", "validation mean [95% CI]", "test mean [95% CI]", "upd/iter", "coverage",
                "lin2022 B", "arena B", "features lin2022 B", "features arena B"));
        for (ReferencePolicy p : trained()) {
            List<CalibrationRun> mine = runs.stream().filter(r -> r.policy().equals(p.name())).toList();
            MeanInterval v = MeanInterval.of(mine.stream().mapToDouble(CalibrationRun::validation).toArray());
            MeanInterval t = MeanInterval.of(mine.stream().mapToDouble(CalibrationRun::test).toArray());
            double updated = MeanInterval.of(mine.stream().mapToDouble(CalibrationRun::updatedFraction).toArray()).mean();
            double coverage = MeanInterval.of(mine.stream().mapToDouble(CalibrationRun::coverage).toArray()).mean();
            FeatureMemory f = FeatureMemory.of(layers, p.policy());
            double[] red = f.reductionAgainst(dense);
            sb.append(String.format(Locale.ROOT, "%-17s %2d | %-24s | %-24s | %8.4f%% | %8.4f | %,10d %,10d | %,9d (%6.2f%%) %,9d (%6.2f%%)%n",
                    p.name(), v.n(), interval(v), interval(t), 100 * updated, coverage, mine.get(0).lin2022Bytes(),
                    mine.get(0).arenaBytes(), f.lin2022Bytes(), 100 * red[0], f.arenaBytes(), 100 * red[1]));
        }
        List<PairedDifference> pairs = pairs();
        if (!pairs.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%npaired differences (same replicate seeds), %s budget:%n", budget));
            sb.append(String.format(Locale.ROOT, "%-38s %2s | %-32s | %-32s%n", "first - second", "n",
                    "validation mean [95% CI]", "test mean [95% CI]"));
            for (PairedDifference d : pairs) {
                sb.append(String.format(Locale.ROOT, "%-38s %2d | %-32s | %-32s%n", d.first() + " - " + d.second(),
                        d.validation().n(), difference(d.validation()), difference(d.test())));
            }
        }
        return sb.toString();
    }

    private static String interval(MeanInterval m) {
        return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", m.mean(), m.low(), m.high());
    }

    private static String difference(MeanInterval m) {
        return String.format(Locale.ROOT, "%+.4f [%+.4f, %+.4f] %s", m.mean(), m.low(), m.high(),
                m.excludesZero() ? "signif." : "n.s.");
    }
}
