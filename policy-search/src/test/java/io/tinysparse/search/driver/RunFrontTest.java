package io.tinysparse.search.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.pareto.Hypervolume;
import io.tinysparse.search.pareto.ReferencePoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fronts over policies' replicate means, with the tie rule. */
class RunFrontTest {
    record Run(String runId, String policyJson, double validationAccuracy, long arenaBytes, double deviceTimeMs,
            String backboneHash) implements RunOutcome {
        Run(String runId, String policyJson, double validationAccuracy, long arenaBytes) {
            this(runId, policyJson, validationAccuracy, arenaBytes, 1);
        }

        Run(String runId, String policyJson, double validationAccuracy, long arenaBytes, double deviceTimeMs) {
            this(runId, policyJson, validationAccuracy, arenaBytes, deviceTimeMs, null);
        }

        /** A run of {@code policyJson} on backbone {@code backboneHash}. */
        static Run on(String backboneHash, String runId, String policyJson, double validationAccuracy,
                long arenaBytes) {
            return new Run(runId, policyJson, validationAccuracy, arenaBytes, 1, backboneHash);
        }

        @Override
        public int fidelity() {
            return 0;
        }

        @Override
        public int iterations() {
            return 10;
        }

        @Override
        public double testAccuracy() {
            return 1 - validationAccuracy;
        }
    }

    static final ReferencePoint REF = ReferencePoint.forBudget(1000);

    static List<Run> policy(String name, long bytes, double... accuracies) {
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < accuracies.length; i++) {
            out.add(new Run(name + i, name, accuracies[i], bytes));
        }
        return out;
    }

    @Test
    void onePolicyOnTwoBackbonesIsTwoPointsAndReplicatesGroupWithinABackbone() {
        // The same policy on an unpruned backbone (u) and on a pruned one (p): smaller, a little worse.
        List<Run> runs = List.of(Run.on("u", "u0", "x", 0.80, 300), Run.on("u", "u1", "x", 0.82, 300),
                Run.on("p", "p0", "x", 0.70, 200), Run.on("p", "p1", "x", 0.72, 200));
        RunFront<Run> f = RunFront.perFidelity(runs, REF, 2).get(0);
        assertEquals(List.of("p0", "u0"), f.runIds(), "both backbones' points are on the front");
        assertEquals(0.71, f.members().get(0).validation().mean(), 1e-12, "the pruned point is the mean of its runs");
        assertEquals(0.81, f.members().get(1).validation().mean(), 1e-12);
        // Without a backbone, runs of one policy are replicates of one point.
        List<Run> plain = List.of(new Run("u0", "x", 0.80, 300), new Run("p0", "x", 0.70, 300));
        assertEquals(1, RunFront.perFidelity(plain, REF, 2).get(0).members().size());
    }

    @Test
    void aPolicyDominatedInMeansButWithinTheNoiseIsATieAndOneClearlyWorseIsDropped() {
        List<Run> runs = new ArrayList<>();
        runs.addAll(policy("a", 100, 0.80, 0.82, 0.78));
        runs.addAll(policy("b", 120, 0.79, 0.81, 0.77)); // 0.01 below a, sd 0.02: inside the noise
        runs.addAll(policy("c", 130, 0.50, 0.51, 0.49)); // 0.3 below a: outside
        runs.addAll(policy("d", 50, 0.60, 0.61, 0.59)); // cheaper: on the front
        RunFront<Run> f = RunFront.perFidelity(runs, REF, 3).get(0);
        assertEquals(List.of("d0", "a0", "b0"), f.runIds());
        assertEquals(List.of("d0", "a0"), f.proper().stream().map(m -> m.run().runId()).toList());
        RunFront.Member<Run> b = f.members().get(2);
        assertTrue(b.isTie());
        assertEquals("a0", b.tiedWith());
        assertEquals(0.79, b.validation().mean(), 1e-12);
        assertEquals(0.21, b.test().mean(), 1e-12);
        // Hypervolume of the proper front's means only: d (0.60, 50) then a (0.80, 100) up to 1000 bytes.
        assertEquals(0.60 * 50 + 0.80 * 900, f.hypervolume(), 1e-9);
    }

    @Test
    void withOneRunPerPolicyThereIsNoNoiseEstimateAndNoTie() {
        List<Run> runs = new ArrayList<>();
        runs.addAll(policy("a", 100, 0.80));
        runs.addAll(policy("b", 120, 0.7999));
        runs.addAll(policy("c", 130, 0.80)); // equal accuracy, more bytes: dominated, no noise to hide in
        RunFront<Run> f = RunFront.perFidelity(runs, REF).get(0);
        assertEquals(List.of("a0"), f.runIds());
    }

    @Test
    void policiesWithFewerReplicatesThanAskedAreLeftOut() {
        List<Run> runs = new ArrayList<>();
        runs.addAll(policy("a", 100, 0.80, 0.81, 0.79));
        runs.addAll(policy("z", 10, 0.99));
        assertEquals(List.of("a0"), RunFront.perFidelity(runs, REF, 3).get(0).runIds());
        assertEquals(List.of("z0"), RunFront.perFidelity(runs, REF, 1).get(0).runIds());
    }

    @Test
    void withTimeAPolicyThatIsOnlyFasterJoinsTheFrontAndTheVolumeIsThe3dHypervolumeOfTheMeans() {
        List<Run> runs = List.of(new Run("a0", "a", 0.80, 100, 5), new Run("b0", "b", 0.80, 120, 3),
                new Run("c0", "c", 0.70, 130, 4)); // c: worse than b in every objective
        assertEquals(List.of("a0"), RunFront.perFidelity(runs, REF).get(0).runIds());
        SearchObjectives time = new SearchObjectives(ObjectiveMode.ACCURACY_MEMORY_TIME,
                ReferencePoint.forBudget(1000, 0.010));
        RunFront<Run> f = RunFront.perFidelity(runs, time, 1, RunOutcome::validationAccuracy).get(0);
        assertEquals(List.of("a0", "b0"), f.runIds());
        assertEquals(Hypervolume.of3d(new double[][] {{-0.8, 100, 0.005}, {-0.8, 120, 0.003}},
                new double[] {0, 1000, 0.010}), f.hypervolume(), 1e-15);
        // a covers 0.8 x 900 B x 5 ms; b adds 0.8 x 880 B x 2 ms below a's time.
        assertEquals(0.8 * 900 * 0.005 + 0.8 * 880 * 0.002, f.hypervolume(), 1e-12);
    }

    @Test
    void replicateStatisticsUseStudentsT() {
        ReplicateStats s = ReplicateStats.of(List.of(1.0, 2.0, 3.0));
        assertEquals(2.0, s.mean(), 1e-12);
        assertEquals(1.0, s.sd(), 1e-12);
        assertEquals(4.302653 / Math.sqrt(3), s.halfWidth(), 1e-6);
        assertEquals(Double.POSITIVE_INFINITY, ReplicateStats.of(List.of(0.5)).halfWidth());
        assertEquals(2.042272, ReplicateStats.tQuantile975(30), 1e-6);
        assertEquals(2.021075, ReplicateStats.tQuantile975(40), 1e-6);
        assertFalse(ReplicateStats.tQuantile975(1000) < 1.96);
    }
}
