package io.tinysparse.results;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import io.tinysparse.results.Warehouse.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where each run id is stored in a warehouse's {@code runs} table, over every search but one:
 * what lets a search reuse a run that another search has trained instead of training it again.
 *
 * <p>Built once per search ({@link ResultStore#runIndexFor}): every committed {@code runs} partition of the other
 * searches is checked against its manifest ({@link Warehouse#damage}), and of the sound ones only
 * the columns that place a run ({@code run_id}, {@code created_at} and the partition) are read, in
 * one Spark job; no partition is read again until {@link #fetch} reads the full rows of the
 * partitions that hold the runs asked for, checking those partitions once more. A generation of
 * the search costs one small read of the partitions holding its hits, not a read of the warehouse.
 *
 * <p>Damage: a damaged partition of another search is left out of the index and reported
 * ({@link #skipped}); its runs are then not found, and the search that asked trains them itself.
 * It is never read as fewer rows, and it is not an error for the search reading the index: the
 * damaged search is repaired on its own ({@code tinysparse repair}).
 *
 * <p>Visibility: committed partitions only (a partition is complete or absent; {@code _staging}
 * is never listed). A partition committed after the index was built is not seen, so two searches
 * running at once may both train the same run; each then stores its own row in its own partition
 * with itself as {@code trained_by}, and since no file is shared between searches the race leaves
 * two correct rows, never a damaged one. The runs partition of a generation whose
 * {@code searches} commit is still to come is visible: its runs are complete and verified,
 * whatever becomes of the rest of that generation.
 *
 * <p>Copies: when several searches store a run id (one trained it, others reused it; or two
 * trained it at once), the index points at the row with the earliest {@code created_at} (then
 * the least search id and generation), whose {@code trained_by} is the first search to train it.
 */
public final class RunIndex {
    /** A committed partition of the {@code runs} table. */
    public record Location(String searchId, int generation) {}

    private final SparkSession spark;
    private final Warehouse warehouse;
    private final Map<String, Location> byRunId;
    private final List<DamagedPartitionException> skipped;
    private final int partitions;

    private RunIndex(SparkSession spark, Warehouse warehouse, Map<String, Location> byRunId,
            List<DamagedPartitionException> skipped, int partitions) {
        this.spark = spark;
        this.warehouse = warehouse;
        this.byRunId = byRunId;
        this.skipped = List.copyOf(skipped);
        this.partitions = partitions;
    }

    /**
     * The index of every run stored by a search other than {@code excludedSearchId} (the search
     * that will use it, whose own runs it reads as its own) in the committed, sound partitions
     * of {@code warehouse}.
     */
    static RunIndex of(SparkSession spark, Warehouse warehouse, String excludedSearchId) {
        Warehouse.checkSearchId(excludedSearchId);
        List<DamagedPartitionException> skipped = new ArrayList<>();
        List<String> sound = new ArrayList<>();
        try {
            if (warehouse.tableExists(Table.RUNS)) {
                LegacyPartitions legacy = LegacyPartitions.of(warehouse.fileSystem(), warehouse.root());
                for (String search : searchIds(warehouse)) {
                    if (search.equals(excludedSearchId)) {
                        continue;
                    }
                    for (int g : warehouse.committedGenerations(Table.RUNS, search)) {
                        DamagedPartitionException d = warehouse.damage(Table.RUNS, search, g, legacy);
                        if (d == null) {
                            sound.add(warehouse.partitionPath(Table.RUNS, search, g).toString());
                        } else {
                            skipped.add(d);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Location> byRunId = new HashMap<>();
        if (!sound.isEmpty()) {
            Map<String, String> interned = new HashMap<>();
            // Per run id, the copy trained first: struct ordering compares created_at, then search, then generation.
            for (Row r : read(spark, warehouse, sound)
                    .groupBy(col(RunsTable.RUN_ID.name()))
                    .agg(min(struct(col(RunsTable.CREATED_AT.name()), col(TableSchema.SEARCH_ID),
                            col(TableSchema.GENERATION))).as("first"))
                    .collectAsList()) {
                Row first = r.getStruct(1);
                String search = interned.computeIfAbsent(first.getString(1), s -> s);
                byRunId.put(r.getString(0), new Location(search, first.getInt(2)));
            }
        }
        return new RunIndex(spark, warehouse, byRunId, skipped, sound.size());
    }

    /** The search ids with a directory in the {@code runs} table, in order. */
    private static Set<String> searchIds(Warehouse warehouse) throws IOException {
        Set<String> out = new TreeSet<>();
        for (FileStatus s : warehouse.fileSystem().listStatus(warehouse.tablePath(Table.RUNS))) {
            String name = s.getPath().getName();
            if (s.isDirectory() && name.startsWith("search_id=")) {
                out.add(name.substring("search_id=".length()));
            }
        }
        return out;
    }

    /** The {@code runs} table restricted to the given partition directories (already verified). */
    private static org.apache.spark.sql.Dataset<Row> read(SparkSession spark, Warehouse warehouse,
            List<String> partitionPaths) {
        return spark.read().schema(RunsTable.SCHEMA.tableSchema())
                .option("basePath", warehouse.tablePath(Table.RUNS).toString())
                .parquet(partitionPaths.toArray(new String[0]));
    }

    /** Where the indexed copy of run {@code runId} is, if the index has it. */
    public Optional<Location> locate(String runId) {
        return Optional.ofNullable(byRunId.get(runId));
    }

    /** Distinct run ids indexed. */
    public int size() {
        return byRunId.size();
    }

    /** Sound partitions indexed. */
    public int partitions() {
        return partitions;
    }

    /** The damaged partitions of other searches left out of the index, in the order found. */
    public List<DamagedPartitionException> skipped() {
        return skipped;
    }

    /**
     * The stored rows of those of {@code runIds} that the index has, by run id, each as its
     * search stored it (its {@code search_id} and {@code generation} are that search's). Reads only
     * the partitions holding them, after checking each against its manifest once more: a partition
     * damaged or dropped since the index was built, or that cannot be read, is reported to
     * {@code warnings} and its runs are left out (the caller trains them), never an error.
     */
    public Map<String, RunRecord> fetch(Collection<String> runIds, Consumer<String> warnings) {
        Map<Location, List<String>> wanted = new LinkedHashMap<>();
        for (String id : runIds) {
            Location at = byRunId.get(id);
            if (at != null) {
                wanted.computeIfAbsent(at, l -> new ArrayList<>()).add(id);
            }
        }
        if (wanted.isEmpty()) {
            return Map.of();
        }
        List<String> paths = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            LegacyPartitions legacy = LegacyPartitions.of(warehouse.fileSystem(), warehouse.root());
            for (Map.Entry<Location, List<String>> e : wanted.entrySet()) {
                Location at = e.getKey();
                if (!warehouse.isCommitted(Table.RUNS, at.searchId(), at.generation())) {
                    warnings.accept("runs of search '" + at.searchId() + "' generation " + at.generation()
                            + " not reused (the partition was dropped since the search started): trained instead");
                    continue;
                }
                DamagedPartitionException d = warehouse.damage(Table.RUNS, at.searchId(), at.generation(), legacy);
                if (d != null) {
                    warnings.accept(notReused(d));
                    continue;
                }
                paths.add(warehouse.partitionPath(Table.RUNS, at.searchId(), at.generation()).toString());
                ids.addAll(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (paths.isEmpty()) {
            return Map.of();
        }
        Map<String, RunRecord> out = new HashMap<>();
        try {
            for (Row row : read(spark, warehouse, paths).where(col(RunsTable.RUN_ID.name()).isin(ids.toArray()))
                    .collectAsList()) {
                RunRecord r = RunRecord.fromTableRow(row);
                // A partition may hold another copy of a run indexed elsewhere; keep the indexed copy only.
                if (new Location(r.searchId(), r.generation()).equals(byRunId.get(r.runId()))) {
                    out.put(r.runId(), r);
                }
            }
        } catch (RuntimeException e) {
            // Another search's rows being unreadable here (a repair racing this read, rows of a newer
            // schema version) is that search's business: this one trains the runs instead.
            warnings.accept("runs of other searches not reused, trained instead: reading " + paths.size()
                    + " partition(s) failed: " + e.getMessage());
            return Map.of();
        }
        return out;
    }

    /** The line that says a damaged partition of another search is not reused, and how to repair it. */
    public static String notReused(DamagedPartitionException d) {
        return "runs of search '" + d.searchId() + "' generation " + d.generation() + " not reused (its file "
                + d.file() + " is damaged: " + d.reason() + "; 'tinysparse repair --search-id " + d.searchId()
                + "' drops it): trained instead if needed";
    }
}
