package io.tinysparse.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A row of a table as one JSON object keyed by column name, and back to a row that carries its
 * schema (so it is read by name like a row Spark reads). Carries records from executors to the
 * driver; exact: doubles keep their bits, timestamps their nanoseconds.
 */
final class RowJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RowJson() {}

    /** {@code row}, a row of {@code schema}, as a JSON object. */
    static String write(Row row, StructType schema) {
        try {
            return JSON.writeValueAsString(struct(row, schema));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The row of {@code schema} that {@link #write} wrote as {@code json}. */
    static Row read(String json, StructType schema) {
        try {
            return struct(JSON.readTree(json), schema);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a row of JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode struct(Row row, StructType schema) {
        ObjectNode o = NODES.objectNode();
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            DataType t = fields[i].dataType();
            if (row.isNullAt(i)) {
                o.putNull(fields[i].name());
            } else if (t instanceof ArrayType a) {
                ArrayNode arr = o.putArray(fields[i].name());
                for (Object e : ColumnType.listAt(row, i)) {
                    arr.add(value(e, a.elementType()));
                }
            } else {
                o.set(fields[i].name(), value(row.get(i), t));
            }
        }
        return o;
    }

    private static JsonNode value(Object v, DataType t) {
        if (t instanceof StructType s) {
            return struct((Row) v, s);
        } else if (t.equals(DataTypes.StringType)) {
            return NODES.textNode((String) v);
        } else if (t.equals(DataTypes.IntegerType)) {
            return NODES.numberNode((Integer) v);
        } else if (t.equals(DataTypes.LongType)) {
            return NODES.numberNode((Long) v);
        } else if (t.equals(DataTypes.DoubleType)) {
            return NODES.numberNode((Double) v);
        } else if (t.equals(DataTypes.BooleanType)) {
            return NODES.booleanNode((Boolean) v);
        } else if (t.equals(DataTypes.TimestampType)) {
            Instant at = v instanceof Instant i ? i : ((Timestamp) v).toInstant();
            return NODES.textNode(at.toString());
        }
        throw new IllegalArgumentException("no JSON form for Spark type " + t.simpleString());
    }

    private static Row struct(JsonNode o, StructType schema) {
        StructField[] fields = schema.fields();
        Object[] values = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            JsonNode n = o.get(fields[i].name());
            values[i] = n == null || n.isNull() ? null : value(n, fields[i].dataType());
        }
        return new GenericRowWithSchema(values, schema);
    }

    private static Object value(JsonNode n, DataType t) {
        if (t instanceof StructType s) {
            return struct(n, s);
        } else if (t instanceof ArrayType a) {
            List<Object> out = new ArrayList<>(n.size());
            for (JsonNode e : n) {
                out.add(value(e, a.elementType()));
            }
            return out;
        } else if (t.equals(DataTypes.StringType)) {
            return n.textValue();
        } else if (t.equals(DataTypes.IntegerType)) {
            return n.intValue();
        } else if (t.equals(DataTypes.LongType)) {
            return n.longValue();
        } else if (t.equals(DataTypes.DoubleType)) {
            // Jackson writes NaN and the infinities as strings.
            return n.isTextual() ? Double.parseDouble(n.textValue()) : n.doubleValue();
        } else if (t.equals(DataTypes.BooleanType)) {
            return n.booleanValue();
        } else if (t.equals(DataTypes.TimestampType)) {
            return Timestamp.from(Instant.parse(n.textValue()));
        }
        throw new IllegalArgumentException("no JSON form for Spark type " + t.simpleString());
    }
}
