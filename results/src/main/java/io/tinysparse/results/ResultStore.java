package io.tinysparse.results;

import static org.apache.spark.sql.functions.col;

import io.tinysparse.results.Warehouse.Table;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The typed record of searches over a {@link Warehouse}: commits a generation's runs, fronts and
 * search state, reads them back for resuming, and registers the SQL views.
 *
 * <p>Commit protocol of generation G of search S, in this order: {@code runs}, then
 * {@code fronts}, then {@code searches}. Each is an atomic, write-once partition; the
 * {@code searches} partition is the commit point. A crash before it leaves G uncommitted and the
 * search resumes from G-1's state; since candidates and run ids are deterministic, the re-asked
 * runs of G are found in {@code runs} (by {@link #runsOf}) and not trained again, and the
 * write-once partitions make the replay write nothing twice.
 *
 * <p>Views registered by {@link #registerViews}: {@code runs} (every run), {@code searches}
 * (latest commit of each search, with its {@code precision} and, for a search over pruned
 * backbones, its {@code prune_ratios} and their {@code backbone_hashes}), {@code pareto} (the
 * latest front of each search and fidelity, one row per member, with the search's precision and
 * the member's {@code prune_ratio}), {@code hypervolume} (front hypervolume per search, generation and
 * fidelity, in accuracy x bytes and as {@code hypervolume_fraction}, the fraction of the box
 * accuracy 0..1 x 0..budget bytes [x 0..time_reference_ms for a search with time]: {@link
 * FrontRecord#hypervolumeFraction}; {@code objectives} names them), {@code dense_reference} (the dense fine-tuning reference reported beside a finished
 * search's front: replicate statistics and SRAM by both estimators), {@code run_usage} (per run
 * id, the search that first trained it and every search that used it: see {@link #RUN_USAGE}),
 * and the raw logs {@code searches_log} and {@code fronts_log}.
 */
public final class ResultStore {
    /** The latest front of each search and fidelity, as {@code f}. */
    /**
     * A search's arithmetic from its configuration: {@code fp32}, {@code int8} or {@code int8+qas}
     * (an int8 search records its {@code quantization}; fp32 searches, and searches made before
     * int8 existed, have none).
     */
    private static final String PRECISION = "CASE WHEN get_json_object(s.config_json, '$.quantization') IS NULL"
            + " THEN 'fp32' WHEN get_json_object(s.config_json, '$.quantization.qas') = 'true' THEN"
            + " concat(get_json_object(s.config_json, '$.quantization.precision'), '+qas')"
            + " ELSE get_json_object(s.config_json, '$.quantization.precision') END";

    /**
     * The pruning ratios a search over pruned backbones searched ({@code search --prune-ratios}),
     * ascending, and the content hash of each ratio's backbone; null for any other search.
     */
    private static final String PRUNE_RATIOS = "from_json(get_json_object(s.config_json, '$.prune_ratios'),"
            + " 'array<double>')";
    private static final String BACKBONE_HASHES = "from_json(get_json_object(s.config_json, '$.backbone_hashes'),"
            + " 'array<string>')";

    private static final String LATEST_FRONTS = "fronts_log f JOIN "
            + "(SELECT search_id AS sid, fidelity AS fid, MAX(generation) AS g FROM fronts_log "
            + "GROUP BY search_id, fidelity) latest "
            + "ON f.search_id = latest.sid AND f.fidelity = latest.fid AND f.generation = latest.g";

    /**
     * The {@code run_usage} view: one row per run id, with {@code first_trained_by} and
     * {@code first_trained_at} (the search that trained it first, and when), {@code trainers}
     * (every search that trained it: more than one when searches running at once both did),
     * {@code used_by} (every search that stores it, trained or reused, sorted) and
     * {@code searches} (their count). Rows from before {@code trained_by} count as trained by
     * their own search.
     */
    public static final String RUN_USAGE = "SELECT run_id, "
            + "min(named_struct('at', created_at, 'by', coalesce(trained_by, search_id))).by AS first_trained_by, "
            + "min(created_at) AS first_trained_at, "
            + "array_sort(collect_set(coalesce(trained_by, search_id))) AS trainers, "
            + "array_sort(collect_set(search_id)) AS used_by, count(DISTINCT search_id) AS searches "
            + "FROM runs GROUP BY run_id";

    private final SparkSession spark;
    private final Warehouse warehouse;

    public ResultStore(SparkSession spark, String warehouseLocation) {
        this.spark = spark;
        this.warehouse = new Warehouse(warehouseLocation, spark.sparkContext().hadoopConfiguration());
    }

    /** The warehouse this store reads and writes. */
    public Warehouse warehouse() {
        return warehouse;
    }

    /**
     * Commits generation {@code search.generation()} of {@code search.searchId()}: its runs, its
     * fronts, and the search record, each write-once.
     *
     * @return true if the search commit was written by this call, false if it already existed
     */
    public boolean commitGeneration(SearchRecord search, Collection<RunRecord> runs, Collection<FrontRecord> fronts) {
        String id = search.searchId();
        int g = search.generation();
        List<Row> runRows = new ArrayList<>(runs.size());
        for (RunRecord r : runs) {
            if (!r.searchId().equals(id) || r.generation() != g) {
                throw new IllegalArgumentException("run " + r.runId() + " belongs to search " + r.searchId()
                        + " generation " + r.generation() + ", not " + id + " generation " + g);
            }
            runRows.add(RunsTable.SCHEMA.toFileRow(r));
        }
        if (!runRows.isEmpty()) {
            warehouse.commitPartition(Table.RUNS, id, g, spark.createDataFrame(runRows, RunsTable.SCHEMA.fileSchema()));
        }
        List<Row> frontRows = new ArrayList<>(fronts.size());
        for (FrontRecord f : fronts) {
            frontRows.add(FrontRecord.SCHEMA.toFileRow(f));
        }
        if (!frontRows.isEmpty()) {
            warehouse.commitPartition(Table.FRONTS, id, g,
                    spark.createDataFrame(frontRows, FrontRecord.SCHEMA.fileSchema()));
        }
        return warehouse.commitPartition(Table.SEARCHES, id, g, spark.createDataFrame(
                List.of(SearchRecord.SCHEMA.toFileRow(search)), SearchRecord.SCHEMA.fileSchema()));
    }

    /** The latest commit of a search, if it has one. */
    public Optional<SearchRecord> latestCommit(String searchId) {
        List<Integer> gens = warehouse.committedGenerations(Table.SEARCHES, searchId);
        if (gens.isEmpty()) {
            return Optional.empty();
        }
        int g = gens.get(gens.size() - 1);
        List<Row> rows = readSearch(SearchRecord.SCHEMA, searchId).where("generation = " + g).collectAsList();
        if (rows.size() != 1) {
            // Verified against its manifest, so only a partition committed with a wrong row count gets here.
            throw new IllegalStateException("searches partition of search '" + searchId + "' generation " + g
                    + " holds " + rows.size() + " rows, not 1");
        }
        return Optional.of(SearchRecord.fromTableRow(rows.get(0)));
    }

    /** Every stored run of a search, committed generation or not (for resuming without retraining). */
    public List<RunRecord> runsOf(String searchId) {
        return runsOf(searchId, Integer.MAX_VALUE);
    }

    /**
     * The runs search {@code searchId} stored in generations up to {@code lastGeneration}: with
     * the search's latest {@code searches} commit, a consistent view of a search that is still
     * running (its next generation's runs and front are written before that commit).
     */
    public List<RunRecord> runsOf(String searchId, int lastGeneration) {
        List<RunRecord> out = new ArrayList<>();
        if (warehouse.committedGenerations(Table.RUNS, searchId).isEmpty()) {
            return out;
        }
        for (Row r : readSearch(RunsTable.SCHEMA, searchId)
                .where(col(TableSchema.GENERATION).leq(lastGeneration))
                .collectAsList()) {
            out.add(RunRecord.fromTableRow(r));
        }
        return out;
    }

    /**
     * The index of the runs stored by every search but {@code searchId}, for that search to reuse
     * ({@link RunIndex}): built now, reading only the placing columns of the sound partitions.
     */
    public RunIndex runIndexFor(String searchId) {
        return RunIndex.of(spark, warehouse, searchId);
    }

    /** Every front of a search, by generation. */
    public List<FrontRecord> frontsOf(String searchId) {
        return frontsOf(searchId, Integer.MAX_VALUE);
    }

    /** The fronts of search {@code searchId} up to generation {@code lastGeneration} (see {@link #runsOf(String, int)}). */
    public List<FrontRecord> frontsOf(String searchId, int lastGeneration) {
        List<FrontRecord> out = new ArrayList<>();
        if (warehouse.committedGenerations(Table.FRONTS, searchId).isEmpty()) {
            return out;
        }
        for (Row r : readSearch(FrontRecord.SCHEMA, searchId)
                .where(col(TableSchema.GENERATION).leq(lastGeneration))
                .orderBy("generation", "fidelity")
                .collectAsList()) {
            out.add(FrontRecord.fromTableRow(r));
        }
        return out;
    }

    /**
     * A table as a DataFrame with its schema; empty (with that schema) when nothing is committed.
     * Every committed partition is first verified against its manifest ({@link Warehouse#verify}).
     * Columns that a row's schema version predates read as null; the versions are not checked
     * here (the record readers and {@link #registerViews} check them).
     *
     * @throws DamagedPartitionException naming the first damaged file
     */
    public Dataset<Row> read(TableSchema<?> schema) {
        if (!warehouse.tableExists(schema.table())) {
            return spark.createDataFrame(List.of(), schema.tableSchema());
        }
        warehouse.verify(schema.table());
        String path = warehouse.tablePath(schema.table()).toString();
        return spark.read().schema(schema.tableSchema()).option("basePath", path).parquet(path);
    }

    /** {@link #read} of one search's partitions only (verifying only those), when it has one. */
    private Dataset<Row> readSearch(TableSchema<?> schema, String searchId) {
        warehouse.verify(schema.table(), searchId);
        String table = warehouse.tablePath(schema.table()).toString();
        return spark.read().schema(schema.tableSchema()).option("basePath", table)
                .parquet(warehouse.searchPath(schema.table(), searchId).toString());
    }

    /**
     * Registers the views {@code runs}, {@code searches}, {@code pareto}, {@code hypervolume},
     * {@code dense_reference}, {@code run_usage}, and the raw logs.
     *
     * @throws io.tinysparse.core.InvalidInputException naming the version if a table holds rows
     *     of a newer schema version than this code reads
     */
    public void registerViews() {
        readChecked(RunsTable.SCHEMA).createOrReplaceTempView("runs");
        readChecked(SearchRecord.SCHEMA).createOrReplaceTempView("searches_log");
        readChecked(FrontRecord.SCHEMA).createOrReplaceTempView("fronts_log");
        spark.sql("CREATE OR REPLACE TEMP VIEW searches AS "
                + "SELECT s.*, " + PRECISION + " AS precision, " + PRUNE_RATIOS + " AS prune_ratios, "
                + BACKBONE_HASHES + " AS backbone_hashes FROM searches_log s JOIN "
                + "(SELECT search_id AS sid, MAX(generation) AS g FROM searches_log GROUP BY search_id) m "
                + "ON s.search_id = m.sid AND s.generation = m.g");
        spark.sql("CREATE OR REPLACE TEMP VIEW hypervolume AS "
                + "SELECT search_id, generation, fidelity, hypervolume, size(members) AS front_size, budget_bytes, "
                + "hypervolume / budget_bytes / coalesce(time_reference_ms / 1000, 1) AS hypervolume_fraction, "
                + "CASE WHEN time_reference_ms IS NULL THEN 'accuracy,memory' ELSE 'accuracy,memory,time' END"
                + " AS objectives, time_reference_ms FROM fronts_log");
        // A member's pruning ratio: the ratio of its run's backbone in its search's prune_ratios.
        spark.sql("CREATE OR REPLACE TEMP VIEW pareto AS "
                + "SELECT q.search_id, q.generation, q.fidelity, q.hypervolume, q.run_id, q.validation_accuracy,"
                + " q.validation_sd, q.validation_low, q.validation_high, q.test_accuracy, q.test_sd, q.test_low,"
                + " q.test_high, q.replicates, q.tie, q.tied_with, q.arena_bytes, q.lin2022_bytes, q.device_time_ms,"
                + " q.policy_json, q.precision, CASE WHEN array_position(q.backbone_hashes, r.backbone_hash) > 0"
                + " THEN element_at(q.prune_ratios, CAST(array_position(q.backbone_hashes, r.backbone_hash) AS INT))"
                + " END AS prune_ratio FROM ("
                + "SELECT f.search_id, f.generation, f.fidelity, f.hypervolume, m.run_id, "
                + memberStatistics("m") + ", m.tied_with IS NOT NULL AS tie, m.tied_with, "
                + "m.arena_bytes, m.lin2022_bytes, m.device_time_ms, m.policy_json, p.precision, p.prune_ratios,"
                + " p.backbone_hashes "
                + "FROM " + LATEST_FRONTS + " LEFT JOIN (SELECT search_id AS psid, precision, prune_ratios,"
                + " backbone_hashes FROM searches) p"
                + " ON f.search_id = p.psid LATERAL VIEW explode(f.members) t AS m) q LEFT JOIN"
                + " (SELECT search_id AS rsid, run_id AS rid, first(backbone_hash) AS backbone_hash FROM runs"
                + " GROUP BY search_id, run_id) r ON q.search_id = r.rsid AND q.run_id = r.rid");
        spark.sql("CREATE OR REPLACE TEMP VIEW dense_reference AS "
                + "SELECT f.search_id, f.generation, f.fidelity, f.reference.run_id, "
                + memberStatistics("f.reference") + ", f.reference.arena_bytes, f.reference.lin2022_bytes, "
                + "f.budget_bytes, f.reference.device_time_ms "
                + "FROM " + LATEST_FRONTS + " WHERE f.reference IS NOT NULL");
        spark.sql("CREATE OR REPLACE TEMP VIEW run_usage AS " + RUN_USAGE);
    }

    /** The replicate statistics of front member {@code m} as the views show them (mean, sd, 95 % interval, count). */
    private static String memberStatistics(String m) {
        return m + ".validation_accuracy, " + m + ".validation_sd, "
                + m + ".validation_accuracy - " + m + ".validation_ci95 AS validation_low, "
                + m + ".validation_accuracy + " + m + ".validation_ci95 AS validation_high, "
                + m + ".test_accuracy, " + m + ".test_sd, "
                + m + ".test_accuracy - " + m + ".test_ci95 AS test_low, "
                + m + ".test_accuracy + " + m + ".test_ci95 AS test_high, "
                + "coalesce(" + m + ".replicates, 1) AS replicates";
    }

    /** {@link #read} after checking that no row is of a newer schema version than this code's. */
    private Dataset<Row> readChecked(TableSchema<?> schema) {
        Dataset<Row> table = read(schema);
        Row newest = table.agg(functions.max(TableSchema.SCHEMA_VERSION)).first();
        if (!newest.isNullAt(0)) {
            schema.checkVersion(newest.getInt(0), "warehouse table " + schema.table().dir());
        }
        return table;
    }
}
