package io.tinysparse.search.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SurrogateForestTest {
    private static final String[] NAMES = {"a", "b", "c"};

    /** A step in a, a slope in b, c irrelevant. */
    private static double target(double[] x) {
        return (x[0] >= 2 ? 0.3 : 0) + 0.05 * x[1];
    }

    private static List<double[]> rows(int n, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new double[] {rng.nextInt(5), rng.nextInt(5), rng.nextInt(5)});
        }
        return rows;
    }

    @Test
    void learnsAStepAndASlopeFromSixtyObservations() {
        List<double[]> train = rows(60, 1);
        double[] y = train.stream().mapToDouble(SurrogateForestTest::target).toArray();
        SurrogateForest f = SurrogateForest.fit(NAMES, train, y, 32, 12, 7);
        double sq = 0;
        List<double[]> test = rows(200, 2);
        for (double[] x : test) {
            double e = f.predict(x).mean() - target(x);
            sq += e * e;
        }
        double rmse = Math.sqrt(sq / test.size());
        assertTrue(rmse < 0.05, "rmse " + rmse + " against a target spread of 0.5");
    }

    @Test
    void sameSeedSameForestAndTheSpreadOfItsTreesIsTheUncertainty() {
        List<double[]> train = new ArrayList<>();
        double[] y = new double[20];
        for (int i = 0; i < 20; i++) {
            train.add(new double[] {i % 2, 0, 0});
            y[i] = i % 2 == 0 ? 0.1 : 0.9;
        }
        SurrogateForest a = SurrogateForest.fit(NAMES, train, y, 16, 12, 3);
        SurrogateForest b = SurrogateForest.fit(NAMES, train, y, 16, 12, 3);
        double[] x = {1, 4, 4};
        assertEquals(a.predict(x), b.predict(x));
        // Trees that drew only the constant features for their root cannot split and predict the
        // mean: the forest leans towards the data's mean and reports the disagreement as spread.
        assertTrue(a.predict(x).mean() > 0.6, "" + a.predict(x));
        assertTrue(a.predict(new double[] {0, 0, 0}).mean() < 0.4, "" + a.predict(new double[] {0, 0, 0}));
        assertTrue(a.predict(x).sd() > 0, "trees disagree: " + a.predict(x));
        SurrogateForest c = SurrogateForest.fit(NAMES, train, y, 16, 12, 4);
        assertTrue(!c.predict(x).equals(a.predict(x)), "another seed draws other trees");
    }

    @Test
    void refusesTooFewRowsAndMismatchedFeatures() {
        assertThrows(InvalidInputException.class,
                () -> SurrogateForest.fit(NAMES, List.of(new double[] {1, 2, 3}), new double[] {1}, 8, 4, 1));
        SurrogateForest f = SurrogateForest.fit(NAMES, rows(10, 4), new double[10], 4, 4, 1);
        assertThrows(InvalidInputException.class, () -> f.predict(new double[] {1, 2}));
    }
}
