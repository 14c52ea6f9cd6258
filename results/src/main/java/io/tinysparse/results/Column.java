package io.tinysparse.results;

import io.tinysparse.core.InvalidInputException;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;

/**
 * One column of a table (or one field of a struct): its name, its {@link ColumnType}, whether it
 * may be null, and how its value is read from a record of type {@code R}. Columns are created by a
 * {@link ColumnList.Builder}, which fixes their position; rows are written by iterating the list
 * and read by name, so no code depends on a column's position.
 *
 * <p>Invariant: a required (non-nullable) column is never written or read as null; a column added
 * to a table after its first version is nullable, since the rows written before it have no value.
 *
 * @param <R> the record the column belongs to
 * @param <T> the Java type of its values
 */
public final class Column<R, T> {
    private final String name;
    private final ColumnType<T> type;
    private final boolean nullable;
    private final Function<? super R, ? extends T> getter;
    private final int index;

    Column(String name, ColumnType<T> type, boolean nullable, Function<? super R, ? extends T> getter, int index) {
        this.name = name;
        this.type = type;
        this.nullable = nullable;
        this.getter = getter;
        this.index = index;
    }

    /** The column name, snake_case, as SQL sees it. */
    public String name() {
        return name;
    }

    /** The column's type. */
    public ColumnType<T> type() {
        return type;
    }

    /** Whether the column may be null. */
    public boolean nullable() {
        return nullable;
    }

    /** The column's position in its list, from 0. */
    int index() {
        return index;
    }

    /** The column's value in {@code record}. */
    public T of(R record) {
        return getter.apply(record);
    }

    /** The Spark field of this column. */
    StructField field() {
        return new StructField(name, type.sparkType(), nullable, Metadata.empty());
    }

    /** The value a Spark row holds for this column of {@code record}. */
    Object toSpark(R record) {
        T v = getter.apply(record);
        if (v == null) {
            if (!nullable) {
                throw new IllegalStateException("column '" + name + "' is required but has no value");
            }
            return null;
        }
        return type.toSpark(v);
    }

    /**
     * The value of this column in {@code row}, looked up by name.
     *
     * @return the value, or null if the column is nullable and the row has none
     * @throws InvalidInputException if the column is required and the row has no value
     */
    public T read(Row row) {
        int i = row.fieldIndex(name);
        if (row.isNullAt(i)) {
            if (!nullable) {
                throw new InvalidInputException("column '" + name + "' is required but has no value");
            }
            return null;
        }
        return type.read(row, i);
    }

    @Override
    public String toString() {
        return name;
    }
}
