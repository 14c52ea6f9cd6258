package io.tinysparse.search.pareto;

import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.Genome;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Objectives;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RankingTest {
    private static final double[][] POINTS = {{1, 4}, {2, 2}, {4, 1}, {3, 3}, {5, 5}};

    @Test
    void fastNonDominatedSortSplitsPointsIntoFronts() {
        List<int[]> fronts = NonDominatedSort.fronts(POINTS, null);
        assertEquals(3, fronts.size());
        assertArrayEquals(new int[] {0, 1, 2}, fronts.get(0));
        assertArrayEquals(new int[] {3}, fronts.get(1));
        assertArrayEquals(new int[] {4}, fronts.get(2));
    }

    @Test
    void constraintDominationPutsFeasibleFirstThenSmallerViolation() {
        double[] violation = {0.5, 0, 0, 0, 0.1};
        int[] rank = NonDominatedSort.ranks(POINTS, violation);
        assertArrayEquals(new int[] {3, 0, 0, 1, 2}, rank);
        assertTrue(Dominance.constrainedDominates(new double[] {9, 9}, 0, new double[] {0, 0}, 1e-9));
        assertFalse(Dominance.constrainedDominates(new double[] {0, 0}, 2, new double[] {9, 9}, 1));
    }

    @Test
    void oneWayAndTwoWayDominanceAgreeOnRandomVectors() {
        io.tinysparse.core.random.SplitMix64 r = new io.tinysparse.core.random.SplitMix64(6);
        for (int i = 0; i < 10_000; i++) {
            double[] a = {r.nextInt(4), r.nextInt(4), r.nextInt(4)};
            double[] b = {r.nextInt(4), r.nextInt(4), r.nextInt(4)};
            double va = r.nextInt(3) == 0 ? r.nextInt(3) : 0;
            double vb = r.nextInt(3) == 0 ? r.nextInt(3) : 0;
            int expected = Dominance.dominates(a, b) ? 1 : Dominance.dominates(b, a) ? -1 : 0;
            assertEquals(expected, Dominance.compare(a, b));
            int constrained = Dominance.constrainedDominates(a, va, b, vb) ? 1
                    : Dominance.constrainedDominates(b, vb, a, va) ? -1 : 0;
            assertEquals(constrained, Dominance.constrainedCompare(a, va, b, vb));
        }
    }

    @Test
    void crowdingDistanceIsInfiniteAtTheEndsAndSumsNormalisedGaps() {
        double[] d = CrowdingDistance.of(POINTS, new int[] {0, 1, 2});
        assertEquals(Double.POSITIVE_INFINITY, d[0]);
        assertEquals(2.0, d[1], 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, d[2]);
    }

    private static EvaluatedCandidate ec(long id, double acc, double bytes, double violation, Fidelity f) {
        Candidate c = new Candidate(id, Genome.of((int) id), f);
        return new EvaluatedCandidate(c, new Evaluation(id, f, Objectives.of(acc, bytes), violation));
    }

    @Test
    void paretoFrontKeepsFeasibleNonDominatedAndItsHypervolumeUsesTheBudget() {
        ParetoFront f = new ParetoFront(ObjectiveMode.ACCURACY_MEMORY);
        assertTrue(f.offer(ec(0, 0.5, 100, 0, Fidelity.BASE)));
        assertTrue(f.offer(ec(1, 0.8, 200, 0, Fidelity.BASE)));
        assertFalse(f.offer(ec(2, 0.4, 150, 0, Fidelity.BASE)), "dominated by 0");
        assertFalse(f.offer(ec(3, 0.99, 10, 1, Fidelity.BASE)), "infeasible");
        assertTrue(f.offer(ec(4, 0.8, 200, 0, Fidelity.BASE)), "equal objectives are kept");
        assertEquals(List.of(0L, 1L, 4L), f.members().stream().map(EvaluatedCandidate::id).toList());
        // 0.5 * (400 - 100) + (0.8 - 0.5) * (400 - 200)
        assertEquals(210.0, f.hypervolume(ReferencePoint.forBudget(400)), 1e-9);
        assertEquals(210.0 / 400, f.normalisedHypervolume(ReferencePoint.forBudget(400)), 1e-12);
        assertTrue(f.offer(ec(5, 0.9, 100, 0, Fidelity.BASE)));
        assertEquals(List.of(5L), f.members().stream().map(EvaluatedCandidate::id).toList());
        // Over budget: a member, but worth nothing.
        assertEquals(0.0, f.hypervolume(ReferencePoint.forBudget(50)));
    }

    @Test
    void threeObjectiveFrontUsesDeviceTime() {
        ParetoFront f = new ParetoFront(ObjectiveMode.ACCURACY_MEMORY_TIME);
        Fidelity b = Fidelity.BASE;
        Candidate c0 = new Candidate(0, Genome.of(0), b);
        Candidate c1 = new Candidate(1, Genome.of(1), b);
        f.offer(new EvaluatedCandidate(c0, new Evaluation(0, b, new Objectives(0.5, 100, 2.0), 0)));
        f.offer(new EvaluatedCandidate(c1, new Evaluation(1, b, new Objectives(0.5, 100, 1.0), 0)));
        assertEquals(1, f.size(), "faster at equal accuracy and memory dominates");
        // 0.5 * (400 - 100) * (4 - 1)
        assertEquals(450.0, f.hypervolume(ReferencePoint.forBudget(400, 4.0)), 1e-9);
    }

    @Test
    void frontsAreKeptPerFidelity() {
        Fidelity low = new Fidelity(0, 1);
        Fidelity high = new Fidelity(1, 3);
        List<EvaluatedCandidate> rs = new ArrayList<>();
        rs.add(ec(0, 0.5, 100, 0, low));
        rs.add(ec(1, 0.9, 50, 0, low));
        rs.add(ec(2, 0.6, 100, 0, high));
        FidelityFronts ff = FidelityFronts.of(ObjectiveMode.ACCURACY_MEMORY, rs);
        assertEquals(List.of(1L), ff.at(low).members().stream().map(EvaluatedCandidate::id).toList());
        assertEquals(List.of(2L), ff.at(high).members().stream().map(EvaluatedCandidate::id).toList(),
                "a low-fidelity result never dominates a high-fidelity one");
        assertEquals(0, ff.at(new Fidelity(2, 9)).size());
    }

    @Test
    void crowdedRankingTakesWholeFrontsThenLeastCrowded() {
        List<EvaluatedCandidate> rs = new ArrayList<>();
        // front 0: ids 0..3 along a line; front 1: id 4
        rs.add(ec(0, 0.2, 10, 0, Fidelity.BASE));
        rs.add(ec(1, 0.3, 20, 0, Fidelity.BASE));
        rs.add(ec(2, 0.35, 25, 0, Fidelity.BASE));
        rs.add(ec(3, 0.9, 90, 0, Fidelity.BASE));
        rs.add(ec(4, 0.1, 95, 0, Fidelity.BASE));
        CrowdedRanking r = CrowdedRanking.of(rs, ObjectiveMode.ACCURACY_MEMORY);
        assertEquals(List.of(0L, 3L), r.best(2).stream().map(EvaluatedCandidate::id).toList());
        // inner points: id 2 borders the wide gap to id 3 (0.6/0.7 + 70/80 = 1.73), id 1 does not
        // (0.15/0.7 + 15/80 = 0.40)
        assertEquals(1.732, r.crowding(2), 1e-3);
        assertEquals(List.of(0L, 3L, 2L), r.best(3).stream().map(EvaluatedCandidate::id).toList());
        assertEquals(4L, r.best(5).get(4).id());
    }
}
