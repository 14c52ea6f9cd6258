package io.tinysparse.results;

import io.tinysparse.search.driver.RunOutcome;
import java.sql.Timestamp;
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
 * One row of the {@code runs} table: a simulated MCU training run as stored. Flat, typed
 * columns for what people filter and plot on, plus the policy as JSON so it can be replayed.
 *
 * <p>Units: bytes for memory, multiply-accumulates for work, milliseconds for time, fractions
 * in [0, 1] for accuracy, coverage and updated fraction. {@code searchId} and
 * {@code generation} are partition columns: they live in the directory names, not in the files.
 *
 * @param runId content hash of everything that determines the result (the run spec)
 * @param searchId the search that asked for the run
 * @param generation the search generation the run belongs to
 * @param fidelity multi-fidelity level (0 = cheapest)
 * @param iterations training iterations the run was given
 * @param policyJson the policy in tinysparse JSON
 * @param biasLayers number of trailing convolutions whose biases are trained
 * @param weightLayers conv indices whose weights are trained (ascending)
 * @param weightRatios per weight layer, the fraction of input channels updated per iteration
 * @param selection channel selection strategy name
 * @param model model preset or description, e.g. {@code mbv2-w0.35}
 * @param resolution input resolution in pixels (square)
 * @param numClasses classifier outputs
 * @param dataset target (fine-tuning) dataset
 * @param device device profile name
 * @param seed run seed
 * @param testAccuracy top-1 accuracy on the test split after fine-tuning
 * @param valAccuracy validation accuracy after each evaluation point
 * @param lin2022Bytes training-step SRAM by the Lin et al. 2022 formula
 * @param arenaBytes peak training-step SRAM by the arena simulation
 * @param budgetBytes the SRAM budget of the device profile
 * @param feasible whether the arena peak and the weights fit the device
 * @param breakdown per-layer, per-buffer-kind bytes live at the arena peak
 * @param updatedFraction mean fraction of conv weights updated per iteration
 * @param coverage fraction of updatable conv weights changed at least once during the run
 * @param trainMacs multiply-accumulates of one training step (batch 1)
 * @param deviceTimeMs estimated on-device time of one training step
 * @param wallTimeMs wall-clock time of the simulated run on the executor
 * @param backboneHash content hash of the pretrained backbone
 * @param version tinysparse version that produced the row
 * @param gitCommit git commit of the code that produced the row, or {@code unknown}
 * @param createdAt when the run finished
 */
public record RunRecord(
        String runId,
        String searchId,
        int generation,
        int fidelity,
        int iterations,
        String policyJson,
        int biasLayers,
        List<Integer> weightLayers,
        List<Double> weightRatios,
        String selection,
        String model,
        int resolution,
        int numClasses,
        String dataset,
        String device,
        long seed,
        double testAccuracy,
        List<Double> valAccuracy,
        long lin2022Bytes,
        long arenaBytes,
        long budgetBytes,
        boolean feasible,
        List<BreakdownEntry> breakdown,
        double updatedFraction,
        double coverage,
        long trainMacs,
        double deviceTimeMs,
        double wallTimeMs,
        String backboneHash,
        String version,
        String gitCommit,
        Timestamp createdAt) implements RunOutcome {

    /** Version of the {@code runs} schema written by this code; stored in every row. */
    public static final int SCHEMA_VERSION = 1;

    /** One live buffer at the arena peak: which layer, what kind of buffer, how many bytes. */
    public record BreakdownEntry(int layer, String kind, long bytes) {
        // Built without RunRecord's helpers: using them here would make the two classes'
        // static initialisers depend on each other (TYPE read as null).
        static final StructType TYPE = new StructType(new StructField[] {
            new StructField("layer", DataTypes.IntegerType, false, Metadata.empty()),
            new StructField("kind", DataTypes.StringType, false, Metadata.empty()),
            new StructField("bytes", DataTypes.LongType, false, Metadata.empty())
        });

        Row toRow() {
            return RowFactory.create(layer, kind, bytes);
        }

        static BreakdownEntry fromRow(Row r) {
            return new BreakdownEntry(r.getInt(0), r.getString(1), r.getLong(2));
        }
    }

    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(searchId, "searchId");
        weightLayers = List.copyOf(weightLayers);
        weightRatios = List.copyOf(weightRatios);
        valAccuracy = List.copyOf(valAccuracy);
        breakdown = List.copyOf(breakdown);
        if (weightLayers.size() != weightRatios.size()) {
            throw new IllegalArgumentException("weightLayers and weightRatios differ in length: "
                    + weightLayers.size() + " vs " + weightRatios.size());
        }
    }

    /**
     * Validation accuracy at the end of training (the last point of {@link #valAccuracy}): what
     * the search decides on. NaN for a run trained without validation samples.
     */
    @Override
    public double validationAccuracy() {
        return valAccuracy.isEmpty() ? Double.NaN : valAccuracy.get(valAccuracy.size() - 1);
    }

    /** Columns stored in the files (without the partition columns). */
    public static final StructType FILE_SCHEMA = new StructType(new StructField[] {
        field("run_id", DataTypes.StringType, false),
        field("fidelity", DataTypes.IntegerType, false),
        field("iterations", DataTypes.IntegerType, false),
        field("policy_json", DataTypes.StringType, false),
        field("bias_layers", DataTypes.IntegerType, false),
        field("weight_layers", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
        field("weight_ratios", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
        field("selection", DataTypes.StringType, false),
        field("model", DataTypes.StringType, false),
        field("resolution", DataTypes.IntegerType, false),
        field("num_classes", DataTypes.IntegerType, false),
        field("dataset", DataTypes.StringType, false),
        field("device", DataTypes.StringType, false),
        field("seed", DataTypes.LongType, false),
        field("test_accuracy", DataTypes.DoubleType, false),
        field("val_accuracy", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
        field("lin2022_bytes", DataTypes.LongType, false),
        field("arena_bytes", DataTypes.LongType, false),
        field("budget_bytes", DataTypes.LongType, false),
        field("feasible", DataTypes.BooleanType, false),
        field("breakdown", DataTypes.createArrayType(BreakdownEntry.TYPE, false), false),
        field("updated_fraction", DataTypes.DoubleType, false),
        field("coverage", DataTypes.DoubleType, false),
        field("train_macs", DataTypes.LongType, false),
        field("device_time_ms", DataTypes.DoubleType, false),
        field("wall_time_ms", DataTypes.DoubleType, false),
        field("backbone_hash", DataTypes.StringType, false),
        field("version", DataTypes.StringType, false),
        field("git_commit", DataTypes.StringType, false),
        field("created_at", DataTypes.TimestampType, false),
        field("schema_version", DataTypes.IntegerType, false)
    });

    /** The table as read: the file columns plus the partition columns. */
    public static final StructType TABLE_SCHEMA = TableSchemas.withPartitionColumns(FILE_SCHEMA);

    /** The row as stored in a file of partition ({@link #searchId}, {@link #generation}). */
    public Row toFileRow() {
        List<Row> bd = new ArrayList<>(breakdown.size());
        for (BreakdownEntry e : breakdown) {
            bd.add(e.toRow());
        }
        return RowFactory.create(
                runId, fidelity, iterations, policyJson, biasLayers,
                weightLayers, weightRatios, selection,
                model, resolution, numClasses, dataset, device, seed,
                testAccuracy, valAccuracy,
                lin2022Bytes, arenaBytes, budgetBytes, feasible, bd,
                updatedFraction, coverage, trainMacs, deviceTimeMs, wallTimeMs,
                backboneHash, version, gitCommit, createdAt, SCHEMA_VERSION);
    }

    /** Reads a row of the table as read with {@link #TABLE_SCHEMA} (columns looked up by name). */
    public static RunRecord fromTableRow(Row r) {
        List<BreakdownEntry> bd = new ArrayList<>();
        for (Row e : r.<Row>getList(r.fieldIndex("breakdown"))) {
            bd.add(BreakdownEntry.fromRow(e));
        }
        return new RunRecord(
                r.getAs("run_id"), r.getAs("search_id"), r.<Integer>getAs("generation"),
                r.<Integer>getAs("fidelity"), r.<Integer>getAs("iterations"), r.getAs("policy_json"),
                r.<Integer>getAs("bias_layers"), r.getList(r.fieldIndex("weight_layers")),
                r.getList(r.fieldIndex("weight_ratios")), r.getAs("selection"), r.getAs("model"),
                r.<Integer>getAs("resolution"), r.<Integer>getAs("num_classes"), r.getAs("dataset"),
                r.getAs("device"), r.<Long>getAs("seed"), r.<Double>getAs("test_accuracy"),
                r.getList(r.fieldIndex("val_accuracy")), r.<Long>getAs("lin2022_bytes"),
                r.<Long>getAs("arena_bytes"), r.<Long>getAs("budget_bytes"), r.<Boolean>getAs("feasible"),
                bd, r.<Double>getAs("updated_fraction"), r.<Double>getAs("coverage"),
                r.<Long>getAs("train_macs"), r.<Double>getAs("device_time_ms"),
                r.<Double>getAs("wall_time_ms"), r.getAs("backbone_hash"), r.getAs("version"),
                r.getAs("git_commit"), r.getAs("created_at"));
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return new StructField(name, type, nullable, Metadata.empty());
    }
}
