package io.tinysparse.search.driver;

import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.pareto.Dominance;
import io.tinysparse.search.pareto.Hypervolume;
import io.tinysparse.search.pareto.ParetoFront;
import io.tinysparse.search.pareto.ReferencePoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The accuracy-vs-SRAM (and, with {@link SearchObjectives#hasTime() time}, device time) Pareto
 * front of one fidelity level, over policies: each policy's runs at that level (one per replicate
 * seed) are summarised by their mean validation accuracy, and the front holds the policies no
 * other policy dominates in means (higher or equal mean validation accuracy at lower or equal arena
 * bytes [and lower or equal device time per step], strictly better in one). Memory and time are a
 * policy's, the same for each of its runs. Test accuracy plays no part.
 * Runs trained on different budgets are never compared, so a search has one front per level.
 *
 * <p><b>Ties.</b> A policy dominated in means is still reported, as a tie, when its shortfall
 * against every policy that dominates it is inside the noise: the difference of mean validation
 * accuracies is below {@code t(0.975, n1 + n2 - 2) * sqrt(sd1^2 / n1 + sd2^2 / n2)} (the
 * half-width of a 95 % interval of the difference). With one replicate per policy there is no
 * noise estimate and no tie: the front is the plain front of the runs.
 *
 * @param fidelity    the fidelity level
 * @param hypervolume area (volume) dominated by the non-tied members' means up to the reference
 *                    point, in accuracy x bytes (x seconds with time)
 * @param members     the front and its ties, ascending by arena bytes, then by mean validation
 *                    accuracy descending, then by representative run id
 * @param <R>         the outcome type
 */
public record RunFront<R extends RunOutcome>(int fidelity, double hypervolume, List<Member<R>> members) {
    public RunFront {
        members = List.copyOf(members);
    }

    /**
     * One policy on the front.
     *
     * @param runs       the policy's runs at this level, by run id; the first is its representative
     * @param validation replicate statistics of the accuracy decided on: the final validation
     *                   accuracy (test accuracy for a search under legacy rules)
     * @param test       replicate statistics of the test accuracy (reported only)
     * @param arenaBytes the policy's peak training-step SRAM (equal for all its runs)
     * @param tiedWith   for a tie, the representative run id of a member that dominates it in
     *                   means; {@code null} for a member of the front proper
     */
    public record Member<R extends RunOutcome>(List<R> runs, ReplicateStats validation, ReplicateStats test,
            long arenaBytes, String tiedWith) {
        public Member {
            runs = List.copyOf(runs);
            if (runs.isEmpty()) {
                throw new IllegalArgumentException("a front member needs at least one run");
            }
        }

        /** The representative run (lowest run id). */
        public R run() {
            return runs.get(0);
        }

        /** Whether this member is a tie (dominated in means, but within the noise). */
        public boolean isTie() {
            return tiedWith != null;
        }

        static <R extends RunOutcome> Member<R> of(List<R> runs, ToDoubleFunction<? super R> accuracy) {
            List<Double> val = runs.stream().map(r -> accuracy.applyAsDouble(r)).toList();
            List<Double> test = runs.stream().map(RunOutcome::testAccuracy).toList();
            return new Member<>(runs, ReplicateStats.of(val), ReplicateStats.of(test), runs.get(0).arenaBytes(),
                    null);
        }

        Member<R> tiedWith(String runId) {
            return new Member<>(runs, validation, test, arenaBytes, runId);
        }
    }

    /**
     * One front per fidelity level present in {@code runs}, lowest level first, over the policies
     * with at least {@code minReplicates} runs at that level. Each run id counts once; the result
     * does not depend on the order of {@code runs}.
     */
    public static <R extends RunOutcome> List<RunFront<R>> perFidelity(Collection<R> runs, ReferencePoint reference,
            int minReplicates) {
        return perFidelity(runs, new SearchObjectives(ObjectiveMode.ACCURACY_MEMORY, reference), minReplicates,
                RunOutcome::validationAccuracy);
    }

    /**
     * {@link #perFidelity(Collection, ReferencePoint, int)} under {@code objectives} (2 or 3), ranking
     * on {@code accuracy} instead of validation accuracy (a search under {@link SearchRules#LEGACY}
     * ranks on test accuracy).
     */
    public static <R extends RunOutcome> List<RunFront<R>> perFidelity(Collection<R> runs,
            SearchObjectives objectives, int minReplicates, ToDoubleFunction<? super R> accuracy) {
        TreeMap<Integer, TreeMap<String, TreeMap<String, R>>> byLevel = new TreeMap<>();
        for (R r : runs) {
            byLevel.computeIfAbsent(r.fidelity(), k -> new TreeMap<>())
                    .computeIfAbsent(pointOf(r), k -> new TreeMap<>())
                    .putIfAbsent(r.runId(), r);
        }
        List<RunFront<R>> out = new ArrayList<>();
        for (var level : byLevel.entrySet()) {
            List<Member<R>> policies = new ArrayList<>();
            for (TreeMap<String, R> group : level.getValue().values()) {
                if (group.size() >= minReplicates) {
                    policies.add(Member.of(List.copyOf(group.values()), accuracy));
                }
            }
            if (!policies.isEmpty()) {
                out.add(of(level.getKey(), policies, objectives));
            }
        }
        return out;
    }

    /** What a member stands for: the policy, on its backbone when the run says which. */
    private static String pointOf(RunOutcome r) {
        return r.backboneHash() == null ? r.policyJson() : r.backboneHash() + " " + r.policyJson();
    }

    /** {@link #perFidelity(Collection, ReferencePoint, int)} over every policy. */
    public static <R extends RunOutcome> List<RunFront<R>> perFidelity(Collection<R> runs, ReferencePoint reference) {
        return perFidelity(runs, reference, 1);
    }

    private static <R extends RunOutcome> RunFront<R> of(int fidelity, List<Member<R>> policies,
            SearchObjectives objectives) {
        // Offered in representative-run-id order, so that hypervolume sums in a fixed order.
        policies.sort(Comparator.comparing(m -> m.run().runId()));
        List<Member<R>> front = new ArrayList<>();
        List<double[]> vectors = new ArrayList<>();
        for (Member<R> m : policies) {
            ParetoFront.offer(front, vectors, m, vector(objectives, m));
        }
        double hv = Hypervolume.of(vectors.toArray(double[][]::new), objectives.reference().minimised(objectives.mode()));
        List<Member<R>> members = new ArrayList<>(front);
        for (Member<R> m : policies) {
            if (front.contains(m)) {
                continue;
            }
            String tiedWith = null;
            boolean withinNoise = true;
            for (Member<R> d : front) {
                if (Dominance.dominates(vector(objectives, d), vector(objectives, m))) {
                    if (d.validation().mean() - m.validation().mean() >= noise(d.validation(), m.validation())) {
                        withinNoise = false;
                        break;
                    }
                    tiedWith = tiedWith == null ? d.run().runId() : tiedWith;
                }
            }
            if (withinNoise && tiedWith != null) {
                members.add(m.tiedWith(tiedWith));
            }
        }
        members.sort(Comparator.comparingLong((Member<R> m) -> m.arenaBytes())
                .thenComparing(m -> -m.validation().mean())
                .thenComparing(m -> m.run().runId()));
        return new RunFront<>(fidelity, hv, members);
    }

    private static double[] vector(SearchObjectives objectives, Member<?> m) {
        return objectives.vector(m.validation().mean(), m.run());
    }

    /** Half-width of the 95 % interval of the difference of two means; 0 without replicates. */
    static double noise(ReplicateStats a, ReplicateStats b) {
        if (a.n() < 2 || b.n() < 2) {
            return 0;
        }
        double se = Math.sqrt(a.sd() * a.sd() / a.n() + b.sd() * b.sd() / b.n());
        return ReplicateStats.tQuantile975(a.n() + b.n() - 2) * se;
    }

    /** The front proper: the members that are not ties. */
    public List<Member<R>> proper() {
        return members.stream().filter(m -> !m.isTie()).toList();
    }

    /** Members by representative run id (for tests and reports). */
    public List<String> runIds() {
        return members.stream().map(m -> Objects.requireNonNull(m.run().runId())).toList();
    }
}
