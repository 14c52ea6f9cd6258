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
 * fidelity, with its hypervolume. Objectives: maximise validation accuracy (test accuracy in
 * searches under legacy rules), minimise peak SRAM (arena estimator, bytes) and, in a search with
 * {@code --objectives accuracy,memory,time} (a non-null {@link #timeReferenceMs}), minimise the
 * estimated device time of one training step (each member's {@code device_time_ms}).
 *
 * @param searchId the search
 * @param generation the generation after which the front was taken (cumulative over all runs so far)
 * @param fidelity the fidelity level the front is computed on
 * @param hypervolume dominated hypervolume w.r.t. {@code (accuracy 0, memory = budget)}, in accuracy x
 *                    bytes; with time, w.r.t. {@code (accuracy 0, budget, timeReferenceMs)}, in accuracy x
 *                    bytes x seconds
 * @param budgetBytes the SRAM budget, which sets the reference point
 * @param members the non-dominated runs, ascending by memory
 * @param reference the dense fine-tuning reference reported beside the search's final front (its
 *                  replicate statistics, SRAM by both estimators), or null: in the fronts of
 *                  earlier generations, of searches without one and of schema versions before 3
 * @param timeReferenceMs for a search with device time as its third objective, the time edge of the
 *                  hypervolume's box in milliseconds (the device time of a dense training step);
 *                  null for accuracy against memory, and in schema versions before 4
 */
public record FrontRecord(String searchId, int generation, int fidelity, double hypervolume, long budgetBytes,
        List<Member> members, Member reference, Double timeReferenceMs) {

    private static final ColumnList.Builder<FrontRecord> COLUMNS = ColumnList.builder();
    private static final Column<FrontRecord, Integer> FIDELITY = COLUMNS.required("fidelity", INT,
            FrontRecord::fidelity);
    private static final Column<FrontRecord, Double> HYPERVOLUME = COLUMNS.required("hypervolume", DOUBLE,
            FrontRecord::hypervolume);
    private static final Column<FrontRecord, Long> BUDGET_BYTES = COLUMNS.required("budget_bytes", LONG,
            FrontRecord::budgetBytes);
    private static final Column<FrontRecord, List<Member>> MEMBERS = COLUMNS.required("members",
            ColumnType.listOf(Member.TYPE), FrontRecord::members);
    private static final Column<FrontRecord, Member> REFERENCE = COLUMNS.nullable("reference", Member.TYPE,
            FrontRecord::reference);
    // Version 4.
    private static final Column<FrontRecord, Double> TIME_REFERENCE_MS = COLUMNS.nullable("time_reference_ms",
            DOUBLE, FrontRecord::timeReferenceMs);

    /**
     * The table. Version 2: members carry replicate statistics, validation accuracy and ties.
     * Version 3: members carry their lin2022 bytes; the dense reference. Version 4: the time edge
     * of a 3-objective search's box.
     */
    public static final TableSchema<FrontRecord> SCHEMA =
            new TableSchema<>(Table.FRONTS, 4, COLUMNS.build(), FrontRecord::searchId, FrontRecord::generation);

    /**
     * A policy on the front, represented by one of its runs. With replicates, the accuracies are
     * means over the policy's replicate runs, with their sample standard deviation and the
     * half-width of the 95 % Student-t interval of the mean; a tie is a policy dominated in means
     * but within the noise of the one named in {@code tiedWith}.
     *
     * @param runId                  the representative run (lowest run id of the policy's runs)
     * @param testAccuracy           test accuracy (mean over replicates): reported, never decided on
     * @param arenaBytes             peak training-step SRAM, bytes
     * @param deviceTimeMs           estimated on-device time of one training step
     * @param policyJson             the policy
     * @param validationAccuracy     validation accuracy decided on (mean over replicates); null in
     *                               fronts of schema version 1
     * @param validationSd           its sample standard deviation; null for one replicate
     * @param validationCi95         half-width of its 95 % interval; null for one replicate
     * @param testSd                 sample standard deviation of the test accuracy; null for one replicate
     * @param testCi95               half-width of its 95 % interval; null for one replicate
     * @param replicates             runs averaged; null in fronts of schema version 1 (one run)
     * @param tiedWith               for a tie, the representative run id of the member that
     *                               dominates it in means; null otherwise
     * @param lin2022Bytes           training-step SRAM by the Lin et al. 2022 formula, bytes; null
     *                               before schema version 3
     */
    public record Member(String runId, double testAccuracy, long arenaBytes, double deviceTimeMs, String policyJson,
            Double validationAccuracy, Double validationSd, Double validationCi95, Double testSd, Double testCi95,
            Integer replicates, String tiedWith, Long lin2022Bytes) {
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
        // Version 2: replicate statistics, decided-on accuracy and ties (nullable, so version 1 rows read).
        private static final Column<Member, Double> VALIDATION_ACCURACY = FIELDS.nullable("validation_accuracy",
                DOUBLE, Member::validationAccuracy);
        private static final Column<Member, Double> VALIDATION_SD = FIELDS.nullable("validation_sd", DOUBLE,
                Member::validationSd);
        private static final Column<Member, Double> VALIDATION_CI95 = FIELDS.nullable("validation_ci95", DOUBLE,
                Member::validationCi95);
        private static final Column<Member, Double> TEST_SD = FIELDS.nullable("test_sd", DOUBLE, Member::testSd);
        private static final Column<Member, Double> TEST_CI95 = FIELDS.nullable("test_ci95", DOUBLE,
                Member::testCi95);
        private static final Column<Member, Integer> REPLICATES = FIELDS.nullable("replicates", INT,
                Member::replicates);
        private static final Column<Member, String> TIED_WITH = FIELDS.nullable("tied_with", STRING,
                Member::tiedWith);
        // Version 3.
        private static final Column<Member, Long> LIN2022_BYTES = FIELDS.nullable("lin2022_bytes", LONG,
                Member::lin2022Bytes);

        static final ColumnType<Member> TYPE = ColumnType.structOf(FIELDS.build(), r -> new Member(RUN_ID.read(r),
                TEST_ACCURACY.read(r), ARENA_BYTES.read(r), DEVICE_TIME_MS.read(r), POLICY_JSON.read(r),
                VALIDATION_ACCURACY.read(r), VALIDATION_SD.read(r), VALIDATION_CI95.read(r), TEST_SD.read(r),
                TEST_CI95.read(r), REPLICATES.read(r), TIED_WITH.read(r), LIN2022_BYTES.read(r)));
    }

    public FrontRecord {
        Objects.requireNonNull(searchId, "searchId");
        members = List.copyOf(members);
        if (timeReferenceMs != null && !(timeReferenceMs > 0 && Double.isFinite(timeReferenceMs))) {
            throw new IllegalArgumentException("time_reference_ms must be positive and finite, got " + timeReferenceMs);
        }
    }

    /** A front of accuracy against memory. */
    public FrontRecord(String searchId, int generation, int fidelity, double hypervolume, long budgetBytes,
            List<Member> members, Member reference) {
        this(searchId, generation, fidelity, hypervolume, budgetBytes, members, reference, null);
    }

    /** Whether device time is an objective of this front. */
    public boolean hasTime() {
        return timeReferenceMs != null;
    }

    /** The objectives, as {@code --objectives} names them. */
    public String objectives() {
        return hasTime() ? "accuracy,memory,time" : "accuracy,memory";
    }

    /**
     * The hypervolume as the fraction of the reference box it covers, in [0, 1]: the box spans
     * accuracy 0 to 1 and 0 to {@link #budgetBytes} bytes (and 0 to {@link #timeReferenceMs}), so
     * this is {@code hypervolume / budgetBytes} (divided by the time edge in seconds as well).
     * The figure the console and the HTML report print.
     */
    public double hypervolumeFraction() {
        return hypervolumeFraction(hypervolume, budgetBytes, timeReferenceMs);
    }

    /**
     * {@code hypervolume} (accuracy x bytes [x seconds]) as the fraction of the box accuracy 0..1 x
     * 0..{@code budgetBytes} bytes [x 0..{@code timeReferenceMs}] that it covers; a null time edge
     * is a 2-D box.
     */
    public static double hypervolumeFraction(double hypervolume, long budgetBytes, Double timeReferenceMs) {
        double f = hypervolumeFraction(hypervolume, budgetBytes);
        return timeReferenceMs == null ? f : f / (timeReferenceMs / 1000.0);
    }

    /**
     * {@code hypervolume} (accuracy x bytes, reference point accuracy 0 and {@code budgetBytes})
     * as the fraction of the box accuracy 0..1 x 0..{@code budgetBytes} bytes that it covers.
     */
    public static double hypervolumeFraction(double hypervolume, long budgetBytes) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("budget_bytes must be positive, got " + budgetBytes);
        }
        return hypervolume / budgetBytes;
    }

    /** Reads a row of the table as read with {@link #SCHEMA}'s table schema. */
    public static FrontRecord fromTableRow(Row row) {
        return SCHEMA.read(row, r -> new FrontRecord(TableSchema.searchId(r), TableSchema.generation(r),
                FIDELITY.read(r), HYPERVOLUME.read(r), BUDGET_BYTES.read(r), MEMBERS.read(r), REFERENCE.read(r),
                TIME_REFERENCE_MS.read(r)));
    }
}
