package io.tinysparse.search.design;

import io.tinysparse.search.Genome;
import io.tinysparse.search.GenomeSpace;
import io.tinysparse.search.space.PolicySpaces;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Space-filling choices over a {@link CandidatePool}: the initial design, stratified by memory,
 * and the maximin pick (for a model-based searcher with too few results to fit).
 *
 * <p>The hypervolume of accuracy against memory weighs every byte of the budget alike, so the
 * design spreads over the memory axis first: the range from the pool's smallest footprint to the
 * budget is cut into as many equal strata as there are design points, and each stratum gives the
 * genome farthest (in normalised gene distance) from those already chosen. Strata the pool does
 * not reach are made up by maximin picks from the rest. Deterministic for a given pool.
 *
 * <p>In a search over pruned backbones (a last gene {@code backbone}) each backbone gets an equal
 * share of the points (the first ones one more), each share stratified over its own footprints.
 */
public final class MemoryStratifiedDesign {
    private MemoryStratifiedDesign() {}

    /**
     * Up to {@code n} genomes of {@code pool}, spread over memory (up to the pool's largest
     * footprint) and genes, avoiding {@code taken}.
     */
    public static List<Genome> design(GenomeSpace space, CandidatePool pool, int n, Collection<Genome> taken) {
        double hi = 0;
        for (Genome g : pool.genomes()) {
            hi = Math.max(hi, pool.bytes(g));
        }
        return design(space, pool, n, Math.nextUp(hi), taken);
    }

    /**
     * Up to {@code n} genomes of {@code pool}, spread over memory up to {@code budgetBytes} and
     * genes, avoiding {@code taken}.
     */
    public static List<Genome> design(GenomeSpace space, CandidatePool pool, int n, double budgetBytes,
            Collection<Genome> taken) {
        int backbone = backboneGene(space);
        if (backbone < 0) {
            return stratified(space, pool, pool.genomes(), n, budgetBytes, taken);
        }
        // A search over pruned backbones: each backbone its share of the points, stratified over its own
        // footprints (a pruned backbone's are smaller, so one stratification would favour the unpruned).
        int backbones = space.cardinality(backbone);
        List<Genome> chosen = new ArrayList<>(taken);
        List<Genome> out = new ArrayList<>();
        for (int b = 0; b < backbones; b++) {
            int value = b;
            List<Genome> own = pool.genomes().stream().filter(g -> g.gene(backbone) == value).toList();
            List<Genome> picks = stratified(space, pool, own, n / backbones + (b < n % backbones ? 1 : 0),
                    budgetBytes, chosen);
            chosen.addAll(picks);
            out.addAll(picks);
        }
        if (out.size() < n) { // a backbone had too few candidates: the rest from any
            out.addAll(stratified(space, pool, pool.genomes(), n - out.size(), budgetBytes, chosen));
        }
        return out;
    }

    /** The index of the backbone gene of a search over pruned backbones ({@link PolicySpaces}), or -1. */
    static int backboneGene(GenomeSpace space) {
        int last = space.dimensions() - 1;
        return space.genes().get(last).name().equals(PolicySpaces.BACKBONE_GENE) && space.cardinality(last) > 1
                ? last : -1;
    }

    private static List<Genome> stratified(GenomeSpace space, CandidatePool pool, List<Genome> all, int n,
            double budgetBytes, Collection<Genome> taken) {
        List<Genome> chosen = new ArrayList<>(taken);
        List<Genome> out = new ArrayList<>();
        if (all.isEmpty() || n < 1) {
            return out;
        }
        double lo = Double.MAX_VALUE;
        for (Genome g : all) {
            lo = Math.min(lo, pool.bytes(g));
        }
        double width = Math.max(budgetBytes - lo, 1) / n;
        for (int s = 0; s < n; s++) {
            double from = lo + s * width;
            double to = s == n - 1 ? Double.MAX_VALUE : from + width;
            List<Genome> stratum = new ArrayList<>();
            for (Genome g : all) {
                double b = pool.bytes(g);
                if (b >= from && b < to && !chosen.contains(g)) {
                    stratum.add(g);
                }
            }
            Genome pick = farthest(space, stratum, chosen);
            if (pick != null) {
                chosen.add(pick);
                out.add(pick);
            }
        }
        while (out.size() < n) {
            List<Genome> rest = new ArrayList<>(all);
            rest.removeAll(chosen);
            Genome pick = farthest(space, rest, chosen);
            if (pick == null) {
                break;
            }
            chosen.add(pick);
            out.add(pick);
        }
        return out;
    }

    /** The genome of {@code options} whose nearest member of {@code chosen} is farthest (first on ties). */
    public static Genome farthest(GenomeSpace space, List<Genome> options, Collection<Genome> chosen) {
        Genome best = null;
        double bestDistance = -1;
        for (Genome g : options) {
            double d = Double.MAX_VALUE;
            for (Genome c : chosen) {
                d = Math.min(d, distance(space, g, c));
            }
            if (d > bestDistance) {
                bestDistance = d;
                best = g;
            }
        }
        return best;
    }

    /** Euclidean distance with every gene scaled to [0, 1]. */
    public static double distance(GenomeSpace space, Genome a, Genome b) {
        double sum = 0;
        for (int i = 0; i < a.length(); i++) {
            int span = space.cardinality(i) - 1;
            if (span > 0) {
                double d = (a.gene(i) - b.gene(i)) / (double) span;
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }
}
