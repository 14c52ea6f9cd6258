package io.tinysparse.search.driver;

import io.tinysparse.datasets.InvalidInputException;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.Objectives;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.state.SearchCheckpoint;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs a search one generation at a time against a {@link BatchEvaluator} and a
 * {@link SearchLog}, with no execution engine in it.
 *
 * <p>Per generation: ask the searcher for up to {@code population} candidates, plan each one's
 * run ({@link RunPlanner}), skip the runs already stored for this search (a resumed search, or
 * a genome asked twice), evaluate the rest as one batch, tell every candidate its run's result,
 * compute one front per fidelity over every run of the search, and commit. A generation's commit
 * overlaps the next generation's training (one commit in flight, in order); a failure of either
 * fails the search, after the commit in flight has finished, so a successor never races it.
 *
 * <p>A search whose log has a commit resumes after it: the configuration must be the same, the
 * searcher is restored from its checkpoint, and stored runs are reused, never retrained.
 *
 * @param <R> the run outcome type of the evaluator and the log
 */
public final class GenerationDriver<R extends RunOutcome> {
    private final Settings settings;
    private final BatchEvaluator<R> evaluator;
    private final SearchLog<R> log;
    private final Supplier<Searcher> freshSearcher;
    private final PrintStream out;

    /**
     * What the driver needs besides its collaborators.
     *
     * @param searchId   the search's name, for messages
     * @param configJson the configuration; a resumed search must have been started with the same
     * @param budget     the memory budget: the searcher's feasibility, and the fronts' reference point
     * @param planner    candidate to run
     * @param population candidates asked per generation, >= 1
     */
    public record Settings(String searchId, String configJson, MemoryBudget budget, RunPlanner planner,
            int population) {
        public Settings {
            if (population < 1) {
                throw new InvalidInputException("population must be >= 1, got " + population);
            }
        }
    }

    /**
     * What a finished (or already finished) search ends with.
     *
     * @param lastGeneration the last committed generation, -1 if none
     * @param stats          the searcher's counters
     * @param trained        runs trained by this call
     * @param fronts         one front per fidelity level over every run of the search
     */
    public record Summary<R extends RunOutcome>(int lastGeneration, SearchStats stats, long trained,
            List<RunFront<R>> fronts) {}

    /**
     * @param freshSearcher the searcher of a search that has no commit yet
     * @param out           progress lines
     */
    public GenerationDriver(Settings settings, Supplier<Searcher> freshSearcher, BatchEvaluator<R> evaluator,
            SearchLog<R> log, PrintStream out) {
        this.settings = settings;
        this.freshSearcher = freshSearcher;
        this.evaluator = evaluator;
        this.log = log;
        this.out = out;
    }

    /** Runs (or resumes) the search until its searcher has finished. */
    public Summary<R> run() throws InterruptedException {
        Optional<SavedSearch> latest = log.latest();
        Searcher searcher;
        int generation;
        Instant started;
        if (latest.isPresent()) {
            if (!latest.get().configJson().equals(settings.configJson())) {
                throw new InvalidInputException("search '" + settings.searchId() + "' exists with another"
                        + " configuration; use a new --search-id or the same options");
            }
            searcher = SearchCheckpoint.fromJson(latest.get().stateJson())
                    .restore(settings.budget().problem(ObjectiveMode.ACCURACY_MEMORY), settings.budget());
            generation = latest.get().generation() + 1;
            started = latest.get().startedAt();
            out.printf(Locale.ROOT, "search %s: resuming after generation %d%n", settings.searchId(), generation - 1);
        } else {
            searcher = freshSearcher.get();
            generation = 0;
            started = Instant.now();
        }
        Map<String, R> stored = new HashMap<>();
        for (R r : log.storedRuns()) {
            stored.put(r.runId(), r);
        }
        long t0 = System.nanoTime();
        long trained = 0;
        ExecutorService committer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tinysparse-commit");
            t.setDaemon(true);
            return t;
        });
        Future<?> inFlight = null;
        try {
            while (!searcher.isFinished()) {
                long tGeneration = System.nanoTime();
                List<Candidate> asked = searcher.ask(settings.population());
                if (asked.isEmpty()) {
                    break;
                }
                List<PlannedRun> planned = new ArrayList<>(asked.size());
                Map<String, PlannedRun> toRun = new LinkedHashMap<>();
                for (Candidate c : asked) {
                    PlannedRun p = settings.planner().plan(c);
                    planned.add(p);
                    if (!stored.containsKey(p.runId())) {
                        toRun.putIfAbsent(p.runId(), p);
                    }
                }
                List<R> fresh = evaluator.evaluate(generation, List.copyOf(toRun.values()));
                for (R r : fresh) {
                    stored.put(r.runId(), r);
                }
                List<Evaluation> told = new ArrayList<>(planned.size());
                for (PlannedRun p : planned) {
                    R r = stored.get(p.runId());
                    if (r == null) {
                        throw new IllegalStateException("the evaluator returned no result for run " + p.runId());
                    }
                    told.add(Evaluation.feasible(p.candidate(), Objectives.of(r.validationAccuracy(), r.arenaBytes())));
                }
                searcher.tell(told);
                trained += fresh.size();
                List<RunFront<R>> fronts = RunFront.perFidelity(stored.values(), settings.budget().reference());
                GenerationCommit<R> commit = new GenerationCommit<>(generation, searcher.isFinished(),
                        settings.configJson(), SearchCheckpoint.of(searcher).toJson(), searcher.stats(), started,
                        Instant.now(), fresh, fronts);
                awaitCommit(inFlight);
                inFlight = committer.submit(() -> log.commit(commit));
                progress(generation, tGeneration, t0, trained, searcher, asked.size(), fresh.size(), fronts);
                generation++;
            }
            awaitCommit(inFlight);
            inFlight = null;
        } finally {
            committer.shutdown();
            if (inFlight != null) {
                try {
                    inFlight.get();
                } catch (ExecutionException ignored) {
                    // failing already: the first failure is the one reported
                }
            }
        }
        return new Summary<>(generation - 1, searcher.stats(), trained,
                RunFront.perFidelity(stored.values(), settings.budget().reference()));
    }

    private void progress(int generation, long tGeneration, long t0, long trained, Searcher searcher, int asked,
            int fresh, List<RunFront<R>> fronts) {
        SearchStats st = searcher.stats();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long planned = searcher.plannedRuns();
        double left = trained == 0 ? 0 : elapsed / trained * Math.max(0, planned - st.told());
        RunFront<R> top = fronts.get(fronts.size() - 1);
        out.printf(Locale.ROOT, "generation %d (%.1f s): runs %d/%d (%d trained now, %d reused), infeasible"
                        + " rejected %d, front %d, hypervolume %.4g%s, ~%.0f s left%n",
                generation, (System.nanoTime() - tGeneration) / 1e9, st.told(), planned, fresh, asked - fresh,
                st.rejectedInfeasible(), top.members().size(), top.hypervolume(),
                fronts.size() > 1 ? " (fidelity " + top.fidelity() + ")" : "", left);
    }

    /** Waits for a generation's commit; its failure fails the search. */
    private static void awaitCommit(Future<?> commit) throws InterruptedException {
        if (commit == null) {
            return;
        }
        try {
            commit.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("commit failed", e.getCause());
        }
    }
}
