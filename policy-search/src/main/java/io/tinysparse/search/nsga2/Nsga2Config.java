package io.tinysparse.search.nsga2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.engine.Admission;

/**
 * Configuration of an {@link Nsga2Searcher}.
 *
 * @param seed                 seed of the searcher's generator
 * @param populationSize       parents kept per generation and offspring per generation, >= 2
 * @param maxCandidates        evaluation budget: candidates handed out in total, including the
 *                             initial population (the last generation is cut to fit), >= 1
 * @param crossoverProbability probability that a pair of parents is recombined (uniform
 *                             crossover) rather than copied, in [0, 1]
 * @param mutationProbability  probability that a gene of a child is mutated, in (0, 1], or 0 for
 *                             the usual 1 / number of genes
 * @param maxAttempts          consecutive refused children (infeasible after repair, or already
 *                             asked) after which a slot is filled by a random new feasible
 *                             genome instead, and the random draws allowed for that, >= 1
 * @param steadyState          steady-state NSGA-II (Durillo, Nebro, Luna and Alba, EMO 2009: a
 *                             (mu+1) scheme) instead of generational: each told result joins the
 *                             population at once and each ask breeds from the population as it
 *                             is then ({@link Nsga2Searcher}). Written only when true, so a state
 *                             saved before this option existed reads as generational; never
 *                             null (absent reads as false).
 */
public record Nsga2Config(long seed, int populationSize, long maxCandidates, double crossoverProbability,
        double mutationProbability, int maxAttempts,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean steadyState) {
    /** Default crossover probability (Deb et al. 2002 use 0.9). */
    public static final double DEFAULT_CROSSOVER = 0.9;
    /** Default attempt limit. */
    public static final int DEFAULT_MAX_ATTEMPTS = 200;

    public Nsga2Config {
        if (populationSize < 2) {
            throw new InvalidInputException("populationSize must be >= 2, got " + populationSize);
        }
        if (maxCandidates < 1) {
            throw new InvalidInputException("maxCandidates must be >= 1, got " + maxCandidates);
        }
        if (!(crossoverProbability >= 0 && crossoverProbability <= 1)) {
            throw new InvalidInputException("crossoverProbability must be in [0, 1], got " + crossoverProbability);
        }
        if (!(mutationProbability >= 0 && mutationProbability <= 1)) {
            throw new InvalidInputException("mutationProbability must be in [0, 1] (0 = 1/genes), got "
                    + mutationProbability);
        }
        Admission.requireAttempts(maxAttempts);
        if (steadyState == null) {
            steadyState = false; // absent from a state saved before the option existed
        }
    }

    /** A generational configuration. */
    public Nsga2Config(long seed, int populationSize, long maxCandidates, double crossoverProbability,
            double mutationProbability, int maxAttempts) {
        this(seed, populationSize, maxCandidates, crossoverProbability, mutationProbability, maxAttempts, false);
    }

    /** Defaults: crossover 0.9, mutation 1/genes, 200 attempts, generational. */
    public static Nsga2Config of(long seed, int populationSize, long maxCandidates) {
        return new Nsga2Config(seed, populationSize, maxCandidates, DEFAULT_CROSSOVER, 0, DEFAULT_MAX_ATTEMPTS);
    }

    /** This configuration, steady-state ({@code true}) or generational. */
    public Nsga2Config withSteadyState(boolean on) {
        return new Nsga2Config(seed, populationSize, maxCandidates, crossoverProbability, mutationProbability,
                maxAttempts, on);
    }
}
