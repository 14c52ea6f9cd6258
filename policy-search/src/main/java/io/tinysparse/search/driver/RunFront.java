package io.tinysparse.search.driver;

import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Objectives;
import io.tinysparse.search.pareto.ParetoFront;
import io.tinysparse.search.pareto.Hypervolume;
import io.tinysparse.search.pareto.ReferencePoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The accuracy-vs-SRAM Pareto front of the runs of one fidelity level: the runs no other run of
 * that level dominates (higher or equal validation accuracy at lower or equal arena bytes,
 * strictly better in one). Test accuracy plays no part. Runs of equal objectives are all kept. Runs trained on different budgets are never
 * compared, so a search has one front per fidelity level.
 *
 * @param fidelity    the fidelity level
 * @param hypervolume area dominated by the front up to the reference point, in accuracy x bytes
 * @param members     the front, ascending by arena bytes (ties in run-id order)
 * @param <R>         the outcome type
 */
public record RunFront<R extends RunOutcome>(int fidelity, double hypervolume, List<R> members) {
    public RunFront {
        members = List.copyOf(members);
    }

    /**
     * One front per fidelity level present in {@code runs}, lowest level first. Each run id is
     * counted once; runs are offered in run-id order, so the result does not depend on the order
     * of {@code runs}.
     */
    public static <R extends RunOutcome> List<RunFront<R>> perFidelity(Collection<R> runs, ReferencePoint reference) {
        TreeMap<Integer, TreeMap<String, R>> byLevel = new TreeMap<>();
        for (R r : runs) {
            byLevel.computeIfAbsent(r.fidelity(), k -> new TreeMap<>()).putIfAbsent(r.runId(), r);
        }
        List<RunFront<R>> out = new ArrayList<>();
        for (var level : byLevel.entrySet()) {
            out.add(of(level.getKey(), level.getValue().values(), reference));
        }
        return out;
    }

    private static <R extends RunOutcome> RunFront<R> of(int fidelity, Collection<R> runs, ReferencePoint reference) {
        ObjectiveMode mode = ObjectiveMode.ACCURACY_MEMORY;
        List<R> members = new ArrayList<>();
        List<double[]> vectors = new ArrayList<>();
        for (R r : runs) {
            ParetoFront.offer(members, vectors, r, mode.minimised(Objectives.of(r.validationAccuracy(), r.arenaBytes())));
        }
        double hv = Hypervolume.of(vectors.toArray(double[][]::new), reference.minimised(mode));
        List<R> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparingLong(RunOutcome::arenaBytes)
                .thenComparing(r -> -r.validationAccuracy())
                .thenComparing(RunOutcome::runId));
        return new RunFront<>(fidelity, hv, sorted);
    }
}
