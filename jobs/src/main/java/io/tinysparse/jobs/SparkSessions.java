package io.tinysparse.jobs;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the Spark session for an entry point. Under {@code spark-submit} the master and
 * everything else come from the submit configuration; launched directly (bin/tinysparse) with
 * no master set, it runs embedded in {@code local[*]} with the driver and UI bound to 127.0.0.1.
 */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * The session for {@code appName}.
     *
     * @param master explicit master URL, or null to take it from the environment (spark-submit)
     *     and fall back to {@code local[*]}
     * @param ui whether to start the Spark UI in local mode
     */
    public static SparkSession create(String appName, String master, boolean ui) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", Boolean.toString(ui));
            conf.setIfMissing("spark.sql.shuffle.partitions", "4");
        }
        conf.setIfMissing("spark.sql.parquet.compression.codec", "zstd");
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
