package io.tinysparse.jobs;

import org.apache.hadoop.conf.Configuration;
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

    /**
     * Checks, before a session exists, what a command that writes the warehouse needs: the master
     * URL's form ({@link MasterUrl}) and a writable warehouse ({@link WarehouseLocation}); bad
     * input naming the value otherwise.
     */
    public void checkForWriting() {
        checkMaster();
        WarehouseLocation.requireWritable(warehouse);
    }

    /** A Spark session named {@code appName} on the master (no UI in local mode); see {@link SparkSessions}. */
    public SparkSession session(String appName) {
        checkMaster();
        return SparkSessions.create(appName, master, false);
    }

    /**
     * A session for a command that reads search {@code searchId} ({@code report}, {@code export}):
     * the warehouse must hold a committed generation of it ({@link WarehouseLocation#requireSearch}),
     * checked before Spark starts when the warehouse is local, else with the session's Hadoop
     * configuration (the session is stopped when the check fails).
     */
    public SparkSession sessionReading(String appName, String searchId) {
        boolean local = WarehouseLocation.isLocal(warehouse);
        if (local) {
            WarehouseLocation.requireSearch(warehouse, searchId, new Configuration());
        }
        SparkSession session = session(appName);
        if (!local) {
            try {
                WarehouseLocation.requireSearch(warehouse, searchId, session.sparkContext().hadoopConfiguration());
            } catch (RuntimeException e) {
                session.stop();
                throw e;
            }
        }
        return session;
    }

    private void checkMaster() {
        if (master != null) {
            MasterUrl.require(master);
        }
    }
}
