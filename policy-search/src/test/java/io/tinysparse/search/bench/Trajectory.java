package io.tinysparse.search.bench;

import io.tinysparse.search.SearchStats;
import io.tinysparse.search.bench.RunAccounting.CountedRun;
import java.util.List;

/**
 * What one searcher did under one benchmark seed.
 *
 * @param searcher     the searcher's benchmark name ({@code nsga2}, {@code optuna-tpe}, ...)
 * @param seed         the benchmark seed
 * @param counted      the counted runs, in order
 * @param proposals    genomes proposed, counted or not
 * @param infeasible   proposals screened out by the memory model (not trained, not counted)
 * @param duplicates   proposals of a genome already counted (not counted)
 * @param wallSeconds  wall time of the trajectory, training in the shared memo included
 * @param initialStats a tinysparse searcher's counters once its first population was asked (repairs,
 *                     rejections); null for Optuna's samplers
 * @param finalStats   a tinysparse searcher's counters at the end; null for Optuna's samplers
 * @param note         why the trajectory stopped short of the runs asked for, or empty
 */
record Trajectory(String searcher, long seed, List<CountedRun> counted, int proposals, int infeasible, int duplicates,
        double wallSeconds, SearchStats initialStats, SearchStats finalStats, String note) {
    Trajectory {
        counted = List.copyOf(counted);
    }
}
