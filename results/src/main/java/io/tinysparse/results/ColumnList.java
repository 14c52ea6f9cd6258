package io.tinysparse.results;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The ordered columns of a record type: the one declaration from which its Spark schema and its
 * rows are derived. The order is the order of declaration (which is the order {@code SELECT *}
 * shows); names are unique.
 *
 * @param <R> the record type
 */
public final class ColumnList<R> {
    private final List<Column<R, ?>> columns;
    private final StructType schema;

    private ColumnList(List<Column<R, ?>> columns) {
        this.columns = List.copyOf(columns);
        StructField[] fields = new StructField[columns.size()];
        for (Column<R, ?> c : columns) {
            fields[c.index()] = c.field();
        }
        this.schema = new StructType(fields);
    }

    /** The columns, in order. */
    public List<Column<R, ?>> columns() {
        return columns;
    }

    /** The Spark schema: one field per column, in order. */
    public StructType schema() {
        return schema;
    }

    /** The values of {@code record}'s columns as a Spark row holds them, in order. */
    Object[] values(R record) {
        Object[] out = new Object[columns.size()];
        for (Column<R, ?> c : columns) {
            out[c.index()] = c.toSpark(record);
        }
        return out;
    }

    /** {@code record} as a row of {@link #schema()}, which it carries (so it can be read by name). */
    Row toRow(R record) {
        return new GenericRowWithSchema(values(record), schema);
    }

    static <R> Builder<R> builder() {
        return new Builder<>();
    }

    /**
     * Declares the columns one after the other. Kept in a static field of the record's class and
     * built after the last column, so that declaring a column is one line in one place.
     */
    static final class Builder<R> {
        private final List<Column<R, ?>> columns = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private boolean built;

        /** Adds a column that always has a value. */
        <T> Column<R, T> required(String name, ColumnType<T> type, Function<? super R, ? extends T> getter) {
            return add(name, type, false, getter);
        }

        /** Adds a column that may be null: every column added after a table's first version is one. */
        <T> Column<R, T> nullable(String name, ColumnType<T> type, Function<? super R, ? extends T> getter) {
            return add(name, type, true, getter);
        }

        /** The number of columns added so far, which is the position of the next one. */
        int size() {
            return columns.size();
        }

        ColumnList<R> build() {
            built = true;
            return new ColumnList<>(columns);
        }

        private <T> Column<R, T> add(String name, ColumnType<T> type, boolean nullable,
                Function<? super R, ? extends T> getter) {
            if (built) {
                // A column declared after the list was built would be missing from the schema.
                throw new IllegalStateException("column '" + name + "' is declared after its list was built");
            }
            if (!names.add(name)) {
                throw new IllegalStateException("column '" + name + "' is declared twice");
            }
            Column<R, T> c = new Column<>(name, type, nullable, getter, columns.size());
            columns.add(c);
            return c;
        }
    }
}
