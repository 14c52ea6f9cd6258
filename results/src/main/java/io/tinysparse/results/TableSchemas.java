package io.tinysparse.results;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The partition columns every table shares. Reading with an explicit schema that names them
 * keeps their types fixed: without it Spark would infer {@code search_id=42} as an integer.
 */
final class TableSchemas {
    static final StructField SEARCH_ID = new StructField("search_id", DataTypes.StringType, false, Metadata.empty());
    static final StructField GENERATION = new StructField("generation", DataTypes.IntegerType, false, Metadata.empty());

    private TableSchemas() {}

    static StructType withPartitionColumns(StructType fileSchema) {
        return fileSchema.add(SEARCH_ID).add(GENERATION);
    }
}
