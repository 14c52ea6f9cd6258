package io.tinysparse.search.pareto;

import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.ObjectiveMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * NSGA-II's crowded-comparison order over a set of evaluated candidates: first by
 * non-domination rank under Deb's constraint domination (lower is better), then by crowding
 * distance within the rank (larger is better), then by candidate id (a deterministic
 * tie-break). Taking the first k in this order is NSGA-II's environmental selection (whole
 * fronts while they fit, the last one cut by crowding), and successive halving's promotion.
 */
public final class CrowdedRanking {
    private final List<EvaluatedCandidate> members;
    private final int[] rank;
    private final double[] crowding;

    private CrowdedRanking(List<EvaluatedCandidate> members, int[] rank, double[] crowding) {
        this.members = members;
        this.rank = rank;
        this.crowding = crowding;
    }

    /** Ranks {@code members} (kept in the given order for index-based access). */
    public static CrowdedRanking of(List<EvaluatedCandidate> members, ObjectiveMode mode) {
        int n = members.size();
        double[][] obj = new double[n][];
        double[] viol = new double[n];
        for (int i = 0; i < n; i++) {
            obj[i] = mode.minimised(members.get(i).evaluation().objectives());
            viol[i] = members.get(i).evaluation().constraintViolation();
        }
        int[] rank = new int[n];
        double[] crowding = new double[n];
        List<int[]> fronts = NonDominatedSort.fronts(obj, viol);
        for (int r = 0; r < fronts.size(); r++) {
            int[] front = fronts.get(r);
            double[] d = CrowdingDistance.of(obj, front);
            for (int k = 0; k < front.length; k++) {
                rank[front[k]] = r;
                crowding[front[k]] = d[k];
            }
        }
        return new CrowdedRanking(List.copyOf(members), rank, crowding);
    }

    /** Number of members. */
    public int size() {
        return members.size();
    }

    /** Member {@code i}. */
    public EvaluatedCandidate member(int i) {
        return members.get(i);
    }

    /** Non-domination rank of member {@code i}, 0 for the first front. */
    public int rank(int i) {
        return rank[i];
    }

    /** Crowding distance of member {@code i} within its front. */
    public double crowding(int i) {
        return crowding[i];
    }

    /** Whether member {@code i} precedes member {@code j} in the crowded-comparison order. */
    public boolean better(int i, int j) {
        return order().compare(i, j) < 0;
    }

    /** The first {@code k} members (all if fewer) in crowded-comparison order. */
    public List<EvaluatedCandidate> best(int k) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            idx.add(i);
        }
        idx.sort(order());
        List<EvaluatedCandidate> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, idx.size()); i++) {
            out.add(members.get(idx.get(i)));
        }
        return out;
    }

    private Comparator<Integer> order() {
        return Comparator.<Integer>comparingInt(i -> rank[i])
                .thenComparing(i -> -crowding[i])
                .thenComparingLong(i -> members.get(i).id());
    }
}
