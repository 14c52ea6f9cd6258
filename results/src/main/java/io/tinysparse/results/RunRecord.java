package io.tinysparse.results;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import org.apache.spark.sql.Row;

/**
 * One row of the {@code runs} table: a simulated MCU training run as stored. Its columns, their
 * units and meaning are declared in {@link RunsTable}; a record holds one value per column and
 * is built by naming each column ({@link #builder}), so no code depends on column positions.
 *
 * <p>Invariants: every required column has a value; lists are immutable and have no null
 * elements; {@code weight_layers} and {@code weight_ratios} have the same length.
 * {@link #searchId} and {@link #generation} are the partition the row belongs to.
 */
public final class RunRecord {
    private final String searchId;
    private final int generation;
    private final Object[] values;

    private RunRecord(String searchId, int generation, Object[] values) {
        this.searchId = Objects.requireNonNull(searchId, "searchId");
        this.generation = generation;
        this.values = values;
        for (Column<RunRecord, ?> c : RunsTable.SCHEMA.columns()) {
            if (!c.nullable() && values[c.index()] == null) {
                throw new IllegalStateException("run record: required column '" + c.name() + "' has no value");
            }
        }
        List<Integer> layers = get(RunsTable.WEIGHT_LAYERS);
        List<Double> ratios = get(RunsTable.WEIGHT_RATIOS);
        if (layers.size() != ratios.size()) {
            throw new IllegalArgumentException("weight_layers and weight_ratios differ in length: "
                    + layers.size() + " vs " + ratios.size());
        }
    }

    /** A builder for a run of search {@code searchId}, generation {@code generation}. */
    public static Builder builder(String searchId, int generation) {
        return new Builder(searchId, generation);
    }

    /** The search that asked for the run. */
    public String searchId() {
        return searchId;
    }

    /** The search generation the run belongs to. */
    public int generation() {
        return generation;
    }

    /** The value of {@code column}; null only for a nullable column without a value. */
    public <T> T get(Column<RunRecord, T> column) {
        return column.of(this);
    }

    Object valueAt(int index) {
        return values[index];
    }

    // The columns the search loop reads, by name.

    /** {@link RunsTable#RUN_ID}. */
    public String runId() {
        return get(RunsTable.RUN_ID);
    }

    /** {@link RunsTable#FIDELITY}. */
    public int fidelity() {
        return get(RunsTable.FIDELITY);
    }

    /** {@link RunsTable#ITERATIONS}. */
    public int iterations() {
        return get(RunsTable.ITERATIONS);
    }

    /**
     * Validation accuracy at the end of training (the last point of {@link RunsTable#VAL_ACCURACY}):
     * what a search decides on. NaN for a run trained without validation samples.
     */
    public double validationAccuracy() {
        List<Double> curve = get(RunsTable.VAL_ACCURACY);
        return curve.isEmpty() ? Double.NaN : curve.get(curve.size() - 1);
    }

    /** {@link RunsTable#POLICY_JSON}. */
    public String policyJson() {
        return get(RunsTable.POLICY_JSON);
    }

    /** {@link RunsTable#TEST_ACCURACY}. */
    public double testAccuracy() {
        return get(RunsTable.TEST_ACCURACY);
    }

    /** {@link RunsTable#ARENA_BYTES}. */
    public long arenaBytes() {
        return get(RunsTable.ARENA_BYTES);
    }

    /** {@link RunsTable#DEVICE_TIME_MS}. */
    public double deviceTimeMs() {
        return get(RunsTable.DEVICE_TIME_MS);
    }

    /**
     * This record in generation {@code generation} of its search: a steady-state search's run
     * joins the commit that is open when it finishes, known only then.
     */
    public RunRecord inGeneration(int generation) {
        return generation == this.generation ? this : new RunRecord(searchId, generation, values.clone());
    }

    /**
     * The search that trained the run ({@link RunsTable#TRAINED_BY}); for a row written before
     * that column existed, its own search, since searches then stored only runs they trained.
     */
    public String trainedBy() {
        String by = get(RunsTable.TRAINED_BY);
        return by == null ? searchId : by;
    }

    /**
     * A builder holding every value of this record, for a row of search {@code searchId},
     * generation {@code generation}: how a search stores a run it reuses from another search.
     */
    public Builder toBuilder(String searchId, int generation) {
        Builder b = new Builder(searchId, generation);
        System.arraycopy(values, 0, b.values, 0, values.length);
        return b;
    }

    /** Reads a row of the table as read with {@link RunsTable#SCHEMA}'s table schema, column by column by name. */
    public static RunRecord fromTableRow(Row row) {
        return RunsTable.SCHEMA.read(row, r -> {
            Object[] v = new Object[RunsTable.SCHEMA.columns().size()];
            for (Column<RunRecord, ?> c : RunsTable.SCHEMA.columns()) {
                v[c.index()] = c.read(r);
            }
            return new RunRecord(TableSchema.searchId(r), TableSchema.generation(r), v);
        });
    }

    /** The record as one JSON object keyed by column name (how executors send it to the driver); exact. */
    public String toJson() {
        return RowJson.write(RunsTable.SCHEMA.toTableRow(this), RunsTable.SCHEMA.tableSchema());
    }

    /** The record that {@link #toJson} wrote. */
    public static RunRecord fromJson(String json) {
        return fromTableRow(RowJson.read(json, RunsTable.SCHEMA.tableSchema()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunRecord r && searchId.equals(r.searchId) && generation == r.generation
                && Arrays.equals(values, r.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(searchId, generation, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        StringJoiner s = new StringJoiner(", ", "RunRecord[", "]");
        s.add("search_id=" + searchId).add("generation=" + generation);
        for (Column<RunRecord, ?> c : RunsTable.SCHEMA.columns()) {
            s.add(c.name() + "=" + values[c.index()]);
        }
        return s.toString();
    }

    /**
     * Sets a run's values column by column. Each {@link #set} names its column, so a value cannot
     * land in another column's place, and its type must be the column's.
     */
    public static final class Builder {
        private final String searchId;
        private final int generation;
        private final Object[] values = new Object[RunsTable.SCHEMA.columns().size()];

        private Builder(String searchId, int generation) {
            this.searchId = searchId;
            this.generation = generation;
        }

        /**
         * Sets {@code column} to {@code value} (a list is copied). The columns of a run are the
         * constants of {@link RunsTable}: no other {@code Column<RunRecord, T>} can be made.
         */
        public <T> Builder set(Column<RunRecord, T> column, T value) {
            // Records hold immutable lists; List.copyOf also refuses null elements, which the table cannot store.
            values[column.index()] = value instanceof List<?> l ? List.copyOf(l) : value;
            return this;
        }

        /**
         * The record.
         *
         * @throws IllegalStateException naming a required column that was not set
         */
        public RunRecord build() {
            return new RunRecord(searchId, generation, values.clone());
        }
    }

    /** One live buffer at the arena peak: which layer, what kind of buffer, how many bytes. */
    public record BreakdownEntry(int layer, String kind, long bytes) {
        private static final ColumnList.Builder<BreakdownEntry> FIELDS = ColumnList.builder();
        private static final Column<BreakdownEntry, Integer> LAYER = FIELDS.required("layer", ColumnType.INT,
                BreakdownEntry::layer);
        private static final Column<BreakdownEntry, String> KIND = FIELDS.required("kind", ColumnType.STRING,
                BreakdownEntry::kind);
        private static final Column<BreakdownEntry, Long> BYTES = FIELDS.required("bytes", ColumnType.LONG,
                BreakdownEntry::bytes);

        /** The entry as a struct column element. */
        static final ColumnType<BreakdownEntry> TYPE = ColumnType.structOf(FIELDS.build(),
                r -> new BreakdownEntry(LAYER.read(r), KIND.read(r), BYTES.read(r)));
    }
}
