package io.tinysparse.jobs;

import io.tinysparse.results.FrontRecord;
import io.tinysparse.results.ResultStore;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.RunsTable;
import io.tinysparse.results.SearchRecord;
import io.tinysparse.results.Warehouse;
import io.tinysparse.search.driver.GenerationCommit;
import io.tinysparse.search.driver.RunFront;
import io.tinysparse.search.driver.SavedSearch;
import io.tinysparse.search.driver.SearchLog;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One search's {@link SearchLog} in the warehouse: each generation commits its runs, its fronts
 * and its {@code searches} row as write-once partitions ({@link ResultStore#commitGeneration});
 * a run is stored in the generation that commits it.
 * Opening it removes the staging files a crashed commit of this search left behind; the caller
 * holds the search's lease.
 */
final class WarehouseSearchLog implements SearchLog<StoredRun> {
    private final ResultStore store;
    private final String searchId;
    private final long budgetBytes;

    /**
     * @param budgetBytes the device's SRAM budget, stored with every front (its reference point)
     */
    WarehouseSearchLog(ResultStore store, String searchId, long budgetBytes) {
        Warehouse.checkSearchId(searchId);
        this.store = store;
        this.searchId = searchId;
        this.budgetBytes = budgetBytes;
        store.warehouse().removeStaging(searchId);
    }

    @Override
    public Optional<SavedSearch> latest() {
        return store.latestCommit(searchId).map(s -> new SavedSearch(s.generation(), s.configJson(), s.stateJson(),
                s.startedAt().toInstant()));
    }

    @Override
    public List<StoredRun> storedRuns() {
        return store.runsOf(searchId).stream().map(StoredRun::new).toList();
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
                    last && g.reference() != null ? member(g.reference()) : null));
        }
        long told = g.stats().told();
        long rejected = g.stats().rejectedInfeasible();
        store.commitGeneration(new SearchRecord(searchId, g.generation(), g.finished() ? "finished" : "running",
                g.configJson(), g.stateJson(), told, rejected, told + rejected, Timestamp.from(g.startedAt()),
                Timestamp.from(g.updatedAt())), g.fresh().stream().map(r -> r.record().inGeneration(g.generation()))
                .toList(), fronts);
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
