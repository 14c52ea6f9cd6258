package io.tinysparse.datasets.sampling;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.Seeds;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.datasets.image.ImageDataset;
import java.util.Arrays;

/**
 * Seeded, stratified choices of images: subsets that keep every class's share, and
 * train / validation / test splits that split every class in the same proportions.
 *
 * <p><b>Determinism.</b> The result depends only on the labels, the sizes asked for and the
 * seed: the same call gives the same indices on every machine and JVM version. Each class is
 * shuffled by its own stream derived from (seed, class), so the choice within one class does
 * not change when another class gains or loses images.
 *
 * <p><b>Nesting.</b> {@link #perClass} with the same seed and a larger {@code k} returns a
 * superset: the 10-shot subset is inside the 20-shot one, which keeps few-shot curves
 * comparable.
 *
 * <p>Every returned index array is ascending (the dataset's order), so reading a subset walks
 * memory forward; shuffling for training is the caller's business.
 */
public final class StratifiedSampler {
    private static final long SUBSET_SALT = 0x5375627365744C4CL;
    private static final long SPLIT_SALT = 0x53706C6974534C4CL;

    private StratifiedSampler() {}

    /**
     * {@code k} images of every class.
     *
     * @throws InvalidInputException if {@code k < 1} or a class has fewer than {@code k} images
     */
    public static int[] perClass(ImageDataset dataset, int k, long seed) {
        if (k < 1) {
            throw new InvalidInputException("images per class must be at least 1, got " + k);
        }
        int[][] byClass = dataset.indicesByClass();
        int[] take = new int[byClass.length];
        for (int c = 0; c < byClass.length; c++) {
            if (byClass[c].length < k) {
                throw new InvalidInputException(dataset.name() + ": class " + dataset.className(c) + " has "
                        + byClass[c].length + " images, fewer than the " + k + " per class asked for");
            }
            take[c] = k;
        }
        return pick(byClass, take, seed);
    }

    /**
     * {@code n} images with each class's count proportional to its share of the dataset. Shares
     * are rounded by the largest-remainder method (ties to the lower class), so the counts add up
     * to exactly {@code n} and each differs from its exact share by less than one.
     *
     * @throws InvalidInputException if {@code n} is not in {@code 1..size}
     */
    public static int[] ofSize(ImageDataset dataset, int n, long seed) {
        if (n < 1 || n > dataset.size()) {
            throw new InvalidInputException("subset size must be in 1.." + dataset.size() + " for "
                    + dataset.name() + ", got " + n);
        }
        return disjoint(dataset, new int[] {n}, seed)[0];
    }

    /**
     * Per-class counts adding up to {@code n}, proportional to the class sizes (largest remainder,
     * ties to the lower class), never more than {@code capacity[c]} for class {@code c}.
     */
    private static int[] proportional(int[][] byClass, int[] capacity, int n, int total) {
        int classes = byClass.length;
        int[] take = new int[classes];
        long[] remainder = new long[classes];
        int assigned = 0;
        for (int c = 0; c < classes; c++) {
            long exact = (long) byClass[c].length * n; // share times total, kept integral
            take[c] = (int) Math.min(capacity[c], exact / total);
            remainder[c] = exact % total;
            assigned += take[c];
        }
        for (int left = n - assigned; left > 0; left--) {
            int best = -1;
            for (int c = 0; c < classes; c++) {
                if (take[c] < capacity[c] && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            take[best]++;
            remainder[best] = -1;
        }
        return take;
    }

    /**
     * Disjoint stratified subsets of the given sizes, e.g. {@code {trainSamples, valSamples}}
     * drawn from one training split. Each part's per-class counts follow {@link #ofSize}'s
     * rounding (capped by what earlier parts left of a class), and the parts are consecutive runs
     * of one seeded shuffle per class, so part 0 equals {@code ofSize(dataset, sizes[0], seed)}.
     *
     * @throws InvalidInputException if a size is negative or they add up to more than the dataset
     */
    public static int[][] disjoint(ImageDataset dataset, int[] sizes, long seed) {
        long sum = 0;
        for (int n : sizes) {
            if (n < 0) {
                throw new InvalidInputException("subset sizes must be at least 0, got " + n);
            }
            sum += n;
        }
        if (sum > dataset.size()) {
            throw new InvalidInputException("subsets of " + Arrays.toString(sizes) + " (" + sum
                    + " images) do not fit in the " + dataset.size() + " images of " + dataset.name());
        }
        int[][] byClass = dataset.indicesByClass();
        int[][] shuffled = new int[byClass.length][];
        int[] used = new int[byClass.length];
        int[] capacity = new int[byClass.length];
        for (int c = 0; c < byClass.length; c++) {
            shuffled[c] = byClass[c].clone();
            classStream(seed, SUBSET_SALT, c).shuffle(shuffled[c]);
        }
        int[][] parts = new int[sizes.length][];
        for (int p = 0; p < sizes.length; p++) {
            for (int c = 0; c < byClass.length; c++) {
                capacity[c] = byClass[c].length - used[c];
            }
            int[] take = proportional(byClass, capacity, sizes[p], dataset.size());
            int[] part = new int[sizes[p]];
            int at = 0;
            for (int c = 0; c < byClass.length; c++) {
                System.arraycopy(shuffled[c], used[c], part, at, take[c]);
                at += take[c];
                used[c] += take[c];
            }
            Arrays.sort(part);
            parts[p] = part;
        }
        return parts;
    }

    private static int[] pick(int[][] byClass, int[] take, long seed) {
        int total = 0;
        for (int t : take) {
            total += t;
        }
        int[] out = new int[total];
        int at = 0;
        for (int c = 0; c < byClass.length; c++) {
            int[] members = byClass[c].clone();
            classStream(seed, SUBSET_SALT, c).shuffle(members);
            System.arraycopy(members, 0, out, at, take[c]);
            at += take[c];
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * Splits every class in the proportions {@code train : validation : test}. Class {@code c}
     * with {@code m} images gives {@code round(m * train)} to train and
     * {@code round(m * (train + validation)) - round(m * train)} to validation; the rest go to
     * test.
     *
     * @throws InvalidInputException if a fraction is negative or not finite, or they do not add up to 1
     */
    public static SplitIndices split(ImageDataset dataset, double train, double validation, double test,
            long seed) {
        fraction("train", train);
        fraction("validation", validation);
        fraction("test", test);
        double sum = train + validation + test;
        if (Math.abs(sum - 1.0) > 1e-9) {
            throw new InvalidInputException("split fractions must add up to 1, got " + train + " + "
                    + validation + " + " + test + " = " + sum);
        }
        int[][] byClass = dataset.indicesByClass();
        int[] trainIdx = new int[dataset.size()];
        int[] valIdx = new int[dataset.size()];
        int[] testIdx = new int[dataset.size()];
        int nTrain = 0;
        int nVal = 0;
        int nTest = 0;
        for (int c = 0; c < byClass.length; c++) {
            int[] members = byClass[c].clone();
            classStream(seed, SPLIT_SALT, c).shuffle(members);
            int m = members.length;
            int endTrain = (int) Math.round(m * train);
            int endVal = Math.min(m, (int) Math.round(m * (train + validation)));
            for (int k = 0; k < m; k++) {
                if (k < endTrain) {
                    trainIdx[nTrain++] = members[k];
                } else if (k < endVal) {
                    valIdx[nVal++] = members[k];
                } else {
                    testIdx[nTest++] = members[k];
                }
            }
        }
        return new SplitIndices(sorted(trainIdx, nTrain), sorted(valIdx, nVal), sorted(testIdx, nTest));
    }

    private static void fraction(String field, double f) {
        if (!(f >= 0 && f <= 1)) {
            throw new InvalidInputException(field + " fraction must be in [0, 1], got " + f);
        }
    }

    /**
     * The generator of class {@code c}'s draws for one purpose. Remainder draws: the subsets of
     * stored runs were drawn so.
     */
    private static SplitMix64 classStream(long seed, long salt, int c) {
        return new SplitMix64(Seeds.saltedStream(seed, salt, c), SplitMix64.IntDraw.REMAINDER);
    }

    private static int[] sorted(int[] a, int n) {
        int[] r = Arrays.copyOf(a, n);
        Arrays.sort(r);
        return r;
    }
}
