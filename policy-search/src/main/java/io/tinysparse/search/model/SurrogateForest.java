package io.tinysparse.search.model;

import io.tinysparse.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.ensemble.EnsembleModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;

/**
 * A random-forest regression of one measured quantity (validation accuracy) over a fixed list
 * of numeric features, with the spread of its trees as the uncertainty of a prediction (the
 * surrogate SMAC uses). Trained by Tribuo: bootstrap-bagged CART trees splitting on a random
 * fraction of the features at each node.
 *
 * <p>Deterministic: the same rows, targets and seed give the same forest and predictions.
 * Immutable once fitted; {@link #predict} is safe from one thread at a time.
 */
public final class SurrogateForest {
    private static final RegressionFactory FACTORY = new RegressionFactory();
    private static final String TARGET = "accuracy";

    /**
     * Tribuo logs each ensemble member it trains at INFO: noise in a search's console. Held in a
     * field because java.util.logging keeps loggers weakly, and a collected logger forgets its level.
     */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

    private final String[] featureNames;
    private final List<Model<Regressor>> trees;

    private SurrogateForest(String[] featureNames, List<Model<Regressor>> trees) {
        this.featureNames = featureNames;
        this.trees = trees;
    }

    /**
     * A mean and a standard deviation, in the target's units.
     *
     * @param mean the forest's prediction (mean over its trees)
     * @param sd   the standard deviation of the trees' predictions, >= 0
     */
    public record Estimate(double mean, double sd) {}

    /**
     * Fits a forest to {@code rows} (one feature vector per observation, all of
     * {@code featureNames.length} values) and their {@code targets}.
     *
     * @param trees    number of trees, >= 2 (the spread needs at least two)
     * @param maxDepth depth limit of each tree, >= 1
     * @param seed     seed of the bootstrap samples and the feature draws
     * @throws InvalidInputException on fewer than 2 rows, or mismatched lengths
     */
    public static SurrogateForest fit(String[] featureNames, List<double[]> rows, double[] targets, int trees,
            int maxDepth, long seed) {
        if (rows.size() < 2 || rows.size() != targets.length) {
            throw new InvalidInputException("a surrogate forest needs at least 2 rows with one target each, got "
                    + rows.size() + " rows and " + targets.length + " targets");
        }
        if (trees < 2 || maxDepth < 1) {
            throw new InvalidInputException("a surrogate forest needs >= 2 trees of depth >= 1, got " + trees
                    + " of depth " + maxDepth);
        }
        String[] names = featureNames.clone();
        MutableDataset<Regressor> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("tinysparse search observations", FACTORY), FACTORY);
        for (int i = 0; i < rows.size(); i++) {
            double[] row = rows.get(i);
            if (row.length != names.length) {
                throw new InvalidInputException("row " + i + " has " + row.length + " features, expected "
                        + names.length);
            }
            data.add(new ArrayExample<>(new Regressor(TARGET, targets[i]), names, row));
        }
        // Leaves of one observation: with a few dozen observations the trees must be allowed to
        // separate single points, or the forest predicts the mean everywhere.
        CARTRegressionTrainer tree = new CARTRegressionTrainer(maxDepth, 1.0f, 0.0f, 0.7f, false,
                new MeanSquaredError(), seed);
        RandomForestTrainer<Regressor> forest = new RandomForestTrainer<>(tree, new AveragingCombiner(), trees, seed);
        EnsembleModel<Regressor> model = (EnsembleModel<Regressor>) forest.train(data);
        return new SurrogateForest(names, List.copyOf(model.getModels()));
    }

    /** Number of features a row must have. */
    public int features() {
        return featureNames.length;
    }

    /** The forest's estimate at {@code row}. */
    public Estimate predict(double[] row) {
        if (row.length != featureNames.length) {
            throw new InvalidInputException("row has " + row.length + " features, expected " + featureNames.length);
        }
        Example<Regressor> example = new ArrayExample<>(FACTORY.getUnknownOutput(), featureNames, row);
        double sum = 0;
        double sumSq = 0;
        for (Model<Regressor> t : trees) {
            Prediction<Regressor> p = t.predict(example);
            double v = p.getOutput().getValues()[0];
            sum += v;
            sumSq += v * v;
        }
        int n = trees.size();
        double mean = sum / n;
        double var = Math.max(0, sumSq / n - mean * mean);
        return new Estimate(mean, Math.sqrt(var));
    }

    /** Estimates of every row, in order. */
    public List<Estimate> predictAll(List<double[]> rows) {
        List<Estimate> out = new ArrayList<>(rows.size());
        for (double[] r : rows) {
            out.add(predict(r));
        }
        return out;
    }
}
