package io.tinysparse.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.results.Warehouse.Table;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema evolution of a table, on a small table of its own: version 1 has one column, version 2
 * adds a nullable one. Rows of version 1 read with version 2 (the added column as null); rows of
 * version 2 are refused by version 1, naming the version.
 */
class TableSchemaTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    /** A row of the example table. */
    record Reading(String searchId, int generation, String sensor, Double celsius) {}

    static final ColumnList.Builder<Reading> V1 = ColumnList.builder();
    static final Column<Reading, String> V1_SENSOR = V1.required("sensor", ColumnType.STRING, Reading::sensor);
    static final TableSchema<Reading> VERSION_1 =
            new TableSchema<>(Table.RUNS, 1, V1.build(), Reading::searchId, Reading::generation);

    static final ColumnList.Builder<Reading> V2 = ColumnList.builder();
    static final Column<Reading, String> SENSOR = V2.required("sensor", ColumnType.STRING, Reading::sensor);
    static final Column<Reading, Double> CELSIUS = V2.nullable("celsius", ColumnType.DOUBLE, Reading::celsius);
    static final TableSchema<Reading> VERSION_2 =
            new TableSchema<>(Table.RUNS, 2, V2.build(), Reading::searchId, Reading::generation);

    static Reading readV2(Row row) {
        return VERSION_2.read(row, r -> new Reading(TableSchema.searchId(r), TableSchema.generation(r),
                SENSOR.read(r), CELSIUS.read(r)));
    }

    static Reading readV1(Row row) {
        return VERSION_1.read(row, r -> new Reading(TableSchema.searchId(r), TableSchema.generation(r),
                V1_SENSOR.read(r), null));
    }

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("TableSchemaTest");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    void commit(TableSchema<Reading> schema, Reading r) {
        new ResultStore(spark, dir.toString()).warehouse().commitPartition(Table.RUNS, r.searchId(), r.generation(),
                spark.createDataFrame(List.of(schema.toFileRow(r)), schema.fileSchema()));
    }

    @Test
    void rowsOfAnOlderVersionReadWithTheColumnsAddedSinceAsNull() {
        commit(VERSION_1, new Reading("s", 0, "north", null));
        commit(VERSION_2, new Reading("s", 1, "south", 21.5));
        List<Reading> back = new ResultStore(spark, dir.toString()).read(VERSION_2).orderBy("generation")
                .collectAsList().stream().map(TableSchemaTest::readV2).toList();
        assertEquals(List.of(new Reading("s", 0, "north", null), new Reading("s", 1, "south", 21.5)), back);
        assertNull(back.get(0).celsius());
    }

    @Test
    void rowsOfANewerVersionAreRefusedNamingTheVersion() {
        commit(VERSION_2, new Reading("s", 4, "south", 21.5));
        Row row = new ResultStore(spark, dir.toString()).read(VERSION_1).first();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> readV1(row));
        assertTrue(e.getMessage().contains("search 's' generation 4 has schema version 2, newer than version 1"),
                e.getMessage());
    }

    @Test
    void aColumnDeclaredTwiceOrAfterTheListIsBuiltIsRefused() {
        ColumnList.Builder<Reading> b = ColumnList.builder();
        b.required("sensor", ColumnType.STRING, Reading::sensor);
        assertThrows(IllegalStateException.class, () -> b.nullable("sensor", ColumnType.DOUBLE, Reading::celsius));
        b.build();
        assertThrows(IllegalStateException.class, () -> b.nullable("celsius", ColumnType.DOUBLE, Reading::celsius));
    }
}
