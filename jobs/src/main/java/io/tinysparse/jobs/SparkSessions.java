package io.tinysparse.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the Spark session for an entry point. Under {@code spark-submit} the master and
 * everything else come from the submit configuration; launched directly (bin/tinysparse) with
 * no master set, it runs embedded in {@code local[*]} with the driver and UI bound to 127.0.0.1.
 *
 * <p>Spark's own catalog directory ({@code spark.sql.warehouse.dir}, by default
 * {@code ./spark-warehouse}, where managed tables and the default database would go) is, unless
 * configured, a private temporary directory of this JVM, deleted when it exits: tinysparse keeps
 * its tables in its own warehouse (the {@code --warehouse} option), and no command leaves a
 * directory behind in the working directory.
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
        if (!conf.contains("spark.sql.warehouse.dir")) {
            conf.set("spark.sql.warehouse.dir", CatalogDirectory.PATH.toUri().toString());
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** The JVM's private catalog directory, created on first use and deleted (with its contents) at exit. */
    private static final class CatalogDirectory {
        static final Path PATH = create();

        private static Path create() {
            try {
                Path dir = Files.createTempDirectory("tinysparse-catalog-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "tinysparse-catalog-cleanup"));
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for Spark's catalog", e);
            }
        }

        private static void delete(Path dir) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // at exit there is no one left to tell; the directory is under java.io.tmpdir
            }
        }
    }
}
