package io.tinysparse.search.driver;

import io.tinysparse.search.Candidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.state.SearchCheckpoint;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The searcher phase of a steady-state search: whenever a slot of the {@link RunSlots} is free,
 * the searcher is asked for as many candidates as there are free slots and their runs start at
 * once; each result is told as soon as it arrives. A candidate whose run is stored already (a
 * resumed search, a genome that plans to a stored run) is told from the store; one whose run is
 * in flight waits for that run. Commits follow the {@link CommitInterval}, each one generation
 * partition holding the runs finished since the previous one and the searcher's checkpoint with
 * the candidates still in flight, which a resumed search plans and starts again first.
 *
 * <p>Commits overlap training as in the generational loop ({@link CommitQueue}): one in flight, in
 * order; a failure of either fails the search after the commit in flight has finished.
 *
 * @param <R> the run outcome type
 */
final class SteadyStateLoop<R extends RunOutcome> {
    /** How the phase ended: the next commit's number and the runs it trained. */
    record End(int nextGeneration, long trained) {}

    /** A run in flight or waiting for a slot, and the candidates waiting for its result. */
    private record Pending(PlannedRun run, List<Candidate> candidates) {}

    private final GenerationDriver.Settings settings;
    private final RunSlots<R> slots;
    private final CommitInterval commits;
    private final CommitQueue<R> committer;
    private final Function<Collection<R>, List<RunFront<R>>> fronts;
    private final SearchLog<R> log;
    private final PrintStream out;
    /** Runs taken from other searches' stores since the last commit. */
    private List<R> reused = new ArrayList<>();
    /** Started or waiting for a slot, by run id, in the order planned. */
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Pending> waiting = new LinkedHashMap<>();

    /**
     * @param fronts    one front per fidelity over the given runs of the search
     * @param log       the search's log, asked for the runs other searches have stored
     *                  ({@link SearchLog#storedElsewhere}), taken instead of trained
     */
    SteadyStateLoop(GenerationDriver.Settings settings, RunSlots<R> slots, CommitInterval commits,
            CommitQueue<R> committer, Function<Collection<R>, List<RunFront<R>>> fronts,
            SearchLog<R> log, PrintStream out) {
        this.settings = settings;
        this.slots = slots;
        this.commits = commits;
        this.committer = committer;
        this.fronts = fronts;
        this.log = log;
        this.out = out;
    }

    /**
     * Runs {@code searcher} until it has finished (or proposes nothing with nothing in flight),
     * committing from generation {@code generation} on; {@code stored} holds every run of the
     * search and receives the new ones.
     */
    End run(Searcher searcher, int generation, Instant started, Map<String, R> stored) throws InterruptedException {
        long t0 = slots.nanoTime();
        long lastCommit = t0;
        long trained = 0;
        List<R> fresh = new ArrayList<>();
        // A resumed search: the candidates in flight at its last commit are planned again first.
            int told = plan(searcher, searcher.outstanding(), stored, generation);
            told += fill(searcher, stored, generation);
            while (true) {
                boolean last = pending.isEmpty(); // finished, or proposing nothing with nothing in flight
                if (!last) {
                    long due = told == 0 ? Long.MAX_VALUE
                            : Math.max(0, commits.time().toNanos() - (slots.nanoTime() - lastCommit));
                    R r = slots.poll(due);
                    if (r != null) {
                        Pending p = pending.remove(r.runId());
                        if (p == null) {
                            throw new IllegalStateException("the run slots returned run " + r.runId()
                                    + ", which was not started");
                        }
                        stored.put(r.runId(), r);
                        fresh.add(r);
                        trained++;
                        tell(searcher, p.candidates(), r);
                        told += p.candidates().size();
                    }
                    // The freed slot is refilled before a commit, so the commit holds its candidate as in flight.
                    told += fill(searcher, stored, generation);
                    last = pending.isEmpty();
                }
                if (told > 0 && (last || told >= commits.results()
                        || slots.nanoTime() - lastCommit >= commits.time().toNanos())) {
                    GenerationCommit<R> commit = new GenerationCommit<>(generation, searcher.isFinished(),
                            settings.configJson(), SearchCheckpoint.of(searcher).toJson(), searcher.stats(), started,
                            Instant.now(), fresh, fronts.apply(stored.values()), null, reused);
                    committer.submit(commit);
                    progress(commit, told - fresh.size(), searcher, t0, trained);
                    reused = new ArrayList<>();
                    generation++;
                    lastCommit = slots.nanoTime();
                    fresh = new ArrayList<>();
                    told = 0;
                }
                if (last) {
                    break;
                }
            }
        committer.drain();
        return new End(generation, trained);
    }

    /**
     * Asks the searcher for a candidate per free slot until the slots are full or it proposes
     * nothing more for now, and starts the runs.
     *
     * @return candidates told from the store meanwhile
     */
    private int fill(Searcher searcher, Map<String, R> stored, int generation) {
        int told = 0;
        startWaiting(generation);
        while (!searcher.isFinished()) {
            int free = slots.slots() - slots.inFlight() - waiting.size();
            if (free <= 0) {
                break;
            }
            List<Candidate> asked = searcher.ask(free);
            if (asked.isEmpty()) {
                break;
            }
            told += plan(searcher, asked, stored, generation);
            startWaiting(generation);
        }
        return told;
    }

    /**
     * Plans {@code candidates}: each one whose run is stored (by this search, or by another, then
     * taken into this one) is told from the store at once, each other one waits for its run
     * (started once, however many candidates plan to it).
     *
     * @return candidates told from the store
     */
    private int plan(Searcher searcher, List<Candidate> candidates, Map<String, R> stored, int generation) {
        List<Evaluation> known = new ArrayList<>();
        List<PlannedRun> planned = new ArrayList<>(candidates.size());
        Map<String, PlannedRun> missing = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            PlannedRun p = settings.planner().plan(c);
            planned.add(p);
            if (!stored.containsKey(p.runId()) && !pending.containsKey(p.runId())) {
                missing.putIfAbsent(p.runId(), p);
            }
        }
        reused.addAll(GenerationDriver.takeStoredElsewhere(log, generation, missing, stored));
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            PlannedRun p = planned.get(i);
            R r = stored.get(p.runId());
            if (r != null) {
                known.add(evaluation(c, r));
            } else if (pending.containsKey(p.runId())) {
                pending.get(p.runId()).candidates().add(c);
            } else {
                Pending w = new Pending(p, new ArrayList<>(List.of(c)));
                pending.put(p.runId(), w);
                waiting.put(p.runId(), w);
            }
        }
        if (!known.isEmpty()) {
            searcher.tell(known);
        }
        return known.size();
    }

    /** Starts waiting runs while slots are free, in the order planned. */
    private void startWaiting(int generation) {
        var it = waiting.values().iterator();
        while (it.hasNext() && slots.inFlight() < slots.slots()) {
            slots.submit(it.next().run(), generation);
            it.remove();
        }
    }

    private void tell(Searcher searcher, List<Candidate> candidates, R r) {
        List<Evaluation> told = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            told.add(evaluation(c, r));
        }
        searcher.tell(told);
    }

    private Evaluation evaluation(Candidate c, R r) {
        return Evaluation.feasible(c, settings.objectives().of(settings.planner().rules().decisionAccuracy(r), r));
    }

    private void progress(GenerationCommit<R> commit, int reused, Searcher searcher, long t0, long trained) {
        SearchStats st = searcher.stats();
        double elapsed = (slots.nanoTime() - t0) / 1e9;
        long planned = searcher.plannedRuns();
        double left = trained == 0 ? 0 : elapsed / trained * Math.max(0, planned - st.told());
        RunFront<R> top = commit.fronts().get(commit.fronts().size() - 1);
        out.printf(Locale.ROOT, "commit %d (steady-state, %d slots, %.1f s in): runs %d/%d (%d trained since the last"
                        + " commit, %d reused), %d in flight, %s, front %d, hypervolume %.4f of the box%s,"
                        + " ~%.0f s left%n",
                commit.generation(), slots.slots(), elapsed, st.told(), planned, commit.fresh().size(), reused, pending.size(),
                GenerationDriver.infeasibleSoFar(st), top.members().size(), GenerationDriver.boxFraction(settings, top),
                commit.fronts().size() > 1 ? " (fidelity " + top.fidelity() + ")" : "", left);
    }
}
