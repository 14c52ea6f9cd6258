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
