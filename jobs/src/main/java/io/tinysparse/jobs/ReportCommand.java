package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.core.provenance.BuildInfo;
import io.tinysparse.results.FrontRecord;
import io.tinysparse.results.ResultStore;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.SearchRecord;
import io.tinysparse.results.Warehouse;
import io.tinysparse.results.report.EChartsLibrary;
import io.tinysparse.results.report.ReportFile;
import io.tinysparse.results.report.ReportPage;
import io.tinysparse.results.report.SearchReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tinysparse report}: one self-contained HTML page about a search ({@link ReportPage}),
 * read from any warehouse through {@link ResultStore} (so it runs under {@code spark-submit}
 * against a cluster's warehouse as well), written atomically to {@code OUT/SEARCH_ID.html} on the
 * driver's file system. The page opens from disk without a network.
 *
 * <p>Bad input (exit 2, nothing written): an invalid search id, a search the warehouse does not
 * hold, a warehouse that is not an existing directory, an {@code --out} that is a file or cannot
 * be created or written. Local paths are checked before Spark starts.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Writes one self-contained HTML page about a search (opens from disk, no network): accuracy vs peak SRAM"
                    + " of every run with the front and the SRAM budget (a panel per fidelity), hypervolume per"
                    + " generation, a chosen front member's per-layer SRAM by buffer kind, validation curve, coverage,"
                    + " updated weights, MACs and device time, and the front with each policy in human terms.",
            "Prints the file it wrote."
        })
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--search-id", paramLabel = "ID", required = true, description = "The search to report.")
    String searchId;

    @Mixin
    SparkOptions spark;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for SEARCH_ID.html, on the driver's file system; created if missing"
                    + " (default: ${DEFAULT-VALUE}).")
    String out = TinysparseHome.home().resolve("reports").toString();

    @Override
    public Integer call() {
        Warehouse.checkSearchId(searchId);
        WarehouseLocation.requireWritableDirectory("--out", out, Files::isWritable);
        Path outDir = WarehouseLocation.localPath("--out", out);
        if (outDir == null) {
            throw new InvalidInputException("--out " + out + " is not a local directory (the report is written on the"
                    + " driver's file system)");
        }
        String warehouse = spark.warehouse();
        SparkSession session = spark.sessionReading("tinysparse-report", searchId);
        try {
            ResultStore store = new ResultStore(session, warehouse);
            SearchRecord latest = store.latestCommit(searchId)
                    .orElseThrow(() -> WarehouseLocation.searchNotFound(warehouse, searchId));
            // up to the latest commit: a running search writes a generation's runs and fronts before it
            List<RunRecord> runs = store.runsOf(searchId, latest.generation());
            List<FrontRecord> fronts = store.frontsOf(searchId, latest.generation());
            String html = ReportPage.render(new SearchReport(latest, runs, fronts), EChartsLibrary.fromClasspath(),
                    "tinysparse " + BuildInfo.current().describe(), Instant.now());
            Path file = ReportFile.write(outDir, "--out", searchId, html);
            System.out.printf("report of search %s (%d runs, %d fronts): %s%n", searchId, runs.size(), fronts.size(),
                    file.toAbsolutePath());
            return CommandRunner.OK;
        } finally {
            session.stop();
        }
    }

    public static void main(String[] args) {
        CommandRunner.main(new ReportCommand(), args);
    }
}
