package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.results.DamagedPartitionException;
import io.tinysparse.results.SearchRepair;
import io.tinysparse.results.Warehouse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tinysparse repair}: drops a search's damaged generation and every later one
 * ({@link SearchRepair}), under the search's lease, so that the next {@code search} with the same
 * id recomputes them. Needs no Spark: it works on the warehouse's files through Hadoop's file
 * system. A search whose partitions all match their manifests is left unchanged.
 */
@Command(
        name = "repair",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Drops a search's damaged generation and every later one (runs, fronts, searches), so that"
                + " the next 'search' with the same id recomputes them.")
public final class RepairCommand implements Callable<Integer> {
    @Option(names = "--search-id", paramLabel = "ID", required = true, description = "The search to repair.")
    String searchId;

    @Option(names = "--warehouse", paramLabel = "PATH",
            description = "Warehouse of result tables, local or any Hadoop path (default: ${DEFAULT-VALUE}).")
    String warehouse = TinysparseHome.warehouse();

    @Override
    public Integer call() throws IOException {
        Warehouse.checkSearchId(searchId);
        Warehouse wh = new Warehouse(warehouse, new Configuration());
        FileStatus root;
        try {
            root = wh.fileSystem().getFileStatus(wh.root());
        } catch (java.io.FileNotFoundException e) {
            throw new InvalidInputException("warehouse '" + warehouse + "' does not exist");
        }
        if (!root.isDirectory()) {
            throw new InvalidInputException("warehouse '" + warehouse + "' is not a directory");
        }
        boolean any = false;
        for (Warehouse.Table t : Warehouse.Table.values()) {
            any |= !wh.committedGenerations(t, searchId).isEmpty();
        }
        if (!any) {
            throw new InvalidInputException("search '" + searchId + "' has no committed partition in warehouse '"
                    + warehouse + "'");
        }
        try (SearchLease lease = SearchLease.acquire(wh.fileSystem(), wh.root(), searchId, Duration.ofMinutes(30))) {
            SearchRepair.Outcome outcome = SearchRepair.repair(wh, searchId);
            if (outcome.damage().isEmpty()) {
                System.out.println("search " + searchId + ": every committed partition matches its manifest;"
                        + " nothing to repair");
                return CommandRunner.OK;
            }
            for (DamagedPartitionException d : outcome.damage()) {
                System.out.println("damaged: " + d.file() + ": " + d.reason());
            }
            System.out.println("search " + searchId + ": dropped generation " + outcome.fromGeneration()
                    + " and later (" + String.join(", ", outcome.dropped()) + "); run the same 'tinysparse search"
                    + " --search-id " + searchId + "' to recompute them");
        }
        return CommandRunner.OK;
    }

    public static void main(String[] args) {
        CommandRunner.main(new RepairCommand(), args);
    }
}
