package io.tinysparse.search.bench;

import io.tinysparse.search.Candidate;
import io.tinysparse.search.Evaluation;
import io.tinysparse.search.Objectives;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.bench.RunAccounting.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a tinysparse {@link Searcher} by ask and tell through a {@link RunAccounting}, as the
 * product's generation driver does: ask up to a population, train what counts, tell every
 * result, until the runs asked for are counted or the searcher has finished.
 *
 * <p>The searcher contract already keeps infeasible genomes from being handed out and the
 * budgeted searchers never hand out a genome twice, so every candidate should count; the
 * accounting checks it rather than trusting it. An infeasible candidate breaks the contract and
 * stops the benchmark; a repeated genome is told its earlier result and not counted (as for
 * Optuna). Only base-budget candidates are accepted: a candidate at a higher fidelity costs
 * several runs, which this accounting does not express.
 */
final class AskTellTrajectory {
    private AskTellTrajectory() {}

    /**
     * Runs {@code searcher} (named {@code name}) until {@code runs} runs are counted or it has
     * finished, asking at most {@code population} candidates at a time and never more than the
     * runs still missing.
     */
    static Trajectory run(String name, Searcher searcher, RunAccounting accounting, int population, int runs) {
        long t0 = System.nanoTime();
        SearchStats initial = null;
        String note = "";
        while (accounting.counted().size() < runs && !searcher.isFinished()) {
            int want = Math.min(population, runs - accounting.counted().size());
            List<Candidate> asked = searcher.ask(want);
            if (initial == null) {
                initial = searcher.stats();
            }
            if (asked.isEmpty()) {
                if (searcher.isFinished()) {
                    break;
                }
                // Every candidate asked so far was told: an empty answer now breaks the Searcher contract.
                throw new IllegalStateException("searcher " + name + " asked nothing with nothing outstanding and is"
                        + " not finished (Searcher contract)");
            }
            List<Evaluation> told = new ArrayList<>(asked.size());
            for (Candidate c : asked) {
                if (c.fidelity().level() != 0) {
                    throw new IllegalStateException("searcher " + name + " asked for candidate " + c.id()
                            + " at fidelity " + c.fidelity() + "; the benchmark counts base-budget runs only");
                }
                Verdict v = accounting.propose(c.genome());
                if (v.outcome() == RunAccounting.Outcome.INFEASIBLE) {
                    throw new IllegalStateException("searcher " + name + " handed out infeasible genome " + c.genome()
                            + " (" + v.memoryBytes() + " bytes), which the Searcher contract forbids");
                }
                told.add(Evaluation.feasible(c, Objectives.of(v.accuracy(), v.memoryBytes())));
            }
            searcher.tell(told);
        }
        if (accounting.counted().size() < runs) {
            note = name + " finished after " + accounting.counted().size() + " counted runs";
        }
        return new Trajectory(name, accounting.seed(), accounting.counted(), accounting.proposals(),
                accounting.infeasible(), accounting.duplicates(), (System.nanoTime() - t0) / 1e9, initial,
                searcher.stats(), note);
    }
}
