package io.tinysparse.search.model;

import io.tinysparse.core.InvalidInputException;
import java.util.List;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;

/**
 * A ridge regression of the target on the features, each standardised: the additive part of a
 * surrogate. Lin et al.'s contribution analysis (METHODS.md §3) takes the accuracy gains of
 * updating different layers as adding up; a random forest alone cannot predict a combination
 * better than the best result it has seen (its leaves average observed targets), so two layers
 * each measured alone never look better together. Fitted here, the main effects carry that
 * prior; a forest of the residuals ({@link Surrogate}) carries what does not add up.
 *
 * <p>Solved in closed form, {@code (X'X + lambda I) beta = X'y} on centred data, by Tribuo's
 * Cholesky factorisation; the intercept is the targets' mean and is not shrunk. A feature that
 * does not vary gets weight 0. Deterministic and immutable.
 */
public final class MainEffects {
    private final double intercept;
    private final double[] mean;
    private final double[] scale;
    private final double[] weights;

    private MainEffects(double intercept, double[] mean, double[] scale, double[] weights) {
        this.intercept = intercept;
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
    }

    /**
     * Fits {@code targets} on {@code rows} (equal lengths, at least one row).
     *
     * @param lambda ridge penalty on the standardised weights, > 0 (keeps the system solvable with
     *               fewer rows than features)
     */
    public static MainEffects fit(List<double[]> rows, double[] targets, double lambda) {
        if (rows.isEmpty() || rows.size() != targets.length) {
            throw new InvalidInputException("main effects need at least 1 row with one target each, got "
                    + rows.size() + " rows and " + targets.length + " targets");
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new InvalidInputException("ridge penalty must be finite and > 0, got " + lambda);
        }
        int n = rows.size();
        int d = rows.get(0).length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        double yMean = 0;
        for (int i = 0; i < n; i++) {
            if (rows.get(i).length != d) {
                throw new InvalidInputException("row " + i + " has " + rows.get(i).length + " features, expected " + d);
            }
            yMean += targets[i] / n;
            for (int k = 0; k < d; k++) {
                mean[k] += rows.get(i)[k] / n;
            }
        }
        for (double[] row : rows) {
            for (int k = 0; k < d; k++) {
                scale[k] += (row[k] - mean[k]) * (row[k] - mean[k]) / n;
            }
        }
        for (int k = 0; k < d; k++) {
            scale[k] = scale[k] > 1e-12 ? Math.sqrt(scale[k]) : 0;
        }
        double[][] gram = new double[d][d];
        double[] xty = new double[d];
        for (int i = 0; i < n; i++) {
            double[] z = standardise(rows.get(i), mean, scale);
            for (int a = 0; a < d; a++) {
                xty[a] += z[a] * (targets[i] - yMean);
                for (int b = 0; b < d; b++) {
                    gram[a][b] += z[a] * z[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            gram[a][a] += lambda;
        }
        DenseMatrix.CholeskyFactorization chol = DenseMatrix.createDenseMatrix(gram).choleskyFactorization()
                .orElseThrow(() -> new IllegalStateException("ridge system is not positive definite"));
        double[] w = chol.solve(DenseVector.createDenseVector(xty)).toArray();
        return new MainEffects(yMean, mean, scale, w);
    }

    private static double[] standardise(double[] row, double[] mean, double[] scale) {
        double[] z = new double[row.length];
        for (int k = 0; k < row.length; k++) {
            z[k] = scale[k] == 0 ? 0 : (row[k] - mean[k]) / scale[k];
        }
        return z;
    }

    /** The fitted value at {@code row}. */
    public double predict(double[] row) {
        if (row.length != weights.length) {
            throw new InvalidInputException("row has " + row.length + " features, expected " + weights.length);
        }
        double[] z = standardise(row, mean, scale);
        double y = intercept;
        for (int k = 0; k < z.length; k++) {
            y += weights[k] * z[k];
        }
        return y;
    }
}
