package io.tinysparse.results;

import io.tinysparse.results.Warehouse.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Repairs one search whose committed partitions are damaged (see {@link DamagedPartitionException}):
 * drops the earliest damaged generation and every later one, in all three tables, so that the
 * next {@code search} with the same id resumes from the generation before it and recomputes the
 * rest (its candidates and run ids are deterministic, so it recomputes the same runs).
 *
 * <p>Crash safety: each partition is dropped with one atomic rename ({@link Warehouse#dropPartition}),
 * and the damaged partitions of the earliest damaged generation are dropped last. A crash part-way
 * therefore leaves that damage in place, so readers still refuse the search and a second repair
 * finds the same generation and finishes the job. The caller holds the search's lease.
 */
public final class SearchRepair {
    private SearchRepair() {}

    /**
     * What a repair found and did.
     *
     * @param damage every damaged partition found, in table and generation order
     * @param fromGeneration the first generation dropped, or -1 if nothing was damaged
     * @param dropped the partitions dropped, as {@code TABLE generation G}, in the order dropped
     */
    public record Outcome(List<DamagedPartitionException> damage, int fromGeneration, List<String> dropped) {
        public Outcome {
            damage = List.copyOf(damage);
            dropped = List.copyOf(dropped);
        }
    }

    /** Repairs search {@code searchId} in {@code warehouse}; a sound search is left as it is. */
    public static Outcome repair(Warehouse warehouse, String searchId) {
        warehouse.removeStaging(searchId);
        List<DamagedPartitionException> damage = warehouse.damageOf(searchId);
        if (damage.isEmpty()) {
            return new Outcome(damage, -1, List.of());
        }
        int from = damage.stream().mapToInt(DamagedPartitionException::generation).min().orElseThrow();
        record Drop(Table table, int generation, boolean lastDamage) {}
        List<Drop> drops = new ArrayList<>();
        for (Table t : Table.values()) {
            for (int g : warehouse.committedGenerations(t, searchId)) {
                if (g >= from) {
                    int gen = g;
                    drops.add(new Drop(t, g, damage.stream().anyMatch(d -> d.table() == t && d.generation() == gen
                            && gen == from)));
                }
            }
        }
        // The earliest damage last (see the class comment); before it, later generations first and the
        // commit point (searches) before the runs and fronts it refers to.
        drops.sort(Comparator.comparing(Drop::lastDamage)
                .thenComparing(Comparator.comparingInt(Drop::generation).reversed())
                .thenComparing(d -> d.table() != Table.SEARCHES)
                .thenComparing(d -> d.table() != Table.FRONTS));
        List<String> dropped = new ArrayList<>();
        for (Drop d : drops) {
            warehouse.dropPartition(d.table(), searchId, d.generation());
            dropped.add(d.table().dir() + " generation " + d.generation());
        }
        return new Outcome(damage, from, dropped);
    }
}
