package io.tinysparse.results;

import static io.tinysparse.results.ColumnType.DOUBLE;
import static io.tinysparse.results.ColumnType.INT;
import static io.tinysparse.results.ColumnType.LONG;
import static io.tinysparse.results.ColumnType.STRING;

import io.tinysparse.results.Warehouse.Table;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Row;

/**
 * One row of the {@code fronts} table: the Pareto set of one search at one generation and one
 * fidelity, with its hypervolume. Objectives: maximise test accuracy, minimise peak SRAM
 * (arena estimator, bytes), and optionally minimise device time per step.
 *
 * @param searchId the search
 * @param generation the generation after which the front was taken (cumulative over all runs so far)
 * @param fidelity the fidelity level the front is computed on
 * @param hypervolume dominated hypervolume w.r.t. {@code (accuracy 0, memory = budget)}, in accuracy x bytes
 * @param budgetBytes the SRAM budget, which sets the reference point
 * @param members the non-dominated runs, ascending by memory
 */
public record FrontRecord(
        String searchId, int generation, int fidelity, double hypervolume, long budgetBytes, List<Member> members) {

    private static final ColumnList.Builder<FrontRecord> COLUMNS = ColumnList.builder();
    private static final Column<FrontRecord, Integer> FIDELITY = COLUMNS.required("fidelity", INT,
            FrontRecord::fidelity);
    private static final Column<FrontRecord, Double> HYPERVOLUME = COLUMNS.required("hypervolume", DOUBLE,
            FrontRecord::hypervolume);
    private static final Column<FrontRecord, Long> BUDGET_BYTES = COLUMNS.required("budget_bytes", LONG,
            FrontRecord::budgetBytes);
    private static final Column<FrontRecord, List<Member>> MEMBERS = COLUMNS.required("members",
            ColumnType.listOf(Member.TYPE), FrontRecord::members);

    /** The table (version 1: the columns of tinysparse 0.1). */
    public static final TableSchema<FrontRecord> SCHEMA =
            new TableSchema<>(Table.FRONTS, 1, COLUMNS.build(), FrontRecord::searchId, FrontRecord::generation);

    /** A run on the front. */
    public record Member(String runId, double testAccuracy, long arenaBytes, double deviceTimeMs, String policyJson) {
        private static final ColumnList.Builder<Member> FIELDS = ColumnList.builder();
        private static final Column<Member, String> RUN_ID = FIELDS.required("run_id", STRING, Member::runId);
        private static final Column<Member, Double> TEST_ACCURACY = FIELDS.required("test_accuracy", DOUBLE,
                Member::testAccuracy);
        private static final Column<Member, Long> ARENA_BYTES = FIELDS.required("arena_bytes", LONG,
                Member::arenaBytes);
        private static final Column<Member, Double> DEVICE_TIME_MS = FIELDS.required("device_time_ms", DOUBLE,
                Member::deviceTimeMs);
        private static final Column<Member, String> POLICY_JSON = FIELDS.required("policy_json", STRING,
                Member::policyJson);

        static final ColumnType<Member> TYPE = ColumnType.structOf(FIELDS.build(), r -> new Member(RUN_ID.read(r),
                TEST_ACCURACY.read(r), ARENA_BYTES.read(r), DEVICE_TIME_MS.read(r), POLICY_JSON.read(r)));
    }

    public FrontRecord {
        Objects.requireNonNull(searchId, "searchId");
        members = List.copyOf(members);
    }

    /** Reads a row of the table as read with {@link #SCHEMA}'s table schema. */
    public static FrontRecord fromTableRow(Row row) {
        return SCHEMA.read(row, r -> new FrontRecord(TableSchema.searchId(r), TableSchema.generation(r),
                FIDELITY.read(r), HYPERVOLUME.read(r), BUDGET_BYTES.read(r), MEMBERS.read(r)));
    }
}
