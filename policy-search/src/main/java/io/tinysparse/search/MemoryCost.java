package io.tinysparse.search;

/**
 * The analytic memory model seen from a search: peak SRAM in bytes of one training step of the
 * policy a genome stands for. Must be pure and cheap (searchers call it thousands of times);
 * may be called with any genome of the space that satisfies the space's structural rules.
 */
@FunctionalInterface
public interface MemoryCost {
    /** Peak SRAM of one training step, in bytes, >= 0. */
    double bytes(Genome genome);
}
