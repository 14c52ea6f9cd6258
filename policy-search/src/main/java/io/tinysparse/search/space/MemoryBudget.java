package io.tinysparse.search.space;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.FeasibilityCheck;
import io.tinysparse.search.Genome;
import io.tinysparse.search.MemoryCost;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Repair;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.pareto.ReferencePoint;
import io.tinysparse.simulator.memory.MemoryEstimator;
import java.util.List;
import java.util.Objects;

/**
 * The hard constraint of a policy search: a genome is feasible when it is a structurally valid
 * policy of its {@link PolicySpace} and the memory model puts one training step at or below
 * the SRAM budget. Checked analytically (no training), before any candidate is handed out.
 *
 * <p>Also the {@link MemoryCost} seen by contribution analysis, and the source of the search's
 * {@link Repair}: drop weight layers outside the bias range or selecting no channel, then, while
 * the step does not fit, lower the ratio of a randomly chosen updated layer by one step (and,
 * once no weight is updated, the bias depth). Memory never grows when a ratio or the bias depth
 * is lowered, so the repair ends, at the latest at the shallowest bias-only policy. Thread-safe
 * when the estimator is (both built-in ones are).
 *
 * <p>A search over several (pruned) backbones ({@link PolicySpaces}) has one memory model per
 * backbone: a genome is costed, checked and repaired on its backbone's shapes, and the repair
 * never changes the backbone gene.
 */
public final class MemoryBudget implements FeasibilityCheck, MemoryCost {
    private final PolicySpaces spaces;
    private final List<MemoryEstimator> estimators;
    private final long budgetBytes;

    /**
     * @param budgetBytes SRAM budget of one training step, bytes, > 0
     * @throws InvalidInputException if the estimator was built for another model
     */
    public MemoryBudget(PolicySpace space, MemoryEstimator estimator, long budgetBytes) {
        this(PolicySpaces.of(Objects.requireNonNull(space, "space")),
                List.of(Objects.requireNonNull(estimator, "estimator")), budgetBytes);
    }

    /**
     * A budget over several backbones: {@code estimators.get(b)} costs the policies of
     * {@code spaces.space(b)}.
     *
     * @throws InvalidInputException if an estimator was built for another model than its space's
     */
    public MemoryBudget(PolicySpaces spaces, List<MemoryEstimator> estimators, long budgetBytes) {
        this.spaces = Objects.requireNonNull(spaces, "spaces");
        this.estimators = List.copyOf(estimators);
        if (budgetBytes <= 0) {
            throw new InvalidInputException("memory budget must be > 0 bytes, got " + budgetBytes);
        }
        if (this.estimators.size() != spaces.backbones()) {
            throw new IllegalArgumentException(this.estimators.size() + " memory models for " + spaces.backbones()
                    + " backbones");
        }
        for (int b = 0; b < spaces.backbones(); b++) {
            PolicySpace space = spaces.space(b);
            if (!this.estimators.get(b).table().spec().equals(space.model())) {
                throw new InvalidInputException("estimator is for " + this.estimators.get(b).table().spec().label()
                        + " but the space is for " + space.model().label());
            }
        }
        this.budgetBytes = budgetBytes;
    }

    /** The space constrained (with several backbones, the first's: the layout every backbone shares). */
    public PolicySpace space() {
        return spaces.space(0);
    }

    /** The spaces of every backbone, and the genome that indexes them. */
    public PolicySpaces spaces() {
        return spaces;
    }

    /** The memory model (with several backbones, the first's). */
    public MemoryEstimator estimator() {
        return estimators.get(0);
    }

    /** The memory model of backbone {@code b}. */
    public MemoryEstimator estimator(int b) {
        return estimators.get(b);
    }

    /** The SRAM budget, bytes. */
    public long budgetBytes() {
        return budgetBytes;
    }

    @Override
    public boolean isFeasible(Genome genome) {
        return spaces.isValid(genome) && bytes(genome) <= budgetBytes;
    }

    /** Peak SRAM bytes of {@code genome}'s policy, which must be structurally valid. */
    @Override
    public double bytes(Genome genome) {
        return estimators.get(spaces.backboneOf(genome)).peakBytes(spaces.toPolicy(genome));
    }

    /** The repair described in the class comment. */
    public Repair repair() {
        return this::repair;
    }

    private Genome repair(Genome genome, SplitMix64 rng) {
        int[] x = spaces.makeValid(genome).toArray();
        int layers = space().weightLayers().size();
        int[] updated = new int[layers];
        while (!isFeasible(Genome.of(x))) {
            int n = 0;
            for (int j = 0; j < layers; j++) {
                if (x[PolicySpace.layerGene(j)] > 0) {
                    updated[n++] = j;
                }
            }
            if (n > 0) {
                x[PolicySpace.layerGene(updated[rng.nextInt(n)])]--;
            } else if (x[PolicySpace.BIAS_GENE] > 0) {
                x[PolicySpace.BIAS_GENE]--;
            } else {
                break; // even the shallowest bias-only policy does not fit
            }
        }
        return Genome.of(x);
    }

    /**
     * The search problem: the spaces' genome, this constraint, its repair, sampling uniform over
     * the structurally valid policies (and the backbones), and the spaces' canonical genomes.
     */
    public SearchProblem problem(ObjectiveMode mode) {
        return new SearchProblem(spaces.genomeSpace(), mode, this, repair(), spaces.validSampler(),
                spaces::canonical);
    }

    /** Hypervolume reference for 2-D: accuracy 0 and this budget. */
    public ReferencePoint reference() {
        return ReferencePoint.forBudget(budgetBytes);
    }
}
