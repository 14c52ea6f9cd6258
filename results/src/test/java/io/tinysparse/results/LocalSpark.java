package io.tinysparse.results;

import org.apache.spark.sql.SparkSession;

/** The Spark session of the results tests: one local core, no UI, bound to the loopback interface. */
final class LocalSpark {
    private LocalSpark() {}

    static SparkSession start(String appName) {
        return SparkSession.builder()
                .master("local[1]")
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "1")
                .getOrCreate();
    }
}
