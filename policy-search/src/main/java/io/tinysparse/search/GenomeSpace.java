package io.tinysparse.search;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A discrete search space: the Cartesian product of its genes' value ranges. Its size can
 * exceed a {@code long} (a policy space with 20 layers and 5 ratios has 5^20 points), so it is
 * reported as a {@link BigInteger}.
 *
 * @param genes at least one gene; names unique
 */
public record GenomeSpace(List<Gene> genes) {
    public GenomeSpace {
        if (genes == null || genes.isEmpty()) {
            throw new InvalidInputException("genome space must have at least one gene");
        }
        genes = List.copyOf(genes);
        Set<String> names = new HashSet<>();
        for (Gene g : genes) {
            if (!names.add(g.name())) {
                throw new InvalidInputException("genome space has gene name '" + g.name() + "' twice");
            }
        }
    }

    /** A space of anonymous genes {@code g0, g1, ...} with the given cardinalities. */
    public static GenomeSpace of(int... cardinalities) {
        Gene[] gs = new Gene[cardinalities.length];
        for (int i = 0; i < cardinalities.length; i++) {
            gs[i] = new Gene("g" + i, cardinalities[i]);
        }
        return new GenomeSpace(List.of(gs));
    }

    /** Number of genes. */
    public int dimensions() {
        return genes.size();
    }

    /** Number of values of gene {@code i}. */
    public int cardinality(int i) {
        return genes.get(i).cardinality();
    }

    /** Number of points in the space (product of cardinalities). */
    public BigInteger size() {
        BigInteger n = BigInteger.ONE;
        for (Gene g : genes) {
            n = n.multiply(BigInteger.valueOf(g.cardinality()));
        }
        return n;
    }

    /** Whether {@code g} has this space's length and every gene within its range. */
    public boolean contains(Genome g) {
        if (g.length() != genes.size()) {
            return false;
        }
        for (int i = 0; i < g.length(); i++) {
            if (g.gene(i) >= genes.get(i).cardinality()) {
                return false;
            }
        }
        return true;
    }

    /** Throws {@link InvalidInputException} naming the genome unless {@link #contains} holds. */
    public Genome require(Genome g) {
        if (!contains(g)) {
            throw new InvalidInputException("genome " + g + " is outside the space " + this);
        }
        return g;
    }

    /** A point drawn uniformly from the whole space. */
    public Genome sample(SplitMix64 rng) {
        int[] v = new int[genes.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(genes.get(i).cardinality());
        }
        return Genome.of(v);
    }

    /**
     * The point at position {@code index} of the mixed-radix enumeration in which the last gene
     * varies fastest; {@code index} must lie in {@code [0, size())}.
     */
    public Genome decode(BigInteger index) {
        if (index.signum() < 0 || index.compareTo(size()) >= 0) {
            throw new InvalidInputException("grid index " + index + " outside [0, " + size() + ")");
        }
        int[] v = new int[genes.size()];
        BigInteger rest = index;
        for (int i = v.length - 1; i >= 0; i--) {
            BigInteger[] qr = rest.divideAndRemainder(BigInteger.valueOf(genes.get(i).cardinality()));
            v[i] = qr[1].intValueExact();
            rest = qr[0];
        }
        return Genome.of(v);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < genes.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(genes.get(i).name()).append(':').append(genes.get(i).cardinality());
        }
        return sb.append('}').toString();
    }
}
