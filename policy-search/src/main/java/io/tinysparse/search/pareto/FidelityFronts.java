package io.tinysparse.search.pareto;

import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.ObjectiveMode;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@link ParetoFront} per fidelity: results trained on different budgets are never mixed
 * in one front. Iterates fidelities from the lowest level up.
 */
public final class FidelityFronts {
    private final ObjectiveMode mode;
    private final TreeMap<Fidelity, ParetoFront> fronts = new TreeMap<>();

    /** Empty. */
    public FidelityFronts(ObjectiveMode mode) {
        this.mode = mode;
    }

    /** Fronts of {@code results}, grouped by their fidelity. */
    public static FidelityFronts of(ObjectiveMode mode, Collection<EvaluatedCandidate> results) {
        FidelityFronts f = new FidelityFronts(mode);
        results.forEach(f::offer);
        return f;
    }

    /** Offers {@code r} to the front of its fidelity; returns whether it joined it. */
    public boolean offer(EvaluatedCandidate r) {
        return fronts.computeIfAbsent(r.candidate().fidelity(), k -> new ParetoFront(mode)).offer(r);
    }

    /** The front at {@code fidelity} (empty if nothing was evaluated there). */
    public ParetoFront at(Fidelity fidelity) {
        ParetoFront f = fronts.get(fidelity);
        return f == null ? new ParetoFront(mode) : f;
    }

    /** All fronts by fidelity, lowest first (read-only view). */
    public Map<Fidelity, ParetoFront> all() {
        return Collections.unmodifiableMap(fronts);
    }
}
