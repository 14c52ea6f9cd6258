package io.tinysparse.search.model;

import java.util.List;

/**
 * The model-based searcher's model of validation accuracy: a {@link SurrogateForest} alone, or
 * {@link MainEffects} plus a forest of their residuals (the forest's spread is the uncertainty in
 * both cases). Predicted means are clipped to [0, 1], the range of an accuracy.
 */
final class Surrogate {
    /** Ridge penalty of the main effects on standardised features: mild, so that a dozen rows identify them. */
    static final double RIDGE = 1.0;

    private final MainEffects main;
    private final SurrogateForest forest;

    private Surrogate(MainEffects main, SurrogateForest forest) {
        this.main = main;
        this.forest = forest;
    }

    /**
     * Fits the model to {@code rows} and {@code targets}.
     *
     * @param additive with main effects (the forest then fits their residuals)
     */
    static Surrogate fit(String[] names, List<double[]> rows, double[] targets, int trees, int maxDepth, long seed,
            boolean additive) {
        if (!additive) {
            return new Surrogate(null, SurrogateForest.fit(names, rows, targets, trees, maxDepth, seed));
        }
        MainEffects main = MainEffects.fit(rows, targets, RIDGE);
        double[] residuals = new double[targets.length];
        for (int i = 0; i < targets.length; i++) {
            residuals[i] = targets[i] - main.predict(rows.get(i));
        }
        return new Surrogate(main, SurrogateForest.fit(names, rows, residuals, trees, maxDepth, seed));
    }

    /** The estimate at {@code row}. */
    SurrogateForest.Estimate predict(double[] row) {
        SurrogateForest.Estimate f = forest.predict(row);
        double mean = main == null ? f.mean() : main.predict(row) + f.mean();
        return new SurrogateForest.Estimate(Math.max(0, Math.min(1, mean)), f.sd());
    }
}
