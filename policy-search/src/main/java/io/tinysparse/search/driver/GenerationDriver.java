package io.tinysparse.search.driver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.state.SearchCheckpoint;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Runs a search one generation at a time against a {@link BatchEvaluator} and a
 * {@link SearchLog}, with no execution engine in it.
 *
 * <p>Per generation: ask the searcher for up to {@code population} candidates, plan each one's
 * run ({@link RunPlanner}), skip the runs already stored for this search (a resumed search, or
 * a genome asked twice), take those that other searches stored from the log
 * ({@link SearchLog#storedElsewhere}: a run is never trained twice across searches, and a run
 * taken counts exactly as if trained here), evaluate the rest as one batch, tell every
 * candidate its run's result, compute one front per fidelity over every run of the search, and
 * commit. A generation's commit
 * overlaps the next generation's training (one commit in flight, in order); a failure of either
 * fails the search, after the commit in flight has finished, so a successor never races it.
 *
 * <p>A finished search with replicates or a separate report test subset retrains the policies
 * of its last front for the report, in one more generation, and reports that front on the
 * policies' means with ties ({@link RunFront}).
 *
 * <p>A search whose log has a commit resumes after it: the configuration must be the same, the
 * searcher is restored from its checkpoint, and stored runs are reused, never retrained.
 *
 * <p><b>Steady-state mode</b> (constructed with {@link RunSlots} and a {@link CommitInterval}):
 * no generation barrier. Whenever a slot frees up the searcher is asked for the next candidate
 * and its run starts at once, so a slow run idles no other slot; each result is told as it
 * arrives, and commits follow the interval ({@link SteadyStateLoop}). The report phase runs as
 * above, on the batch evaluator, once the searcher has finished. What is deterministic:
 * <ul>
 *   <li>every run's result, bit for bit, for its run spec (its seeds derive from the search seed
 *       and the run, never from the slot, the order or the time it ran);</li>
 *   <li>the candidate sequence, given the order in which results arrive: with one slot, or
 *       replayed with the same arrival order, a search asks the same candidates, so it trains the
 *       same runs and reaches the same fronts. Random and grid search (whose proposals do not
 *       depend on results) ask the same candidates in any order, as in generational mode;</li>
 *   <li>no run id is trained or stored twice, and a committed run is never lost: a killed search
 *       resumes from its last commit, the runs in flight then are planned again (a stored one
 *       is reused).</li>
 * </ul>
 * What is not: with several slots, which run finishes first depends on run lengths and on the
 * machine, so a searcher that uses each result at once (steady-state NSGA-II) may ask other
 * candidates on a replay; and how results are grouped into commits depends on time.
 *
 * @param <R> the run outcome type of the evaluator and the log
 */
public final class GenerationDriver<R extends RunOutcome> {
    private final Settings settings;
    private final BatchEvaluator<R> evaluator;
    private final SearchLog<R> log;
    private final Supplier<Searcher> freshSearcher;
    private final RunSlots<R> slots;
    private final CommitInterval commits;
    private final PrintStream out;
    /** Whether each run id seen is a search run (not a report run): computed once per run. */
    private final Map<String, Boolean> searchRunIds = new HashMap<>();

    /**
     * What the driver needs besides its collaborators.
     *
     * @param searchId   the search's name, for messages
     * @param configJson the configuration; a resumed search must have been started with the same
     * @param budget     the memory budget: the searcher's feasibility, and the fronts' reference point
     * @param planner    candidate to run
     * @param population candidates asked per generation, >= 1
     * @param replicates runs per policy of the final front (replicate seeds), >= 1: the finished
     *                   search retrains each policy of its last front (ties included) on the
     *                   planner's report data under replicate seeds 0 .. replicates - 1, and its
     *                   last front becomes the front of those policies' means ({@link RunFront})
     * @param reference  the dense reference trained beside the final front under the same
     *                   replicate seeds, or null for none
     * @param objectives what the searcher and the fronts trade off, and the hypervolume's box
     */
    public record Settings(String searchId, String configJson, MemoryBudget budget, RunPlanner planner,
            int population, int replicates, DenseReference reference, SearchObjectives objectives) {
        public Settings {
            Objects.requireNonNull(objectives, "objectives");
            if (population < 1) {
                throw new InvalidInputException("population must be >= 1, got " + population);
            }
            if (replicates < 1) {
                throw new InvalidInputException("--replicates " + replicates + " must be >= 1");
            }
        }

        /** Settings without a dense reference. */
        public Settings(String searchId, String configJson, MemoryBudget budget, RunPlanner planner, int population,
                int replicates) {
            this(searchId, configJson, budget, planner, population, replicates, null,
                    SearchObjectives.accuracyMemory(budget));
        }
    }

    /**
     * What a finished (or already finished) search ends with.
     *
     * @param lastGeneration the last committed generation, -1 if none
     * @param stats          the searcher's counters
     * @param trained        runs trained by this call
     * @param fronts         one front per fidelity level over every run of the search
     * @param reference      the dense reference's runs and statistics ({@link DenseReference}),
     *                       paired with the last front's report runs; null when the search has no
     *                       reference or no front
     */
    public record Summary<R extends RunOutcome>(int lastGeneration, SearchStats stats, long trained,
            List<RunFront<R>> fronts, RunFront.Member<R> reference) {}

    /**
     * @param freshSearcher the searcher of a search that has no commit yet
     * @param out           progress lines
     */
    public GenerationDriver(Settings settings, Supplier<Searcher> freshSearcher, BatchEvaluator<R> evaluator,
            SearchLog<R> log, PrintStream out) {
        this(settings, freshSearcher, evaluator, null, null, log, out);
    }

    /**
     * A steady-state search (see the class comment): the searcher's runs go through
     * {@code slots}, committed at {@code commits}; the report's runs through {@code evaluator}.
     * The caller closes {@code slots}.
     */
    public GenerationDriver(Settings settings, Supplier<Searcher> freshSearcher, BatchEvaluator<R> evaluator,
            RunSlots<R> slots, CommitInterval commits, SearchLog<R> log, PrintStream out) {
        if ((slots == null) != (commits == null)) {
            throw new IllegalArgumentException("a steady-state search needs both its slots and its commit interval");
        }
        this.settings = settings;
        this.freshSearcher = freshSearcher;
        this.evaluator = evaluator;
        this.slots = slots;
        this.commits = commits;
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
                throw otherConfiguration(settings.searchId(),
                        differingKeys(latest.get().configJson(), settings.configJson()));
            }
            SearchCheckpoint saved = SearchCheckpoint.fromJson(latest.get().stateJson());
            SearchProblem problem = settings.budget().problem(settings.objectives().mode());
            List<String> changed = saved.differences(problem, freshSearcher.get().state());
            if (!changed.isEmpty()) {
                throw new InvalidInputException("search '" + settings.searchId() + "': its stored searcher state does"
                        + " not match the command line (" + String.join("; ", changed) + "); resume with the options"
                        + " it was started with, or use a new --search-id");
            }
            searcher = saved.restore(problem, settings.budget());
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
        try (CommitQueue<R> committer = new CommitQueue<>(log)) {
            if (slots != null) {
                // A commit interrupted after its runs were published is not recomputed alike (the
                // candidates depend on arrival order): its partitions keep their runs (stored, so
                // reused), and the next commits take numbers after it instead of being skipped.
                generation = Math.max(generation, log.highestGeneration() + 1);
                SteadyStateLoop.End end = new SteadyStateLoop<>(settings, slots, commits, committer,
                        runs -> fronts(runs, false), log, out).run(searcher, generation, started, stored);
                generation = end.nextGeneration();
                trained += end.trained();
            }
            while (slots == null && !searcher.isFinished()) {
                long tGeneration = System.nanoTime();
                List<Candidate> asked = searcher.ask(settings.population());
                if (asked.isEmpty()) {
                    break;
                }
                List<PlannedRun> planned = new ArrayList<>(asked.size());
                for (Candidate c : asked) {
                    planned.add(settings.planner().plan(c));
                }
                Evaluated<R> done = evaluateMissing(generation, planned, stored);
                List<R> fresh = done.trained();
                List<Evaluation> told = new ArrayList<>(planned.size());
                for (int i = 0; i < asked.size(); i++) {
                    R r = stored.get(planned.get(i).runId());
                    told.add(Evaluation.feasible(asked.get(i), settings.objectives().of(rules().decisionAccuracy(r), r)));
                }
                searcher.tell(told);
                trained += fresh.size();
                List<RunFront<R>> fronts = fronts(stored.values(), false);
                GenerationCommit<R> commit = new GenerationCommit<>(generation, searcher.isFinished(),
                        settings.configJson(), SearchCheckpoint.of(searcher).toJson(), searcher.stats(), started,
                        Instant.now(), fresh, fronts, null, done.reused());
                committer.submit(commit);
                progress(generation, tGeneration, t0, trained, searcher, asked.size(), fresh.size(),
                        done.reused().size(), fronts);
                generation++;
            }
            committer.drain();
            Evaluated<R> reported = report(generation, searcher, started, stored);
            if (reported != null) {
                trained += reported.trained().size();
                generation++; // the report was committed as one more generation
            }
        }
        return new Summary<>(generation - 1, searcher.stats(), trained,
                fronts(stored.values(), true), reference(stored));
    }

    /**
     * The refusal to resume search {@code searchId} under another configuration, {@code what}
     * saying what differs.
     */
    public static InvalidInputException otherConfiguration(String searchId, String what) {
        return new InvalidInputException("search '" + searchId + "' exists with another configuration (" + what
                + "); use a new --search-id or the same options");
    }

    /**
     * The top-level keys whose values differ between two configurations, for the user, with the
     * verb that agrees: {@code setting 'runs' differs}, {@code settings 'runs', 'seed' differ}.
     */
    static String differingKeys(String stored, String given) {
        try {
            ObjectMapper json = new ObjectMapper();
            JsonNode a = json.readTree(stored);
            JsonNode b = json.readTree(given);
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            keys.removeIf(k -> Objects.equals(a.get(k), b.get(k)));
            String quoted = "'" + String.join("', '", keys) + "'";
            return keys.size() == 1 ? "setting " + quoted + " differs" : "settings " + quoted + " differ";
        } catch (JsonProcessingException e) {
            return "the stored configuration is not JSON, so every setting differs";
        }
    }

    private SearchRules rules() {
        return settings.planner().rules();
    }

    /**
     * The runs of one call of {@link #evaluateMissing}: trained by the evaluator, and taken from
     * other searches' stores.
     */
    private record Evaluated<R>(List<R> trained, List<R> reused) {}

    /**
     * The runs of {@code missing} that other searches have stored, as {@code log} finds them
     * ({@link SearchLog#storedElsewhere}): each one taken leaves {@code missing} and joins
     * {@code stored}. A run the log returns that was not missing, or at another fidelity, fails
     * the search. The one way both the generational and the steady-state loop take runs.
     */
    static <R extends RunOutcome> List<R> takeStoredElsewhere(SearchLog<R> log, int generation,
            Map<String, PlannedRun> missing, Map<String, R> stored) {
        if (missing.isEmpty()) {
            return List.of();
        }
        List<R> taken = log.storedElsewhere(generation, List.copyOf(missing.values()));
        for (R r : taken) {
            PlannedRun p = missing.remove(r.runId());
            if (p == null || p.fidelity() != r.fidelity()) {
                throw new IllegalStateException("the search log returned run " + r.runId() + " at fidelity "
                        + r.fidelity() + ", which was not asked for" + (p == null ? "" : " at that fidelity"));
            }
            stored.put(r.runId(), r);
        }
        return taken;
    }

    /**
     * Gets the runs of {@code planned} not in {@code stored} (each once), from other searches'
     * stores where the log has them and from the evaluator otherwise, and adds them to it.
     */
    private Evaluated<R> evaluateMissing(int generation, List<PlannedRun> planned, Map<String, R> stored) {
        Map<String, PlannedRun> toRun = new LinkedHashMap<>();
        for (PlannedRun p : planned) {
            if (!stored.containsKey(p.runId())) {
                toRun.putIfAbsent(p.runId(), p);
            }
        }
        List<R> reused = takeStoredElsewhere(log, generation, toRun, stored);
        List<R> fresh = evaluator.evaluate(generation, List.copyOf(toRun.values()));
        for (R r : fresh) {
            if (toRun.remove(r.runId()) == null) {
                throw new IllegalStateException("the evaluator returned run " + r.runId() + ", which was not asked for");
            }
            stored.put(r.runId(), r);
        }
        if (!toRun.isEmpty()) {
            throw new IllegalStateException("the evaluator returned no result for run " + toRun.keySet().iterator().next());
        }
        return new Evaluated<>(fresh, reused);
    }

    /**
     * One front per fidelity level over the search's runs; with {@code reported} (the search has
     * finished and has report runs), the highest level's front is over the report runs of its
     * policies: their means over the replicates, with ties ({@link RunFront}).
     */
    private List<RunFront<R>> fronts(Collection<R> runs, boolean reported) {
        List<RunFront<R>> single = RunFront.perFidelity(searchRuns(runs), settings.objectives(), 1,
                rules()::decisionAccuracy);
        if (!reported || !hasReport() || single.isEmpty()) {
            return single;
        }
        Set<String> ids = new HashSet<>();
        reportRuns(single).forEach(p -> ids.add(p.runId()));
        List<R> report = runs.stream().filter(r -> ids.contains(r.runId())).toList();
        List<RunFront<R>> out = new ArrayList<>(single.subList(0, single.size() - 1));
        out.addAll(RunFront.perFidelity(report, settings.objectives(), settings.replicates(),
                rules()::decisionAccuracy));
        return out;
    }

    /**
     * Whether a finished search has a report phase: with replicates, on a larger test subset, or
     * with a dense reference.
     */
    private boolean hasReport() {
        return settings.replicates() > 1 || settings.planner().separateReportData() || settings.reference() != null;
    }

    /** The runs the searcher asked for (not report runs), recognised by recomputing each one's search-run id. */
    private List<R> searchRuns(Collection<R> runs) {
        if (!hasReport()) {
            return List.copyOf(runs);
        }
        return runs.stream().filter(r -> searchRunIds.computeIfAbsent(r.runId(),
                id -> settings.planner().isSearchRun(r))).toList();
    }

    /** The report runs of the last single-run front's policies (ties included): every replicate of each. */
    private List<PlannedRun> reportRuns(List<RunFront<R>> single) {
        List<PlannedRun> planned = new ArrayList<>();
        for (RunFront.Member<R> m : single.get(single.size() - 1).members()) {
            for (int k = 0; k < settings.replicates(); k++) {
                planned.add(settings.planner().reportRun(m.run(), k));
            }
        }
        return planned;
    }

    /**
     * The dense reference runs paired with the report runs of the last single-run front: one per
     * replicate seed, at that front's fidelity. None without a reference or a front.
     */
    private List<PlannedRun> referenceRuns(List<RunFront<R>> single) {
        if (settings.reference() == null || single.isEmpty() || single.get(single.size() - 1).members().isEmpty()) {
            return List.of();
        }
        RunFront<R> top = single.get(single.size() - 1);
        int multiplier = settings.planner().multiplierOf(top.members().get(0).run());
        List<PlannedRun> planned = new ArrayList<>();
        for (int k = 0; k < settings.replicates(); k++) {
            planned.add(settings.planner().referenceRun(settings.reference(), k, multiplier, top.fidelity()));
        }
        return planned;
    }

    /** The stored dense reference runs as one member (mean over replicates), or null if not all are stored. */
    private RunFront.Member<R> reference(Map<String, R> stored) {
        List<RunFront<R>> single = RunFront.perFidelity(searchRuns(stored.values()), settings.objectives(), 1,
                rules()::decisionAccuracy);
        List<PlannedRun> planned = referenceRuns(single);
        if (planned.isEmpty() || !planned.stream().allMatch(p -> stored.containsKey(p.runId()))) {
            return null;
        }
        return RunFront.Member.of(planned.stream().map(p -> stored.get(p.runId())).toList(),
                rules()::decisionAccuracy);
    }

    /**
     * After the searcher has finished: retrains every policy of the last single-run front (ties
     * included) on the report data (the test subset used for reporting) under every replicate
     * seed, as one more generation. A report run identical to a stored run (replicate 0 when the
     * report data are the search's) is reused. Idempotent: a resumed search whose report runs
     * are stored trains and commits nothing.
     *
     * @return the runs trained and taken from other searches for the report generation, null if
     *     none was committed (all of them can be taken, so its commit is not told by runs trained)
     */
    private Evaluated<R> report(int generation, Searcher searcher, Instant started, Map<String, R> stored)
            throws InterruptedException {
        if (!hasReport()) {
            return null;
        }
        List<RunFront<R>> single = RunFront.perFidelity(searchRuns(stored.values()),
                settings.objectives(), 1, rules()::decisionAccuracy);
        if (single.isEmpty()) {
            return null;
        }
        List<PlannedRun> planned = new ArrayList<>(reportRuns(single));
        planned.addAll(referenceRuns(single));
        if (planned.stream().allMatch(p -> stored.containsKey(p.runId()))) {
            return null;
        }
        long t0 = System.nanoTime();
        Evaluated<R> done = evaluateMissing(generation, planned, stored);
        List<R> fresh = done.trained();
        List<RunFront<R>> fronts = fronts(stored.values(), true);
        RunFront.Member<R> reference = reference(stored);
        log.commit(new GenerationCommit<>(generation, true, settings.configJson(), SearchCheckpoint.of(searcher).toJson(),
                searcher.stats(), started, Instant.now(), fresh, fronts, reference, done.reused()));
        RunFront<R> top = fronts.get(fronts.size() - 1);
        out.printf(Locale.ROOT, "generation %d (%.1f s): the last front's %d policies retrained for the report (%d"
                        + " replicate seed(s), test on %d samples; %d runs%s%s), front %d (%d ties), hypervolume of the"
                        + " means %.4f of the box%n",
                generation, (System.nanoTime() - t0) / 1e9, single.get(single.size() - 1).members().size(),
                settings.replicates(), settings.planner().reportData().testSamples(), fresh.size(),
                reference == null ? "" : " with the dense reference",
                done.reused().isEmpty() ? "" : ", " + done.reused().size() + " more taken from other searches",
                top.proper().size(), top.members().size() - top.proper().size(), boxFraction(settings, top));
        return done;
    }

    /**
     * The candidates the SRAM budget ruled out so far, as the closing summary counts them: a
     * repaired candidate did not fit either (it was made into a feasible one instead of being
     * discarded).
     */
    static String infeasibleSoFar(SearchStats st) {
        return String.format(Locale.ROOT, "infeasible %d (%d repaired, %d discarded)",
                st.infeasible(), st.repaired(), st.rejectedInfeasible());
    }

    /**
     * {@code front}'s hypervolume as the fraction of the box (accuracy 0..1 x 0..budget bytes
     * [x 0..dense step time], {@link SearchObjectives}) it covers: the figure the closing table,
     * the report and the {@code hypervolume} view print.
     */
    static double boxFraction(Settings settings, RunFront<?> front) {
        return settings.objectives().boxFraction(front.hypervolume());
    }

    private void progress(int generation, long tGeneration, long t0, long trained, Searcher searcher, int asked,
            int fresh, int elsewhere, List<RunFront<R>> fronts) {
        SearchStats st = searcher.stats();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long planned = searcher.plannedRuns();
        double left = trained == 0 ? 0 : elapsed / trained * Math.max(0, planned - st.told());
        RunFront<R> top = fronts.get(fronts.size() - 1);
        out.printf(Locale.ROOT, "generation %d (%.1f s): runs %d/%d (%d trained now, %d reused%s), %s, front %d,"
                        + " hypervolume %.4f of the box%s, ~%.0f s left%s%n",
                generation, (System.nanoTime() - tGeneration) / 1e9, st.told(), planned, fresh, asked - fresh,
                elsewhere == 0 ? "" : ", " + elsewhere + " of them from other searches",
                infeasibleSoFar(st), top.members().size(), boxFraction(settings, top),
                fronts.size() > 1 ? " (fidelity " + top.fidelity() + ")" : "", left, reportOutlook(top));
    }

    /**
     * What the report phase will add after the searcher has finished, from the front as it is
     * now: its policies times the replicates (less replicate 0 where it is the search's own run),
     * and the dense reference's runs. Not in the time left, which covers the searcher's runs.
     */
    private String reportOutlook(RunFront<R> top) {
        if (!hasReport()) {
            return "";
        }
        int perPolicy = settings.replicates() - (settings.planner().separateReportData() ? 0 : 1);
        int reference = settings.reference() == null ? 0 : settings.replicates();
        long runs = (long) top.members().size() * perPolicy + reference;
        return runs == 0 ? "" : String.format(Locale.ROOT, ", then the report: about %d runs%s", runs,
                reference == 0 ? "" : " (" + reference + " of them dense)");
    }
}
