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
    record Run(String runId, String policyJson, double validationAccuracy, long arenaBytes, double deviceTimeMs)
            implements RunOutcome {
        Run(String runId, String policyJson, double validationAccuracy, long arenaBytes) {
            this(runId, policyJson, validationAccuracy, arenaBytes, 1);
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
    void aJointFrontRanksThePoliciesOfSeveralFrontsTogether() {
        // Two searches of one task, e.g. on an unpruned and a pruned backbone.
        List<Run> unpruned = new ArrayList<>();
        unpruned.addAll(policy("a", 300, 0.80));
        unpruned.addAll(policy("b", 200, 0.70));
        List<Run> pruned = new ArrayList<>();
        pruned.addAll(policy("p", 150, 0.72)); // dominates b: cheaper and better
        pruned.addAll(policy("q", 100, 0.60));
        RunFront<Run> one = RunFront.perFidelity(unpruned, REF).get(0);
        RunFront<Run> two = RunFront.perFidelity(pruned, REF).get(0);
        SearchObjectives objectives = new SearchObjectives(ObjectiveMode.ACCURACY_MEMORY, REF);
        RunFront<Run> joint = RunFront.joint(List.of(one, two), objectives);
        assertEquals(List.of("q0", "p0", "a0"), joint.runIds(), "b is dominated by the pruned search's p");
        assertTrue(joint.hypervolume() > one.hypervolume() && joint.hypervolume() > two.hypervolume());
        List<Run> all = new ArrayList<>(unpruned);
        all.addAll(pruned);
        assertEquals(RunFront.perFidelity(all, REF).get(0), joint, "the same front as one search of every policy");
        assertEquals(one, RunFront.joint(List.of(one), objectives), "one front is its own joint front");
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
