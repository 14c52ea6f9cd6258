package io.tinysparse.search;

import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.pareto.Hypervolume;
import io.tinysparse.search.pareto.ReferencePoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Synthetic problems with known Pareto fronts, expressed in the search's objectives (accuracy
 * up, bytes down) so that the searchers and the hypervolume run exactly as on policies.
 */
public final class SyntheticProblems {
    private SyntheticProblems() {}

    /**
     * ZDT1/ZDT2 (Zitzler, Deb, Thiele 2000) on a grid: gene i takes {@code levels} values
     * x_i = v / (levels-1); f1 = x_1, g = 1 + 9 mean(x_2..x_n), f2 = g h(f1/g) with
     * h(t) = 1 - sqrt(t) (ZDT1, convex) or 1 - t^2 (ZDT2, concave). Reported as
     * memoryBytes = f1 * SCALE and accuracy = 1 / (1 + f2), both monotone, so the Pareto set is
     * the ZDT one: x_1 anything, all other genes 0.
     */
    public static final class Zdt {
        public static final double SCALE = 100_000;
        public final GenomeSpace space;
        private final int levels;
        private final boolean concave;

        public Zdt(int genes, int levels, boolean concave) {
            int[] c = new int[genes];
            Arrays.fill(c, levels);
            this.space = GenomeSpace.of(c);
            this.levels = levels;
            this.concave = concave;
        }

        public SearchProblem problem() {
            return SearchProblem.unconstrained(space, ObjectiveMode.ACCURACY_MEMORY);
        }

        /** Reference point: accuracy 0 and a budget of 1.1 x the largest f1. */
        public ReferencePoint reference() {
            return ReferencePoint.forBudget(1.1 * SCALE);
        }

        public Objectives objectives(Genome g) {
            double f1 = g.gene(0) / (levels - 1.0);
            double sum = 0;
            for (int i = 1; i < g.length(); i++) {
                sum += g.gene(i) / (levels - 1.0);
            }
            double gg = 1 + 9 * sum / (g.length() - 1);
            double t = f1 / gg;
            double f2 = gg * (concave ? 1 - t * t : 1 - Math.sqrt(t));
            return Objectives.of(1 / (1 + f2), f1 * SCALE);
        }

        public Function<Candidate, Evaluation> evaluator() {
            return c -> Evaluation.feasible(c, objectives(c.genome()));
        }

        /** Hypervolume of the true (discrete) Pareto front. */
        public double trueHypervolume() {
            List<double[]> pts = new ArrayList<>();
            for (int v = 0; v < levels; v++) {
                int[] x = new int[space.dimensions()];
                x[0] = v;
                pts.add(ObjectiveMode.ACCURACY_MEMORY.minimised(objectives(Genome.of(x))));
            }
            return Hypervolume.of2d(pts.toArray(double[][]::new),
                    reference().minimised(ObjectiveMode.ACCURACY_MEMORY));
        }
    }

    /**
     * A memory-budget knapsack shaped like a policy search: gene i is the "ratio level"
     * (0..levels-1) of layer i; level l costs {@code cost[i] * l} bytes and gains
     * {@code weight[i] * (1 - 2^-l)} (diminishing returns); accuracy = 0.1 + 0.8 * gain / max
     * gain; the hard constraint is total bytes <= budget. Its true front is found by
     * enumeration.
     */
    public static final class Knapsack {
        public final GenomeSpace space;
        public final double budget;
        private final double[] cost;
        private final double[] weight;
        private final double maxGain;
        private final int levels;

        public Knapsack(int items, int levels, double budgetFraction, long seed) {
            SplitMix64 r = new SplitMix64(seed);
            int[] c = new int[items];
            Arrays.fill(c, levels);
            this.space = GenomeSpace.of(c);
            this.levels = levels;
            this.cost = new double[items];
            this.weight = new double[items];
            double maxCost = 0;
            double mg = 0;
            for (int i = 0; i < items; i++) {
                cost[i] = Math.round(1000 + 9000 * r.nextDouble());
                weight[i] = 0.2 + r.nextDouble();
                maxCost += cost[i] * (levels - 1);
                mg += gain(i, levels - 1);
            }
            this.maxGain = mg;
            this.budget = Math.floor(budgetFraction * maxCost);
        }

        private double gain(int i, int level) {
            return weight[i] * (1 - Math.pow(2, -level));
        }

        public double memory(Genome g) {
            double m = 0;
            for (int i = 0; i < g.length(); i++) {
                m += cost[i] * g.gene(i);
            }
            return m;
        }

        public double accuracy(Genome g) {
            double s = 0;
            for (int i = 0; i < g.length(); i++) {
                s += gain(i, g.gene(i));
            }
            return 0.1 + 0.8 * s / maxGain;
        }

        public FeasibilityCheck feasibility() {
            return g -> memory(g) <= budget;
        }

        /** Lowers random non-zero genes by one level until the genome fits. */
        public Repair repair() {
            return (g, rng) -> {
                int[] x = g.toArray();
                while (memory(Genome.of(x)) > budget) {
                    int i = rng.nextInt(x.length);
                    if (x[i] > 0) {
                        x[i]--;
                    }
                }
                return Genome.of(x);
            };
        }

        public SearchProblem problem(boolean withRepair) {
            return new SearchProblem(space, ObjectiveMode.ACCURACY_MEMORY, feasibility(),
                    withRepair ? repair() : Repair.NONE);
        }

        public ReferencePoint reference() {
            return ReferencePoint.forBudget(budget);
        }

        public Function<Candidate, Evaluation> evaluator() {
            return c -> Evaluation.feasible(c, Objectives.of(accuracy(c.genome()), memory(c.genome())));
        }

        /** Hypervolume of the true front, by enumerating the whole space. */
        public double trueHypervolume() {
            int n = space.dimensions();
            int total = (int) Math.pow(levels, n);
            List<double[]> pts = new ArrayList<>();
            int[] x = new int[n];
            for (int idx = 0; idx < total; idx++) {
                int rest = idx;
                for (int i = n - 1; i >= 0; i--) {
                    x[i] = rest % levels;
                    rest /= levels;
                }
                Genome g = Genome.of(x);
                double m = memory(g);
                if (m <= budget) {
                    pts.add(new double[] {-accuracy(g), m});
                }
            }
            return Hypervolume.of2d(pts.toArray(double[][]::new), reference().minimised(ObjectiveMode.ACCURACY_MEMORY));
        }
    }

    /** Hypervolume of the feasible results, against {@code reference}. */
    public static double hypervolume(List<EvaluatedCandidate> results, ReferencePoint reference) {
        return io.tinysparse.search.pareto.ParetoFront.of(ObjectiveMode.ACCURACY_MEMORY, results).hypervolume(reference);
    }
}
