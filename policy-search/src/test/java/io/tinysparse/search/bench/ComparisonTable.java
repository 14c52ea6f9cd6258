package io.tinysparse.search.bench;

import io.tinysparse.core.stats.MeanInterval;
import io.tinysparse.search.pareto.ReferencePoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's table: per searcher, the normalised hypervolume ({@link HypervolumeCurve}) at
 * each checkpoint of counted runs, mean and sample sd over the seeds, as Markdown, and the raw
 * per-seed values as CSV. A cell is a dash unless every seed's trajectory reached its checkpoint.
 */
final class ComparisonTable {
    private final int[] checkpoints;
    /** Searcher (in the order given) to its trajectories' curves, one per seed. */
    private final Map<String, List<Curve>> curves = new LinkedHashMap<>();

    private record Curve(long seed, double[] hypervolume) {}

    /** A table of {@code trajectories}, searchers in order of first appearance. */
    ComparisonTable(List<Trajectory> trajectories, int[] checkpoints, ReferencePoint reference) {
        this.checkpoints = checkpoints.clone();
        for (Trajectory t : trajectories) {
            curves.computeIfAbsent(t.searcher(), k -> new ArrayList<>())
                    .add(new Curve(t.seed(), HypervolumeCurve.at(t.counted(), checkpoints, reference)));
        }
    }

    /** Mean and sd over seeds of {@code searcher}'s hypervolume at checkpoint number {@code k}; null if a seed fell short. */
    MeanInterval cell(String searcher, int k) {
        List<Curve> list = curves.get(searcher);
        double[] values = new double[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = list.get(i).hypervolume()[k];
            if (Double.isNaN(values[i])) {
                return null;
            }
        }
        return MeanInterval.of(values);
    }

    /** The Markdown table: a row per checkpoint, a column per searcher, {@code mean ± sd (n seeds)}. */
    String markdown() {
        StringBuilder b = new StringBuilder("| runs |");
        for (String s : curves.keySet()) {
            b.append(' ').append(s).append(" |");
        }
        b.append("\n|---|");
        b.append("---|".repeat(curves.size()));
        b.append('\n');
        for (int k = 0; k < checkpoints.length; k++) {
            b.append("| ").append(checkpoints[k]).append(" |");
            for (String s : curves.keySet()) {
                MeanInterval m = cell(s, k);
                if (m == null) {
                    b.append(" — |");
                } else if (m.n() < 2) {
                    b.append(String.format(Locale.ROOT, " %.4f (1 seed) |", m.mean()));
                } else {
                    b.append(String.format(Locale.ROOT, " %.4f ± %.4f |", m.mean(), m.sd()));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The raw values: {@code searcher,seed,runs,hypervolume}, one line per searcher, seed and checkpoint. */
    String csv() {
        StringBuilder b = new StringBuilder("searcher,seed,runs,hypervolume\n");
        curves.forEach((searcher, list) -> {
            for (Curve c : list) {
                for (int k = 0; k < checkpoints.length; k++) {
                    double v = c.hypervolume()[k];
                    b.append(searcher).append(',').append(c.seed()).append(',').append(checkpoints[k]).append(',')
                            .append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v)).append('\n');
                }
            }
        });
        return b.toString();
    }
}
