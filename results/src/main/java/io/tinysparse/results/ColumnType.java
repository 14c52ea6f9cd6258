package io.tinysparse.results;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The type of a table column: the Java type {@code T} a record holds, the Spark type it is stored
 * as, and the conversion between the two (a Java value to the value a Spark {@link Row} holds, and
 * back). Scalars are stored as themselves; a list as an array whose elements are never null; a
 * record as a struct whose fields are a {@link ColumnList} of that record.
 *
 * @param <T> the Java type of the values
 */
public abstract class ColumnType<T> {
    /** UTF-8 text. */
    public static final ColumnType<String> STRING = new Scalar<>(DataTypes.StringType, String.class);
    /** 32-bit signed integer. */
    public static final ColumnType<Integer> INT = new Scalar<>(DataTypes.IntegerType, Integer.class);
    /** 64-bit signed integer. */
    public static final ColumnType<Long> LONG = new Scalar<>(DataTypes.LongType, Long.class);
    /** IEEE 754 double, stored bit for bit. */
    public static final ColumnType<Double> DOUBLE = new Scalar<>(DataTypes.DoubleType, Double.class);
    /** Boolean. */
    public static final ColumnType<Boolean> BOOLEAN = new Scalar<>(DataTypes.BooleanType, Boolean.class);
    /** An instant, microsecond precision in Parquet. */
    public static final ColumnType<Timestamp> TIMESTAMP = new ColumnType<>(DataTypes.TimestampType) {
        @Override
        Object toSpark(Timestamp value) {
            return value;
        }

        @Override
        Timestamp fromSpark(Object value) {
            // A session with spark.sql.datetime.java8API.enabled hands out Instants instead.
            return value instanceof Instant i ? Timestamp.from(i) : (Timestamp) value;
        }
    };

    private final DataType sparkType;

    private ColumnType(DataType sparkType) {
        this.sparkType = sparkType;
    }

    /** The Spark type the values are stored as. */
    public DataType sparkType() {
        return sparkType;
    }

    /** The value a Spark row holds for {@code value} (not null). */
    abstract Object toSpark(T value);

    /** The Java value of {@code value}, as a Spark row holds it (not null). */
    abstract T fromSpark(Object value);

    /** The Java value of field {@code i} of {@code row}, which is not null. */
    T read(Row row, int i) {
        return fromSpark(row.get(i));
    }

    /** A list of {@code element} values, stored as an array without null elements. */
    public static <E> ColumnType<List<E>> listOf(ColumnType<E> element) {
        if (element instanceof ListOf<?>) {
            throw new IllegalArgumentException("a list of lists is not a supported column type");
        }
        return new ListOf<>(element);
    }

    /**
     * A record stored as a struct: its fields are {@code fields}, and {@code reader} builds the
     * record from a struct row, reading each field by name.
     */
    static <E> ColumnType<E> structOf(ColumnList<E> fields, Function<Row, E> reader) {
        return new ColumnType<>(fields.schema()) {
            @Override
            Object toSpark(E value) {
                return fields.toRow(value);
            }

            @Override
            E fromSpark(Object value) {
                return reader.apply((Row) value);
            }
        };
    }

    /** The elements of the array in field {@code i}: a Java list in rows we build, a Scala sequence in rows Spark reads. */
    static List<?> listAt(Row row, int i) {
        Object v = row.get(i);
        return v instanceof List<?> l ? l : row.getList(i);
    }

    private static final class Scalar<T> extends ColumnType<T> {
        private final Class<T> javaType;

        Scalar(DataType sparkType, Class<T> javaType) {
            super(sparkType);
            this.javaType = javaType;
        }

        @Override
        Object toSpark(T value) {
            return value;
        }

        @Override
        T fromSpark(Object value) {
            return javaType.cast(value);
        }
    }

    private static final class ListOf<E> extends ColumnType<List<E>> {
        private final ColumnType<E> element;

        ListOf(ColumnType<E> element) {
            super(DataTypes.createArrayType(element.sparkType(), false));
            this.element = element;
        }

        @Override
        Object toSpark(List<E> value) {
            List<Object> out = new ArrayList<>(value.size());
            for (E e : value) {
                out.add(element.toSpark(e));
            }
            return out;
        }

        @Override
        List<E> fromSpark(Object value) {
            // Lists are never elements (listOf refuses them) nor struct fields read other than by read().
            throw new IllegalStateException("a list column is read from its row");
        }

        @Override
        List<E> read(Row row, int i) {
            List<?> raw = listAt(row, i);
            List<E> out = new ArrayList<>(raw.size());
            for (Object o : raw) {
                out.add(element.fromSpark(o));
            }
            return List.copyOf(out);
        }
    }
}
