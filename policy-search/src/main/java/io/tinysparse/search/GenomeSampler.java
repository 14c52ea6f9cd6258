package io.tinysparse.search;

import io.tinysparse.core.random.SplitMix64;

/**
 * Draws random genomes for initial populations and random search. The default draws every gene
 * uniformly; a structured space (policies, where a weight layer is only valid inside the bias
 * range) supplies one that draws uniformly from its structurally valid genomes, so rejection
 * sampling against the memory constraint does not first waste its draws on malformed points.
 * Must draw randomness only from the given generator.
 */
@FunctionalInterface
public interface GenomeSampler {
    /** A random genome of the space. */
    Genome sample(SplitMix64 rng);

    /** Every gene uniform and independent. */
    static GenomeSampler uniform(GenomeSpace space) {
        return space::sample;
    }
}
