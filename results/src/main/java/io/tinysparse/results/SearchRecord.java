package io.tinysparse.results;

import java.sql.Timestamp;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One commit of a search: written after each generation, so the {@code searches} table is an
 * append-only log and the {@code searches} view shows each search's latest commit. The commit of
 * generation G is the point at which G counts as done: a search resumes from the searcher state
 * of its latest commit.
 *
 * @param searchId the search
 * @param generation the last completed generation
 * @param status {@code running}, {@code finished} or {@code failed}
 * @param configJson the search configuration as given (JSON)
 * @param stateJson the searcher's serialised state after this generation (JSON)
 * @param runsDone runs evaluated so far
 * @param infeasibleRejected candidates rejected by the memory model before training, so far
 * @param candidatesConsidered candidates the searcher considered so far (trained + rejected)
 * @param startedAt when the search first started
 * @param updatedAt when this commit was written
 */
public record SearchRecord(
        String searchId,
        int generation,
        String status,
        String configJson,
        String stateJson,
        long runsDone,
        long infeasibleRejected,
        long candidatesConsidered,
        Timestamp startedAt,
        Timestamp updatedAt) {

    public SearchRecord {
        Objects.requireNonNull(searchId, "searchId");
        Objects.requireNonNull(status, "status");
    }

    /** Columns stored in the files (without the partition columns). */
    public static final StructType FILE_SCHEMA = new StructType(new StructField[] {
        new StructField("status", DataTypes.StringType, false, Metadata.empty()),
        new StructField("config_json", DataTypes.StringType, false, Metadata.empty()),
        new StructField("state_json", DataTypes.StringType, false, Metadata.empty()),
        new StructField("runs_done", DataTypes.LongType, false, Metadata.empty()),
        new StructField("infeasible_rejected", DataTypes.LongType, false, Metadata.empty()),
        new StructField("candidates_considered", DataTypes.LongType, false, Metadata.empty()),
        new StructField("started_at", DataTypes.TimestampType, false, Metadata.empty()),
        new StructField("updated_at", DataTypes.TimestampType, false, Metadata.empty()),
        new StructField("schema_version", DataTypes.IntegerType, false, Metadata.empty())
    });

    /** The table as read: the file columns plus the partition columns. */
    public static final StructType TABLE_SCHEMA = TableSchemas.withPartitionColumns(FILE_SCHEMA);

    /** The row as stored in a file. */
    public Row toFileRow() {
        return RowFactory.create(status, configJson, stateJson, runsDone, infeasibleRejected, candidatesConsidered,
                startedAt, updatedAt, RunRecord.SCHEMA_VERSION);
    }

    /** Reads a row of the table as read with {@link #TABLE_SCHEMA}. */
    public static SearchRecord fromTableRow(Row r) {
        return new SearchRecord(r.getAs("search_id"), r.<Integer>getAs("generation"), r.getAs("status"),
                r.getAs("config_json"), r.getAs("state_json"), r.<Long>getAs("runs_done"),
                r.<Long>getAs("infeasible_rejected"), r.<Long>getAs("candidates_considered"),
                r.getAs("started_at"), r.getAs("updated_at"));
    }
}
