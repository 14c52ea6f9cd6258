package io.tinysparse.jobs;

import io.tinysparse.results.DamagedPartitionException;
import io.tinysparse.results.FrontRecord;
import io.tinysparse.results.ResultStore;
import io.tinysparse.results.RunIndex;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.RunsTable;
import io.tinysparse.results.SearchRecord;
import io.tinysparse.results.Warehouse;
import io.tinysparse.search.driver.GenerationCommit;
import io.tinysparse.search.driver.PlannedRun;
import io.tinysparse.search.driver.RunFront;
import io.tinysparse.search.driver.SavedSearch;
import io.tinysparse.search.driver.SearchLog;
import io.tinysparse.search.driver.SearchObjectives;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One search's {@link SearchLog} in the warehouse: each generation commits its runs, its fronts
 * and its {@code searches} row as write-once partitions ({@link ResultStore#commitGeneration});
 * a run is stored in the generation that commits it.
 * Opening it removes the staging files a crashed commit of this search left behind; the caller
 * holds the search's lease.
 *
 * <p>Runs of other searches: the first time the driver asks for runs this search has not stored,
 * the log indexes the runs of every other search in the warehouse ({@link RunIndex}, once per
 * search process) and from then on reads the rows of the runs asked for that the index has. Such
 * a run is stored in this search's generation as the other search stored it, with this search's
 * fidelity and role and the other search's id in {@code trained_by}
 * ({@link RunsTable#TRAINED_BY}), so this search's runs, fronts and views hold it as if trained
 * here. The row is a copy: repairing or dropping the other search later leaves it intact.
 * Damaged partitions of other searches are reported and skipped (their runs trained here), never
 * an error of this search. Concurrency: runs committed by another search after the index was
 * built are not seen, so two searches running at once may both train a run; each stores its own
 * row, with itself as {@code trained_by}, in its own partitions, so the race costs training
 * time, never correctness.
 */
final class WarehouseSearchLog implements SearchLog<StoredRun> {
    private final ResultStore store;
    private final String searchId;
    private final long budgetBytes;
    private final Double timeReferenceMs;
    private final boolean reuse;
    private final PrintStream out;
    private RunIndex index;
    /** Runs taken from other searches by this process, by the search that trained them. */
    private final Map<String, Long> reusedBy = new TreeMap<>();
    /** Training time of the runs taken from other searches, as their trainers measured it, milliseconds. */
    private double reusedWallMs;

    /**
     * @param objectives  the search's objectives: the device's SRAM budget and, with time, the box's
     *                    time edge, stored with every front (its reference point)
     * @param reuse       whether runs stored by other searches are taken instead of trained
     * @param out         the index's progress and warnings about other searches' damaged partitions
     */
    WarehouseSearchLog(ResultStore store, String searchId, SearchObjectives objectives, boolean reuse, PrintStream out) {
        Warehouse.checkSearchId(searchId);
        this.store = store;
        this.searchId = searchId;
        this.budgetBytes = (long) objectives.reference().memoryBytes();
        this.timeReferenceMs = objectives.timeReferenceMs();
        this.reuse = reuse;
        this.out = out;
        store.warehouse().removeStaging(searchId);
    }

    @Override
    public Optional<SavedSearch> latest() {
        return store.latestCommit(searchId).map(s -> new SavedSearch(s.generation(), s.configJson(), s.stateJson(),
                s.startedAt().toInstant()));
    }

    @Override
    public int highestGeneration() {
        int highest = -1;
        for (Warehouse.Table t : List.of(Warehouse.Table.RUNS, Warehouse.Table.FRONTS, Warehouse.Table.SEARCHES)) {
            for (int g : store.warehouse().committedGenerations(t, searchId)) {
                highest = Math.max(highest, g);
            }
        }
        return highest;
    }

    @Override
    public List<StoredRun> storedRuns() {
        return store.runsOf(searchId).stream().map(StoredRun::new).toList();
    }

    @Override
    public List<StoredRun> storedElsewhere(int generation, List<PlannedRun> runs) {
        if (!reuse) {
            return List.of();
        }
        if (index == null) {
            long t0 = System.nanoTime();
            index = store.runIndexFor(searchId);
            for (DamagedPartitionException d : index.skipped()) {
                out.println("search " + searchId + ": warning: " + RunIndex.notReused(d));
            }
            if (index.partitions() > 0) {
                out.printf(Locale.ROOT, "search %s: %d runs of other searches indexed for reuse (%d partitions,"
                        + " %.1f s)%n", searchId, index.size(), index.partitions(), (System.nanoTime() - t0) / 1e9);
            }
        }
        Map<String, RunRecord> found = index.fetch(runs.stream().map(PlannedRun::runId).toList(),
                w -> out.println("search " + searchId + ": warning: " + w));
        List<StoredRun> taken = new ArrayList<>(found.size());
        for (PlannedRun p : runs) {
            RunRecord r = found.get(p.runId());
            if (r == null) {
                continue;
            }
            taken.add(new StoredRun(r.toBuilder(searchId, generation)
                    .set(RunsTable.FIDELITY, p.fidelity())
                    .set(RunsTable.ROLE, p.role().columnValue())
                    .set(RunsTable.TRAINED_BY, r.trainedBy())
                    .build()));
            reusedBy.merge(r.trainedBy(), 1L, Long::sum);
            reusedWallMs += r.get(RunsTable.WALL_TIME_MS);
        }
        return taken;
    }

    /**
     * What this process took from other searches, for the summary: how many runs, from which
     * searches, and how long their training took where it was done; empty if none.
     */
    Optional<String> reuseSummary() {
        long total = reusedBy.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return Optional.empty();
        }
        List<String> from = new ArrayList<>();
        reusedBy.forEach((s, n) -> from.add(n + " from " + s));
        return Optional.of(String.format(Locale.ROOT, "search %s: %d runs reused from other searches, not trained (%s);"
                + " their training had taken %.1f s of executor time", searchId, total, String.join(", ", from),
                reusedWallMs / 1e3));
    }

    @Override
    public void commit(GenerationCommit<StoredRun> g) {
        List<FrontRecord> fronts = new ArrayList<>(g.fronts().size());
        for (RunFront<StoredRun> f : g.fronts()) {
            List<FrontRecord.Member> members = new ArrayList<>(f.members().size());
            for (RunFront.Member<StoredRun> m : f.members()) {
                members.add(member(m));
            }
            // The dense reference goes with the front it was trained beside: the last (highest fidelity).
            boolean last = fronts.size() == g.fronts().size() - 1;
            fronts.add(new FrontRecord(searchId, g.generation(), f.fidelity(), f.hypervolume(), budgetBytes, members,
                    last && g.reference() != null ? member(g.reference()) : null, timeReferenceMs));
        }
        long told = g.stats().told();
        long rejected = g.stats().rejectedInfeasible();
        store.commitGeneration(new SearchRecord(searchId, g.generation(), g.finished() ? "finished" : "running",
                g.configJson(), g.stateJson(), told, rejected, told + rejected, Timestamp.from(g.startedAt()),
                Timestamp.from(g.updatedAt())), Stream.concat(g.fresh().stream(), g.reused().stream())
                .map(r -> r.record().inGeneration(g.generation())).toList(), fronts);
    }

    /** A policy's runs as stored in a front: its representative run, replicate statistics and SRAM. */
    private static FrontRecord.Member member(RunFront.Member<StoredRun> m) {
        RunRecord r = m.run().record();
        boolean replicated = m.validation().n() > 1;
        return new FrontRecord.Member(r.runId(), m.test().mean(), r.arenaBytes(), r.deviceTimeMs(), r.policyJson(),
                m.validation().mean(), replicated ? m.validation().sd() : null,
                replicated ? m.validation().halfWidth() : null, replicated ? m.test().sd() : null,
                replicated ? m.test().halfWidth() : null, m.validation().n(), m.tiedWith(),
                r.get(RunsTable.LIN2022_BYTES));
    }
}
