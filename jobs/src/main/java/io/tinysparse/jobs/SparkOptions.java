package io.tinysparse.jobs;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * The options of every command that runs Spark over a warehouse ({@code @Mixin SparkOptions spark;}):
 * the Spark master and the warehouse path, each default declared here once.
 */
public final class SparkOptions {
    @Option(names = "--warehouse", paramLabel = "PATH",
            description = "Warehouse of result tables, local or any Hadoop path (default: ${DEFAULT-VALUE}).")
    String warehouse = TinysparseHome.warehouse();

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master URL (default: from spark-submit, else local[*]).")
    String master;

    /** The warehouse path. */
    public String warehouse() {
        return warehouse;
    }

    /** A Spark session named {@code appName} on the master (no UI in local mode); see {@link SparkSessions}. */
    public SparkSession session(String appName) {
        return SparkSessions.create(appName, master, false);
    }
}
