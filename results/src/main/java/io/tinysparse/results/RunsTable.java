package io.tinysparse.results;

import static io.tinysparse.results.ColumnType.BOOLEAN;
import static io.tinysparse.results.ColumnType.DOUBLE;
import static io.tinysparse.results.ColumnType.INT;
import static io.tinysparse.results.ColumnType.LONG;
import static io.tinysparse.results.ColumnType.STRING;
import static io.tinysparse.results.ColumnType.TIMESTAMP;
import static io.tinysparse.results.ColumnType.listOf;

import io.tinysparse.results.RunRecord.BreakdownEntry;
import io.tinysparse.results.Warehouse.Table;
import java.sql.Timestamp;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code runs} table, declared once: one line per column (name, type, nullability), in the
 * order {@code SELECT *} shows them. The Parquet schema, the rows written and read, and the JSON
 * that carries a {@link RunRecord} from an executor are all derived from this list. A run's values
 * are set from the simulator's result by the jobs module ({@code RunRecords.of}), one
 * {@link RunRecord.Builder#set} per column.
 *
 * <p>Units: bytes for memory, multiply-accumulates for work, milliseconds for time, fractions in
 * [0, 1] for accuracy, coverage and updated fraction. {@code search_id} and {@code generation}
 * are partition columns (see {@link TableSchema}).
 *
 * <p>To add a column: declare it here with {@link #nullable} (rows written before it have none),
 * raise {@link #VERSION}, and set it in {@code RunRecords.of}.
 */
public final class RunsTable {
    /**
     * The schema version this code writes. 1: the columns of tinysparse 0.1 (the warehouse
     * fixture {@code warehouse-schema1} of the jobs tests). 2: {@code role} and {@code learning_rate}.
     * 3: {@code trained_by}. 4: {@code precision}.
     */
    public static final int VERSION = 4;

    private static final ColumnList.Builder<RunRecord> COLUMNS = ColumnList.builder();

    /** Content hash of everything that determines the result (the run spec). */
    public static final Column<RunRecord, String> RUN_ID = required("run_id", STRING);
    /** Multi-fidelity level (0 = cheapest). */
    public static final Column<RunRecord, Integer> FIDELITY = required("fidelity", INT);
    /** Training iterations the run was given. */
    public static final Column<RunRecord, Integer> ITERATIONS = required("iterations", INT);
    /** The policy in tinysparse JSON. */
    public static final Column<RunRecord, String> POLICY_JSON = required("policy_json", STRING);
    /** Number of trailing convolutions whose biases are trained. */
    public static final Column<RunRecord, Integer> BIAS_LAYERS = required("bias_layers", INT);
    /** Conv indices whose weights are trained, ascending. */
    public static final Column<RunRecord, List<Integer>> WEIGHT_LAYERS = required("weight_layers", listOf(INT));
    /** Per weight layer, the fraction of input channels updated per iteration. */
    public static final Column<RunRecord, List<Double>> WEIGHT_RATIOS = required("weight_ratios", listOf(DOUBLE));
    /** Channel selection strategy name. */
    public static final Column<RunRecord, String> SELECTION = required("selection", STRING);
    /** Model preset or description, e.g. {@code mbv2-w0.35}. */
    public static final Column<RunRecord, String> MODEL = required("model", STRING);
    /** Input resolution in pixels (square). */
    public static final Column<RunRecord, Integer> RESOLUTION = required("resolution", INT);
    /** Classifier outputs. */
    public static final Column<RunRecord, Integer> NUM_CLASSES = required("num_classes", INT);
    /** Target (fine-tuning) dataset. */
    public static final Column<RunRecord, String> DATASET = required("dataset", STRING);
    /** Device profile name. */
    public static final Column<RunRecord, String> DEVICE = required("device", STRING);
    /** Run seed. */
    public static final Column<RunRecord, Long> SEED = required("seed", LONG);
    /** Top-1 accuracy on the test split after fine-tuning. */
    public static final Column<RunRecord, Double> TEST_ACCURACY = required("test_accuracy", DOUBLE);
    /** Validation accuracy at each evaluation point. */
    public static final Column<RunRecord, List<Double>> VAL_ACCURACY = required("val_accuracy", listOf(DOUBLE));
    /** Training-step SRAM by the Lin et al. 2022 formula, bytes. */
    public static final Column<RunRecord, Long> LIN2022_BYTES = required("lin2022_bytes", LONG);
    /** Peak training-step SRAM by the arena simulation, bytes. */
    public static final Column<RunRecord, Long> ARENA_BYTES = required("arena_bytes", LONG);
    /** The SRAM budget of the device profile, bytes. */
    public static final Column<RunRecord, Long> BUDGET_BYTES = required("budget_bytes", LONG);
    /** Whether the arena peak and the weights fit the device. */
    public static final Column<RunRecord, Boolean> FEASIBLE = required("feasible", BOOLEAN);
    /** Per-layer, per-buffer-kind bytes live at the arena peak. */
    public static final Column<RunRecord, List<BreakdownEntry>> BREAKDOWN =
            required("breakdown", listOf(BreakdownEntry.TYPE));
    /** Mean fraction of conv weights updated per iteration. */
    public static final Column<RunRecord, Double> UPDATED_FRACTION = required("updated_fraction", DOUBLE);
    /** Fraction of updatable conv weights changed at least once during the run. */
    public static final Column<RunRecord, Double> COVERAGE = required("coverage", DOUBLE);
    /** Multiply-accumulates of one training step (batch 1). */
    public static final Column<RunRecord, Long> TRAIN_MACS = required("train_macs", LONG);
    /** Estimated on-device time of one training step, milliseconds. */
    public static final Column<RunRecord, Double> DEVICE_TIME_MS = required("device_time_ms", DOUBLE);
    /** Wall-clock time of the simulated run on the executor, milliseconds. */
    public static final Column<RunRecord, Double> WALL_TIME_MS = required("wall_time_ms", DOUBLE);
    /** Content hash of the pretrained backbone. */
    public static final Column<RunRecord, String> BACKBONE_HASH = required("backbone_hash", STRING);
    /** tinysparse version that produced the row. */
    public static final Column<RunRecord, String> TINYSPARSE_VERSION = required("version", STRING);
    /** Git commit of the code that produced the row, or {@code unknown}. */
    public static final Column<RunRecord, String> GIT_COMMIT = required("git_commit", STRING);
    /**
     * When the run finished training. A row of a run reused from another search carries the
     * trained row's time (see {@link #TRAINED_BY}); when the reusing search took it is its
     * generation's {@code searches.updated_at}.
     */
    public static final Column<RunRecord, Timestamp> CREATED_AT = required("created_at", TIMESTAMP);
    /**
     * Why the search trained the run: {@code search} (asked for by the searcher), {@code report}
     * (a policy of the final front retrained under a replicate seed or on the whole test split),
     * {@code reference} (dense fine-tuning beside the final front). Version 2; null before.
     */
    public static final Column<RunRecord, String> ROLE = nullable("role", STRING);
    /** The peak learning rate the run was trained at (with a grid: the one selected on validation). Version 2. */
    public static final Column<RunRecord, Double> LEARNING_RATE = nullable("learning_rate", DOUBLE);
    /**
     * The search that trained the run: {@code search_id} itself when this search trained it;
     * another search's id when this search found the run (same run id) stored by that search and
     * reused its row instead of training it again. Every other column of a reused row is the
     * trained row's, but for {@code fidelity} and {@code role}, which are this search's. Version 3;
     * null before, where every row was trained by its own search ({@link RunRecord#trainedBy}).
     */
    public static final Column<RunRecord, String> TRAINED_BY = nullable("trained_by", STRING);
    /**
     * The arithmetic the run trained in: {@code fp32}, {@code int8} or {@code int8+qas} (its run
     * spec's quantization). In an int8 search the dense reference runs are fp32. Version 4; null
     * before, where a run is fp32 unless its search's {@code precision} (the {@code searches} view)
     * says int8 and it is not the dense reference.
     */
    public static final Column<RunRecord, String> PRECISION = nullable("precision", STRING);

    /** The table: the columns above, then {@code schema_version}, {@code search_id}, {@code generation}. */
    public static final TableSchema<RunRecord> SCHEMA =
            new TableSchema<>(Table.RUNS, VERSION, COLUMNS.build(), RunRecord::searchId, RunRecord::generation);

    private RunsTable() {}

    private static <T> Column<RunRecord, T> required(String name, ColumnType<T> type) {
        return COLUMNS.required(name, type, valueAt(COLUMNS.size()));
    }

    /** Declares a column added after version 1: rows written before it read as null. */
    private static <T> Column<RunRecord, T> nullable(String name, ColumnType<T> type) {
        return COLUMNS.nullable(name, type, valueAt(COLUMNS.size()));
    }

    // Safe: RunRecord.Builder#set only stores a T under a Column<RunRecord, T>.
    @SuppressWarnings("unchecked")
    private static <T> Function<RunRecord, T> valueAt(int index) {
        return r -> (T) r.valueAt(index);
    }
}
