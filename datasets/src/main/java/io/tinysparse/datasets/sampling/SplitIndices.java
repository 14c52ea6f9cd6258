package io.tinysparse.datasets.sampling;

import io.tinysparse.core.InvalidInputException;

/**
 * Indices of a train / validation / test split of one dataset. Each array is ascending, the three
 * are disjoint, and together they cover every image exactly once.
 *
 * <p>The arrays are copied on the way in and out, so an instance never changes.
 */
public record SplitIndices(int[] train, int[] validation, int[] test) {
    public SplitIndices {
        train = ascending("train", train).clone();
        validation = ascending("validation", validation).clone();
        test = ascending("test", test).clone();
    }

    private static int[] ascending(String field, int[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] <= a[i - 1]) {
                throw new InvalidInputException(field + " indices must be strictly ascending, got "
                        + a[i - 1] + " then " + a[i]);
            }
        }
        return a;
    }

    @Override
    public int[] train() {
        return train.clone();
    }

    @Override
    public int[] validation() {
        return validation.clone();
    }

    @Override
    public int[] test() {
        return test.clone();
    }
}
