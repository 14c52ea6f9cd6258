package io.tinysparse.search.model;

import io.tinysparse.core.InvalidInputException;
import java.util.Arrays;

/**
 * A two-objective front of accuracy (maximised) against memory (minimised, known exactly before
 * training) as the staircase it draws in the box between the reference point (accuracy
 * {@code floor}, memory {@code budgetBytes}) and the ideal (accuracy 1, zero bytes): at memory
 * {@code x} the front's level is the best accuracy of a point using at most {@code x} bytes. Its
 * area is the hypervolume.
 *
 * <p>Because only accuracy is uncertain, the expected hypervolume improvement of a candidate with
 * known memory {@code m} and accuracy {@code A ~ N(mean, sd^2)} has a closed form: the area gained
 * is {@code sum over the steps right of m of width * max(0, A - level)}, and
 * {@code E[max(0, A - l)] = sd * phi(z) + (mean - l) * Phi(z)} with {@code z = (mean - l) / sd}
 * (Emmerich et al.'s EHVI, here exact and one-dimensional).
 *
 * <p>Immutable; {@link #with} returns a new front.
 */
public final class StaircaseFront {
    private final double floor;
    private final double budgetBytes;
    /** Memory of each step's left edge, ascending; levels strictly ascending. */
    private final double[] memory;
    private final double[] level;

    private StaircaseFront(double floor, double budgetBytes, double[] memory, double[] level) {
        this.floor = floor;
        this.budgetBytes = budgetBytes;
        this.memory = memory;
        this.level = level;
    }

    /**
     * An empty front in the box of reference accuracy {@code floor} in [0, 1) and memory budget
     * {@code budgetBytes} > 0.
     */
    public static StaircaseFront empty(double floor, double budgetBytes) {
        if (!(floor >= 0 && floor < 1) || !(budgetBytes > 0) || Double.isInfinite(budgetBytes)) {
            throw new InvalidInputException("front box needs accuracy floor in [0, 1) and budget > 0, got " + floor
                    + " and " + budgetBytes);
        }
        return new StaircaseFront(floor, budgetBytes, new double[0], new double[0]);
    }

    /**
     * This front with the point (memory {@code bytes}, accuracy {@code accuracy}) added; a point
     * outside the box or dominated leaves it unchanged.
     */
    public StaircaseFront with(double bytes, double accuracy) {
        if (!(bytes < budgetBytes) || !(accuracy > floor) || levelAt(bytes) >= accuracy) {
            return this;
        }
        double[] m = new double[memory.length + 1];
        double[] l = new double[memory.length + 1];
        int n = 0;
        boolean placed = false;
        for (int i = 0; i < memory.length; i++) {
            if (!placed && memory[i] >= bytes) {
                m[n] = bytes;
                l[n++] = accuracy;
                placed = true;
            }
            // a step at more memory but no better than the new point is dominated by it
            if (memory[i] >= bytes && level[i] <= accuracy) {
                continue;
            }
            m[n] = memory[i];
            l[n++] = level[i];
        }
        if (!placed) {
            m[n] = bytes;
            l[n++] = accuracy;
        }
        return new StaircaseFront(floor, budgetBytes, Arrays.copyOf(m, n), Arrays.copyOf(l, n));
    }

    /** The front's accuracy at {@code bytes}: the best of the points using at most that (the floor if none). */
    public double levelAt(double bytes) {
        double best = floor;
        for (int i = 0; i < memory.length && memory[i] <= bytes; i++) {
            best = level[i];
        }
        return best;
    }

    /** Number of non-dominated points. */
    public int size() {
        return memory.length;
    }

    /** Hypervolume as a fraction of the box ({@code (1 - floor) * budgetBytes}). */
    public double normalisedHypervolume() {
        double area = 0;
        for (int i = 0; i < memory.length; i++) {
            double right = i + 1 < memory.length ? memory[i + 1] : budgetBytes;
            area += (right - memory[i]) * (level[i] - floor);
        }
        return area / ((1 - floor) * budgetBytes);
    }

    /**
     * Expected hypervolume improvement, as a fraction of the box, of a point at memory
     * {@code bytes} whose accuracy is normal with {@code mean} and {@code sd} (sd 0: the
     * improvement of the point at {@code mean}). Zero for a point at or beyond the budget.
     */
    public double expectedImprovement(double bytes, double mean, double sd) {
        if (!(bytes < budgetBytes)) {
            return 0;
        }
        double gain = 0;
        double current = floor;
        int i = 0;
        while (i < memory.length && memory[i] <= bytes) {
            current = level[i++];
        }
        double left = bytes;
        while (true) {
            double right = i < memory.length ? memory[i] : budgetBytes;
            gain += (right - left) * expectedExcess(mean, sd, current);
            if (i >= memory.length) {
                break;
            }
            current = level[i];
            left = right;
            i++;
        }
        return gain / ((1 - floor) * budgetBytes);
    }

    /** E[max(0, A - level)] for A ~ N(mean, sd^2). */
    static double expectedExcess(double mean, double sd, double level) {
        double d = mean - level;
        if (sd <= 0) {
            return Math.max(0, d);
        }
        double z = d / sd;
        return sd * StandardNormal.density(z) + d * StandardNormal.cdf(z);
    }
}
