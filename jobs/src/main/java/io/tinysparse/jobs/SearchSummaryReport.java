package io.tinysparse.jobs;

import io.tinysparse.core.text.PlainDecimal;
import io.tinysparse.results.FrontRecord;
import io.tinysparse.results.PolicyText;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.RunsTable;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.driver.GenerationDriver;
import io.tinysparse.search.driver.PrunedBackbones;
import io.tinysparse.search.driver.RunFront;
import io.tinysparse.search.driver.SearchObjectives;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Function;

/**
 * What {@code tinysparse search} prints when a search has finished: the runs it trained and the
 * time they took, its last front on validation
 * accuracy (mean, 95 % interval, replicates, test accuracy, SRAM, device time per step when time is
 * an objective, ties, the policy in human terms ({@link PolicyText}); its hypervolume as the
 * fraction of the reference box), the dense
 * fine-tuning reference beside it, how many
 * candidates the SRAM budget ruled out, and where the tables are.
 */
final class SearchSummaryReport {
    private SearchSummaryReport() {}

    /** Characters of a run id shown (the views and tables have the whole id). */
    private static final int SHORT_ID = 12;

    /** The member table of {@code f}, each row led by {@code lead}'s text ({@code header} above it). */
    private static void printMembers(PrintStream out, RunFront<StoredRun> f, boolean time, String header,
            Function<RunFront.Member<StoredRun>, String> lead) {
        out.printf(Locale.ROOT, "  %s%-12s %-8s %-8s %-3s %-8s %-10s %s%-19s %s%n", header, "run", "val acc", "+-95%",
                "n", "test acc", "arena KiB", time ? String.format(Locale.ROOT, "%-9s ", "ms/step") : "", "",
                "policy");
        for (RunFront.Member<StoredRun> m : f.members()) {
            out.printf(Locale.ROOT, "  %s%-12s %-8.4f %-8s %-3d %-8.4f %-10.1f %s%-19s %s%n", lead.apply(m),
                    m.run().runId().substring(0, SHORT_ID), m.validation().mean(), halfWidth(m),
                    m.validation().n(), m.test().mean(), m.arenaBytes() / 1024.0,
                    time ? String.format(Locale.ROOT, "%-9.2f ", m.run().deviceTimeMs()) : "",
                    m.isTie() ? "tie of " + m.tiedWith().substring(0, SHORT_ID) : "",
                    PolicyText.of(m.run().policyJson()));
        }
    }

    private static String halfWidth(RunFront.Member<StoredRun> m) {
        return m.validation().n() > 1 ? String.format(Locale.ROOT, "%.4f", m.validation().halfWidth()) : "-";
    }

    /**
     * Prints the summary of search {@code id}, which took {@code setupSeconds} to set up and
     * {@code loopSeconds} for its generations and commits, under {@code objectives} (the SRAM budget
     * and, with time, the box's time edge), stored in {@code warehouse}. A search over pruned
     * backbones ({@code pruned} not null) shows each member's pruning ratio.
     */
    static void print(PrintStream out, String id, GenerationDriver.Summary<StoredRun> summary, double setupSeconds,
            double loopSeconds, SearchObjectives objectives, String warehouse, PrunedBackbones pruned) {
        long budgetBytes = (long) objectives.reference().memoryBytes();
        boolean time = objectives.hasTime();
        out.printf(Locale.ROOT, "search %s: %d runs trained in %.1f s (setup %.1f s, generations and commits %.1f s)%n",
                id, summary.trained(), setupSeconds + loopSeconds, setupSeconds, loopSeconds);
        if (!summary.fronts().isEmpty()) {
            RunFront<StoredRun> f = summary.fronts().get(summary.fronts().size() - 1);
            out.printf(Locale.ROOT, "Pareto front of %s after generation %d%s, on validation accuracy%s (%shypervolume"
                            + " %.4f of the box accuracy 0..1 x 0..%,d bytes%s):%n", id,
                    summary.lastGeneration(), f.fidelity() > 0 ? ", fidelity level " + f.fidelity() : "",
                    time ? ", peak SRAM and device time per step" : "", time ? "3-D " : "",
                    FrontRecord.hypervolumeFraction(f.hypervolume(), budgetBytes, objectives.timeReferenceMs()),
                    budgetBytes, time ? String.format(Locale.ROOT, " x 0..%.1f ms, a dense step's device time",
                            objectives.timeReferenceMs()) : "");
            if (pruned == null) {
                printMembers(out, f, time, "", m -> "");
            } else {
                printMembers(out, f, time, String.format(Locale.ROOT, "%-6s ", "pruned"), m -> String.format(
                        Locale.ROOT, "%-6s ", PlainDecimal.of(pruned.ratioOf(m.run().backboneHash()))));
            }
        }
        RunFront.Member<StoredRun> ref = summary.reference();
        if (ref != null) {
            RunRecord r = ref.run().record();
            out.printf(Locale.ROOT, "Dense fine-tuning beside it (the usual upper bound: every parameter, batch norm unfolded"
                            + " with running statistics, lr %s, paired with the front's replicates):%n",
                    r.get(RunsTable.LEARNING_RATE));
            out.printf(Locale.ROOT, "  %-12s %-8.4f %-8s %-3d %-8.4f SRAM %.1f KiB (lin2022) / %.1f KiB (arena peak),"
                            + " folded network; %s%n",
                    r.runId().substring(0, SHORT_ID), ref.validation().mean(), halfWidth(ref), ref.validation().n(),
                    ref.test().mean(), r.get(RunsTable.LIN2022_BYTES) / 1024.0, r.arenaBytes() / 1024.0,
                    r.arenaBytes() > budgetBytes ? "over the device's budget: a reference, not a candidate"
                            : "within the device's budget");
            double best = summary.fronts().isEmpty() ? Double.NaN : summary.fronts().get(summary.fronts().size() - 1)
                    .members().stream().mapToDouble(m -> m.validation().mean()).max().orElse(Double.NaN);
            if (ref.validation().mean() < best) {
                out.printf(Locale.ROOT, "  (below the front's best, %.4f: at this training budget dense fine-tuning is"
                        + " not an upper bound; it needs more steps or its own learning rate)%n", best);
            }
        }
        SearchStats st = summary.stats();
        long infeasible = st.infeasible();
        // Every genome the searcher proposed: handed out, discarded as infeasible, or discarded as asked
        // before (a repaired genome can be a repeat, so repairs are not bounded by the candidates handed out).
        long generated = st.asked() + st.rejectedInfeasible() + st.duplicates();
        out.printf(Locale.ROOT, "infeasible at %d bytes (never trained): %d of %d genomes proposed"
                        + " (%.1f%%; %d repaired into feasible ones, %d discarded; %d repeats discarded)%n",
                budgetBytes, infeasible, generated, generated == 0 ? 0.0 : 100.0 * infeasible / generated,
                st.repaired(), st.rejectedInfeasible(), st.duplicates());
        out.println("tables: " + warehouse + " (runs, fronts, searches); query with"
                + " 'tinysparse sql --warehouse " + warehouse + " \"SELECT * FROM pareto\"'");
    }
}
