package io.tinysparse.jobs;

import io.tinysparse.search.SearchStats;
import io.tinysparse.search.driver.GenerationDriver;
import io.tinysparse.search.driver.RunFront;
import java.io.PrintStream;
import java.util.Locale;

/**
 * What {@code tinysparse search} prints when a search has finished: the runs it trained and the
 * time they took, its last front on validation
 * accuracy (mean, 95 % interval, replicates, test accuracy, SRAM, ties, policy), how many
 * candidates the SRAM budget ruled out, and where the tables are.
 */
final class SearchSummaryReport {
    private SearchSummaryReport() {}

    /**
     * Prints the summary of search {@code id}, which took {@code setupSeconds} to set up and
     * {@code loopSeconds} for its generations and commits, under an SRAM budget of
     * {@code budgetBytes}, stored in {@code warehouse}.
     */
    static void print(PrintStream out, String id, GenerationDriver.Summary<StoredRun> summary, double setupSeconds,
            double loopSeconds, long budgetBytes, String warehouse) {
        out.printf(Locale.ROOT, "search %s: %d runs trained in %.1f s (setup %.1f s, generations and commits %.1f s)%n",
                id, summary.trained(), setupSeconds + loopSeconds, setupSeconds, loopSeconds);
        if (!summary.fronts().isEmpty()) {
            RunFront<StoredRun> f = summary.fronts().get(summary.fronts().size() - 1);
            out.printf(Locale.ROOT, "Pareto front of %s after generation %d%s, on validation accuracy (hypervolume %.4g):%n", id,
                    summary.lastGeneration(), f.fidelity() > 0 ? ", fidelity level " + f.fidelity() : "",
                    f.hypervolume());
            out.printf(Locale.ROOT, "  %-8s %-8s %-3s %-8s %-10s %-22s %s%n", "val acc", "+-95%", "n",
                    "test acc", "SRAM (KiB)", "", "policy");
            for (RunFront.Member<StoredRun> m : f.members()) {
                out.printf(Locale.ROOT, "  %-8.4f %-8s %-3d %-8.4f %-10.1f %-22s %s%n", m.validation().mean(),
                        m.validation().n() > 1 ? String.format(Locale.ROOT, "%.4f", m.validation().halfWidth()) : "-",
                        m.validation().n(), m.test().mean(), m.arenaBytes() / 1024.0,
                        m.isTie() ? "tie of " + m.tiedWith().substring(0, 12) : "",
                        m.run().policyJson().replaceAll("\\s+", ""));
            }
        }
        SearchStats st = summary.stats();
        long infeasible = st.repaired() + st.rejectedInfeasible();
        long generated = st.told() + st.rejectedInfeasible();
        out.printf(Locale.ROOT, "infeasible at %d bytes (never trained): %d of %d candidates generated"
                        + " (%.1f%%; %d repaired into feasible ones, %d discarded)%n",
                budgetBytes, infeasible, generated, generated == 0 ? 0.0 : 100.0 * infeasible / generated,
                st.repaired(), st.rejectedInfeasible());
        out.println("tables: " + warehouse + " (runs, fronts, searches); query with"
                + " 'tinysparse sql --warehouse " + warehouse + " \"SELECT * FROM pareto\"'");
    }
}
