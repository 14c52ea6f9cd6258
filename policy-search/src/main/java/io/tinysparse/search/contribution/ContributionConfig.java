package io.tinysparse.search.contribution;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Genome;
import java.util.Objects;

/**
 * Configuration of a {@link ContributionAnalysisSearcher}.
 *
 * @param layout             where bias depth and layer ratios live in the genome
 * @param base               values of every other gene (selection strategy and its parameters)
 *                           used by all runs; its bias and layer genes are ignored
 * @param referenceBiasValue value of the bias gene on top of which each (layer, ratio) gain is
 *                           measured, or -1 for the shallowest listed depth that puts every
 *                           candidate layer inside the bias range (the deepest if none does):
 *                           the cheapest base on which every layer can be measured. METHODS.md
 *                           does not say which depth Lin et al. used.
 * @param budgetBytes        the SRAM budget the combination must fit, bytes, > 0
 * @param finalists          how many of the best predicted combinations (distinct, feasible) to
 *                           evaluate at the end, >= 1
 */
public record ContributionConfig(ContributionLayout layout, Genome base, int referenceBiasValue, double budgetBytes,
        int finalists) {
    public ContributionConfig {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(base, "base");
        if (referenceBiasValue < -1 || referenceBiasValue >= layout.biasDepths().size()) {
            throw new InvalidInputException("referenceBiasValue must be -1 or in [0, " + layout.biasDepths().size()
                    + "), got " + referenceBiasValue);
        }
        if (!(budgetBytes > 0) || Double.isInfinite(budgetBytes)) {
            throw new InvalidInputException("budgetBytes must be finite and > 0, got " + budgetBytes);
        }
        if (finalists < 1) {
            throw new InvalidInputException("finalists must be >= 1, got " + finalists);
        }
    }

    /** The bias value the weight gains are measured on. */
    public int effectiveReferenceBias() {
        return referenceBiasValue >= 0 ? referenceBiasValue : layout.coveringBiasValue();
    }
}
