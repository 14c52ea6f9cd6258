package io.tinysparse.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** A run record without Spark: built by column, read by column name, and carried as JSON exactly. */
class RunRecordTest {
    static RunRecord awkward() {
        Timestamp at = new Timestamp(1_700_000_000_123L);
        at.setNanos(123_456_789);
        return copyOf(ResultStoreTest.run("r1", "s", 2, Double.NaN, 100_000))
                .set(RunsTable.DEVICE_TIME_MS, 0.1 + 0.2)
                .set(RunsTable.VAL_ACCURACY, List.of(Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -0.0))
                .set(RunsTable.CREATED_AT, at)
                .build();
    }

    /** A builder holding every value of {@code r}. */
    static RunRecord.Builder copyOf(RunRecord r) {
        RunRecord.Builder b = RunRecord.builder(r.searchId(), r.generation());
        for (Column<RunRecord, ?> c : RunsTable.SCHEMA.columns()) {
            copy(b, c, r);
        }
        return b;
    }

    private static <T> void copy(RunRecord.Builder b, Column<RunRecord, T> c, RunRecord from) {
        b.set(c, from.get(c));
    }

    @Test
    void jsonCarriesEveryValueExactly() {
        RunRecord r = awkward();
        RunRecord back = RunRecord.fromJson(r.toJson());
        assertEquals(r, back);
        assertEquals(123_456_789, back.get(RunsTable.CREATED_AT).getNanos());
        assertEquals(Double.doubleToRawLongBits(-0.0),
                Double.doubleToRawLongBits(back.get(RunsTable.VAL_ACCURACY).get(2)));
    }

    @Test
    void aRowIsReadByColumnNameWhateverTheColumnOrder() {
        RunRecord r = awkward();
        StructType schema = RunsTable.SCHEMA.tableSchema();
        Row row = RunsTable.SCHEMA.toTableRow(r);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            order.add(i);
        }
        Collections.reverse(order);
        StructField[] fields = new StructField[order.size()];
        Object[] values = new Object[order.size()];
        for (int i = 0; i < order.size(); i++) {
            fields[i] = schema.fields()[order.get(i)];
            values[i] = row.get(order.get(i));
        }
        assertEquals(r, RunRecord.fromTableRow(new GenericRowWithSchema(values, new StructType(fields))));
    }

    @Test
    void aRecordMissingARequiredColumnIsRefusedNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RunRecord.builder("s", 0).set(RunsTable.RUN_ID, "r1").build());
        assertTrue(e.getMessage().contains("'fidelity'"), e.getMessage());
    }

    @Test
    void weightLayersAndRatiosMustPairUp() {
        RunRecord.Builder b = copyOf(awkward()).set(RunsTable.WEIGHT_RATIOS, List.of(0.5, 0.25));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("1 vs 2"), e.getMessage());
    }
}
