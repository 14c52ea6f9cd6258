package io.tinysparse.search.pareto;

import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.ObjectiveMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The non-dominated set of feasible evaluated candidates under an {@link ObjectiveMode}
 * (maximise accuracy, minimise peak SRAM bytes, optionally minimise device seconds). Results
 * with a constraint violation are never members. Candidates with identical objective vectors
 * are all kept (neither dominates the other).
 *
 * <p>All members must share one fidelity for the front to mean anything: results at different
 * training budgets are not comparable; see {@link FidelityFronts}. Mutable (incremental) and
 * not thread-safe.
 */
public final class ParetoFront {
    private final ObjectiveMode mode;
    private final List<EvaluatedCandidate> members = new ArrayList<>();
    private final List<double[]> vectors = new ArrayList<>();

    /** An empty front. */
    public ParetoFront(ObjectiveMode mode) {
        this.mode = mode;
    }

    /** The front of {@code results}. */
    public static ParetoFront of(ObjectiveMode mode, Collection<EvaluatedCandidate> results) {
        ParetoFront f = new ParetoFront(mode);
        results.forEach(f::offer);
        return f;
    }

    /** The objectives compared. */
    public ObjectiveMode mode() {
        return mode;
    }

    /**
     * Adds {@code r} if it is feasible and no member dominates it, removing the members it
     * dominates. Returns whether it was added.
     */
    public boolean offer(EvaluatedCandidate r) {
        if (!r.evaluation().isFeasible()) {
            return false;
        }
        return offer(members, vectors, r, mode.minimised(r.evaluation().objectives()));
    }

    /**
     * The non-dominated update behind every front: adds {@code item} with minimised objective
     * vector {@code v} to the parallel lists {@code members} and {@code vectors} unless a member
     * dominates it, and removes the members it dominates. Members of equal vectors are all kept.
     *
     * @return whether {@code item} was added
     */
    public static <T> boolean offer(List<T> members, List<double[]> vectors, T item, double[] v) {
        for (double[] m : vectors) {
            if (Dominance.dominates(m, v)) {
                return false;
            }
        }
        for (int i = members.size() - 1; i >= 0; i--) {
            if (Dominance.dominates(v, vectors.get(i))) {
                members.remove(i);
                vectors.remove(i);
            }
        }
        members.add(item);
        vectors.add(v);
        return true;
    }

    /** Members sorted by peak SRAM ascending, then accuracy descending, then id. */
    public List<EvaluatedCandidate> members() {
        List<EvaluatedCandidate> out = new ArrayList<>(members);
        out.sort(Comparator
                .comparingDouble((EvaluatedCandidate e) -> e.evaluation().objectives().memoryBytes())
                .thenComparing(e -> -e.evaluation().objectives().accuracy())
                .thenComparingLong(EvaluatedCandidate::id));
        return out;
    }

    /** Number of members. */
    public int size() {
        return members.size();
    }

    /**
     * Hypervolume of the front with respect to {@code reference}, in units of accuracy x bytes
     * (x seconds in 3-D). Members at or beyond the reference (over budget, over the time limit)
     * contribute nothing.
     */
    public double hypervolume(ReferencePoint reference) {
        return Hypervolume.of(vectors.toArray(double[][]::new), reference.minimised(mode));
    }

    /** {@link #hypervolume} divided by {@link ReferencePoint#boxVolume}: a fraction in [0, 1]. */
    public double normalisedHypervolume(ReferencePoint reference) {
        return hypervolume(reference) / reference.boxVolume(mode);
    }
}
