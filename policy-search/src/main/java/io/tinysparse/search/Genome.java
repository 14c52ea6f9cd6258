package io.tinysparse.search;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tinysparse.core.InvalidInputException;
import java.util.Arrays;

/**
 * A point of a discrete search space: one integer per gene, gene {@code i} taking a value in
 * {@code [0, cardinality(i))} of its {@link GenomeSpace}. What a value means (a bias depth, the
 * index of a ratio in the ratio set, a selection strategy) is the space's business; searchers
 * only recombine and mutate the integers.
 *
 * <p>Immutable; equality and hash code are by content, so genomes can key sets of "already
 * asked" points. Serialises to JSON as a plain array of integers.
 */
public final class Genome implements Comparable<Genome> {
    private final int[] genes;

    private Genome(int[] genes) {
        this.genes = genes;
    }

    /** A genome with a copy of {@code genes}; every value must be non-negative. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Genome of(int... genes) {
        if (genes == null || genes.length == 0) {
            throw new InvalidInputException("genome must have at least one gene, got "
                    + (genes == null ? "null" : "[]"));
        }
        for (int i = 0; i < genes.length; i++) {
            if (genes[i] < 0) {
                throw new InvalidInputException("genome gene " + i + " must be >= 0, got " + genes[i]);
            }
        }
        return new Genome(genes.clone());
    }

    /** Number of genes. */
    public int length() {
        return genes.length;
    }

    /** Value of gene {@code i}. */
    public int gene(int i) {
        return genes[i];
    }

    /** A copy of the gene values. */
    @JsonValue
    public int[] toArray() {
        return genes.clone();
    }

    /** This genome with gene {@code i} set to {@code value}. */
    public Genome with(int i, int value) {
        int[] g = genes.clone();
        g[i] = value;
        return of(g);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Genome other && Arrays.equals(genes, other.genes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(genes);
    }

    /** Lexicographic order of the gene values (a deterministic tie-break for sorting). */
    @Override
    public int compareTo(Genome o) {
        return Arrays.compare(genes, o.genes);
    }

    @Override
    public String toString() {
        return Arrays.toString(genes);
    }
}
