package io.tinysparse.search.bench;

import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.bench.RunAccounting.CountedRun;
import io.tinysparse.search.pareto.Hypervolume;
import io.tinysparse.search.pareto.ReferencePoint;
import java.util.List;

/**
 * Hypervolume of a trajectory after its first N counted runs, validation accuracy against arena
 * bytes, normalised to the box between the reference point (accuracy 0, the SRAM budget) and the
 * ideal point (accuracy 1, 0 bytes): a number in [0, 1], computed by the product's
 * {@link Hypervolume} and {@link ReferencePoint}, the same for every searcher.
 */
final class HypervolumeCurve {
    private HypervolumeCurve() {}

    /**
     * The normalised hypervolume of the first {@code n} runs of {@code runs} for each {@code n}
     * of {@code checkpoints}; NaN where the trajectory has fewer than {@code n} runs (the searcher
     * stopped early), so that a short trajectory is never read as a full one.
     */
    static double[] at(List<CountedRun> runs, int[] checkpoints, ReferencePoint reference) {
        double[] ref = reference.minimised(ObjectiveMode.ACCURACY_MEMORY);
        double box = reference.boxVolume(ObjectiveMode.ACCURACY_MEMORY);
        double[] out = new double[checkpoints.length];
        for (int k = 0; k < checkpoints.length; k++) {
            int n = checkpoints[k];
            if (n < 1) {
                throw new IllegalArgumentException("checkpoint must be >= 1, got " + n);
            }
            if (runs.size() < n) {
                out[k] = Double.NaN;
                continue;
            }
            double[][] points = new double[n][];
            for (int i = 0; i < n; i++) {
                CountedRun r = runs.get(i);
                points[i] = new double[] {-r.accuracy(), r.memoryBytes()};
            }
            out[k] = Hypervolume.of2d(points, ref) / box;
        }
        return out;
    }
}
