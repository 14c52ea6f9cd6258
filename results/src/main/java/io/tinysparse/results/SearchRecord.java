package io.tinysparse.results;

import static io.tinysparse.results.ColumnType.LONG;
import static io.tinysparse.results.ColumnType.STRING;
import static io.tinysparse.results.ColumnType.TIMESTAMP;

import io.tinysparse.results.Warehouse.Table;
import java.sql.Timestamp;
import java.util.Objects;
import org.apache.spark.sql.Row;

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

    private static final ColumnList.Builder<SearchRecord> COLUMNS = ColumnList.builder();
    private static final Column<SearchRecord, String> STATUS = COLUMNS.required("status", STRING,
            SearchRecord::status);
    private static final Column<SearchRecord, String> CONFIG_JSON = COLUMNS.required("config_json", STRING,
            SearchRecord::configJson);
    private static final Column<SearchRecord, String> STATE_JSON = COLUMNS.required("state_json", STRING,
            SearchRecord::stateJson);
    private static final Column<SearchRecord, Long> RUNS_DONE = COLUMNS.required("runs_done", LONG,
            SearchRecord::runsDone);
    private static final Column<SearchRecord, Long> INFEASIBLE_REJECTED = COLUMNS.required("infeasible_rejected",
            LONG, SearchRecord::infeasibleRejected);
    private static final Column<SearchRecord, Long> CANDIDATES_CONSIDERED = COLUMNS.required(
            "candidates_considered", LONG, SearchRecord::candidatesConsidered);
    private static final Column<SearchRecord, Timestamp> STARTED_AT = COLUMNS.required("started_at", TIMESTAMP,
            SearchRecord::startedAt);
    private static final Column<SearchRecord, Timestamp> UPDATED_AT = COLUMNS.required("updated_at", TIMESTAMP,
            SearchRecord::updatedAt);

    /** The table (version 1: the columns of tinysparse 0.1). */
    public static final TableSchema<SearchRecord> SCHEMA =
            new TableSchema<>(Table.SEARCHES, 1, COLUMNS.build(), SearchRecord::searchId, SearchRecord::generation);

    public SearchRecord {
        Objects.requireNonNull(searchId, "searchId");
        Objects.requireNonNull(status, "status");
    }

    /** Reads a row of the table as read with {@link #SCHEMA}'s table schema. */
    public static SearchRecord fromTableRow(Row row) {
        return SCHEMA.read(row, r -> new SearchRecord(TableSchema.searchId(r), TableSchema.generation(r),
                STATUS.read(r), CONFIG_JSON.read(r), STATE_JSON.read(r), RUNS_DONE.read(r), INFEASIBLE_REJECTED.read(r),
                CANDIDATES_CONSIDERED.read(r), STARTED_AT.read(r), UPDATED_AT.read(r)));
    }
}
