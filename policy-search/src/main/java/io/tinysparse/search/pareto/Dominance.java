package io.tinysparse.search.pareto;

/**
 * Pareto dominance between objective vectors that are all minimised, and Deb's constraint
 * domination (Deb, "An efficient constraint handling method for genetic algorithms", 2000, as
 * used in NSGA-II): a feasible point dominates an infeasible one; of two infeasible points the
 * one with the smaller total violation dominates; two feasible points compare by Pareto
 * dominance.
 */
public final class Dominance {
    private Dominance() {}

    /** Whether {@code a} is no worse than {@code b} in every objective and better in one. */
    public static boolean dominates(double[] a, double[] b) {
        boolean strictly = false;
        for (int k = 0; k < a.length; k++) {
            if (a[k] > b[k]) {
                return false;
            }
            if (a[k] < b[k]) {
                strictly = true;
            }
        }
        return strictly;
    }

    /**
     * Pareto dominance both ways in one pass: 1 if {@code a} dominates {@code b}, -1 if
     * {@code b} dominates {@code a}, 0 if neither (equal or incomparable).
     */
    public static int compare(double[] a, double[] b) {
        boolean aBetter = false;
        boolean bBetter = false;
        for (int k = 0; k < a.length; k++) {
            if (a[k] < b[k]) {
                aBetter = true;
            } else if (a[k] > b[k]) {
                bBetter = true;
            }
            if (aBetter && bBetter) {
                return 0;
            }
        }
        return aBetter ? 1 : bBetter ? -1 : 0;
    }

    /** {@link #constrainedDominates} both ways in one pass, with {@link #compare}'s result convention. */
    public static int constrainedCompare(double[] a, double violationA, double[] b, double violationB) {
        boolean feasibleA = violationA == 0;
        boolean feasibleB = violationB == 0;
        if (feasibleA && feasibleB) {
            return compare(a, b);
        }
        if (feasibleA != feasibleB) {
            return feasibleA ? 1 : -1;
        }
        return Double.compare(violationB, violationA);
    }

    /** Deb's constraint domination; violations are >= 0, 0 meaning feasible. */
    public static boolean constrainedDominates(double[] a, double violationA, double[] b, double violationB) {
        boolean feasibleA = violationA == 0;
        boolean feasibleB = violationB == 0;
        if (feasibleA && feasibleB) {
            return dominates(a, b);
        }
        if (feasibleA) {
            return true;
        }
        if (feasibleB) {
            return false;
        }
        return violationA < violationB;
    }
}
