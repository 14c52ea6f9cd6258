package io.tinysparse.search.nsga2;

import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.Genome;
import io.tinysparse.search.GenomeSpace;

/**
 * Recombination and mutation of integer genomes.
 *
 * <ul>
 *   <li>Uniform crossover: each gene of the two children is swapped between the parents with
 *       probability 1/2. Genes of a policy (a bias depth, a ratio index per layer) are largely
 *       independent, so positional (one-point) crossover has no building blocks to protect.</li>
 *   <li>Integer mutation: each gene mutates with probability {@code p}; a mutation is, with
 *       equal chance, a step to a neighbouring value (the genes are ordinal: ratio 1/4 is closer
 *       to 1/2 than to 1) or a reset to a uniformly chosen different value (so every value stays
 *       reachable in one move).</li>
 * </ul>
 */
public final class Variation {
    private final GenomeSpace space;
    private final double crossoverProbability;
    private final double mutationProbability;

    /** Operators for {@code space}; {@code mutationProbability} 0 means 1 / number of genes. */
    public Variation(GenomeSpace space, double crossoverProbability, double mutationProbability) {
        this.space = space;
        this.crossoverProbability = crossoverProbability;
        this.mutationProbability = mutationProbability > 0 ? mutationProbability : 1.0 / space.dimensions();
    }

    /** Two children of {@code a} and {@code b}, recombined with the crossover probability and mutated. */
    public Genome[] offspring(Genome a, Genome b, SplitMix64 rng) {
        int[] x = a.toArray();
        int[] y = b.toArray();
        if (rng.nextBoolean(crossoverProbability)) {
            for (int i = 0; i < x.length; i++) {
                if (rng.nextBoolean(0.5)) {
                    int t = x[i];
                    x[i] = y[i];
                    y[i] = t;
                }
            }
        }
        mutate(x, rng);
        mutate(y, rng);
        return new Genome[] {Genome.of(x), Genome.of(y)};
    }

    /** {@code g} with the mutation operator applied once more (used to escape duplicates). */
    public Genome mutate(Genome g, SplitMix64 rng) {
        int[] x = g.toArray();
        mutate(x, rng);
        return Genome.of(x);
    }

    private void mutate(int[] x, SplitMix64 rng) {
        for (int i = 0; i < x.length; i++) {
            int card = space.cardinality(i);
            if (card < 2 || !rng.nextBoolean(mutationProbability)) {
                continue;
            }
            if (rng.nextBoolean(0.5)) {
                if (x[i] == 0) {
                    x[i] = 1;
                } else if (x[i] == card - 1) {
                    x[i] = card - 2;
                } else {
                    x[i] += rng.nextBoolean(0.5) ? 1 : -1;
                }
            } else {
                int v = rng.nextInt(card - 1);
                x[i] = v >= x[i] ? v + 1 : v;
            }
        }
    }
}
