package io.tinysparse.results;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.results.Warehouse.Table;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The schema of one warehouse table, derived from its {@link ColumnList}: the file schema (the
 * columns, then {@code schema_version}), and the table as read (the file schema, then the
 * partition columns {@code search_id} and {@code generation}, which live in directory names).
 *
 * <p>Schema evolution: every row stores the version of the schema that wrote it. A table's
 * version goes up when a column is added; added columns are nullable and every column is read by
 * name, so rows of every older version read (their later columns as null). A row of a newer
 * version than this code's is refused with an error naming the version, rather than read without
 * the columns this code does not know.
 *
 * @param <R> the record of one row
 */
public final class TableSchema<R> {
    /** The partition column naming the search. */
    public static final String SEARCH_ID = "search_id";
    /** The partition column numbering the generation. */
    public static final String GENERATION = "generation";
    /** The column holding the schema version that wrote the row. */
    public static final String SCHEMA_VERSION = "schema_version";

    private final Table table;
    private final int version;
    private final ColumnList<R> columns;
    private final Function<? super R, String> searchIdOf;
    private final ToIntFunction<? super R> generationOf;
    private final StructType fileSchema;
    private final StructType tableSchema;

    /**
     * @param table the table
     * @param version the schema version this code writes, from 1
     * @param columns the data columns
     * @param searchIdOf the record's search id (its {@code search_id} partition)
     * @param generationOf the record's generation (its {@code generation} partition)
     */
    TableSchema(Table table, int version, ColumnList<R> columns, Function<? super R, String> searchIdOf,
            ToIntFunction<? super R> generationOf) {
        if (version < 1) {
            throw new IllegalArgumentException("schema version " + version + " of " + table.dir() + " is not >= 1");
        }
        this.table = table;
        this.version = version;
        this.columns = columns;
        this.searchIdOf = searchIdOf;
        this.generationOf = generationOf;
        // Reading with an explicit schema that names the partition columns keeps their types fixed:
        // without it Spark would infer search_id=42 as an integer.
        this.fileSchema = columns.schema().add(new StructField(SCHEMA_VERSION, DataTypes.IntegerType, false,
                Metadata.empty()));
        this.tableSchema = fileSchema
                .add(new StructField(SEARCH_ID, DataTypes.StringType, false, Metadata.empty()))
                .add(new StructField(GENERATION, DataTypes.IntegerType, false, Metadata.empty()));
    }

    /** The table. */
    public Table table() {
        return table;
    }

    /** The schema version this code writes and the newest it reads. */
    public int version() {
        return version;
    }

    /** The data columns, in order. */
    public List<Column<R, ?>> columns() {
        return columns.columns();
    }

    /** The columns stored in the files: the data columns, then {@code schema_version}. */
    public StructType fileSchema() {
        return fileSchema;
    }

    /** The table as read: the file columns, then {@code search_id} and {@code generation}. */
    public StructType tableSchema() {
        return tableSchema;
    }

    /** {@code record} as a row of {@link #fileSchema()} (which it carries), stamped with this code's version. */
    public Row toFileRow(R record) {
        Object[] data = columns.values(record);
        Object[] out = Arrays.copyOf(data, data.length + 1);
        out[data.length] = version;
        return new GenericRowWithSchema(out, fileSchema);
    }

    /** {@code record} as a row of {@link #tableSchema()} (which it carries). */
    public Row toTableRow(R record) {
        Object[] data = columns.values(record);
        Object[] out = Arrays.copyOf(data, data.length + 3);
        out[data.length] = version;
        out[data.length + 1] = searchIdOf.apply(record);
        out[data.length + 2] = generationOf.applyAsInt(record);
        return new GenericRowWithSchema(out, tableSchema);
    }

    /**
     * Reads a row of {@link #tableSchema()} with {@code reader} after checking its schema version.
     * Errors name the table, the search and the generation of the row.
     *
     * @throws InvalidInputException if the row was written by a newer schema version than this
     *     code's, or lacks a required value
     */
    <X> X read(Row row, Function<Row, X> reader) {
        String where = table.dir() + " row of search '" + searchId(row) + "' generation " + generation(row);
        int i = row.fieldIndex(SCHEMA_VERSION);
        if (row.isNullAt(i)) {
            throw new InvalidInputException(where + " has no schema_version");
        }
        checkVersion(row.getInt(i), where);
        try {
            return reader.apply(row);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(where + " (schema version " + row.getInt(i) + "): " + e.getMessage(), e);
        }
    }

    /**
     * Checks that this code can read rows written with schema version {@code rowVersion}.
     *
     * @param where what holds the rows, for the message
     * @throws InvalidInputException naming the version if it is newer than {@link #version()} or below 1
     */
    void checkVersion(int rowVersion, String where) {
        if (rowVersion > version) {
            throw new InvalidInputException(where + " has schema version " + rowVersion + ", newer than version "
                    + version + " that this tinysparse reads: read it with the tinysparse that wrote it, or a newer one");
        }
        if (rowVersion < 1) {
            throw new InvalidInputException(where + " has schema version " + rowVersion + ", which no tinysparse writes");
        }
    }

    /** The {@code search_id} partition value of a table row. */
    static String searchId(Row row) {
        return row.getString(row.fieldIndex(SEARCH_ID));
    }

    /** The {@code generation} partition value of a table row. */
    static int generation(Row row) {
        return row.getInt(row.fieldIndex(GENERATION));
    }
}
