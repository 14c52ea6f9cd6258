package io.tinysparse.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One row of the {@code fronts} table: the Pareto set of one search at one generation and one
 * fidelity, with its hypervolume. Objectives: maximise test accuracy, minimise peak SRAM
 * (arena estimator, bytes), and optionally minimise device time per step.
 *
 * @param searchId the search
 * @param generation the generation after which the front was taken (cumulative over all runs so far)
 * @param fidelity the fidelity level the front is computed on
 * @param hypervolume dominated hypervolume w.r.t. {@code (accuracy 0, memory = budget)}, in accuracy x bytes
 * @param budgetBytes the SRAM budget, which sets the reference point
 * @param members the non-dominated runs, ascending by memory
 */
public record FrontRecord(
        String searchId, int generation, int fidelity, double hypervolume, long budgetBytes, List<Member> members) {

    /** A run on the front. */
    public record Member(String runId, double testAccuracy, long arenaBytes, double deviceTimeMs, String policyJson) {
        static final StructType TYPE = new StructType(new StructField[] {
            new StructField("run_id", DataTypes.StringType, false, Metadata.empty()),
            new StructField("test_accuracy", DataTypes.DoubleType, false, Metadata.empty()),
            new StructField("arena_bytes", DataTypes.LongType, false, Metadata.empty()),
            new StructField("device_time_ms", DataTypes.DoubleType, false, Metadata.empty()),
            new StructField("policy_json", DataTypes.StringType, false, Metadata.empty())
        });
    }

    public FrontRecord {
        Objects.requireNonNull(searchId, "searchId");
        members = List.copyOf(members);
    }

    /** Columns stored in the files (without the partition columns). */
    public static final StructType FILE_SCHEMA = new StructType(new StructField[] {
        new StructField("fidelity", DataTypes.IntegerType, false, Metadata.empty()),
        new StructField("hypervolume", DataTypes.DoubleType, false, Metadata.empty()),
        new StructField("budget_bytes", DataTypes.LongType, false, Metadata.empty()),
        new StructField("members", DataTypes.createArrayType(Member.TYPE, false), false, Metadata.empty()),
        new StructField("schema_version", DataTypes.IntegerType, false, Metadata.empty())
    });

    /** The table as read: the file columns plus the partition columns. */
    public static final StructType TABLE_SCHEMA = TableSchemas.withPartitionColumns(FILE_SCHEMA);

    /** The row as stored in a file. */
    public Row toFileRow() {
        List<Row> ms = new ArrayList<>(members.size());
        for (Member m : members) {
            ms.add(RowFactory.create(m.runId(), m.testAccuracy(), m.arenaBytes(), m.deviceTimeMs(), m.policyJson()));
        }
        return RowFactory.create(fidelity, hypervolume, budgetBytes, ms, RunRecord.SCHEMA_VERSION);
    }

    /** Reads a row of the table as read with {@link #TABLE_SCHEMA}. */
    public static FrontRecord fromTableRow(Row r) {
        List<Member> ms = new ArrayList<>();
        for (Row m : r.<Row>getList(r.fieldIndex("members"))) {
            ms.add(new Member(m.getString(0), m.getDouble(1), m.getLong(2), m.getDouble(3), m.getString(4)));
        }
        return new FrontRecord(r.getAs("search_id"), r.<Integer>getAs("generation"), r.<Integer>getAs("fidelity"),
                r.<Double>getAs("hypervolume"), r.<Long>getAs("budget_bytes"), ms);
    }
}
