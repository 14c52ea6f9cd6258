package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The sessions tinysparse creates keep Spark's own catalog out of the working directory. */
class SparkSessionsTest {
    /** Where Spark's default catalog directory ({@code spark.sql.warehouse.dir}) would appear: the working directory. */
    static final Path SPARK_WAREHOUSE = Paths.get("spark-warehouse").toAbsolutePath();

    @Test
    void aManagedTableGoesToAPrivateTemporaryCatalogDirectoryNotToTheWorkingDirectory() {
        boolean hadSparkWarehouse = Files.exists(SPARK_WAREHOUSE);
        SparkSession spark = SparkSessions.create("catalog", "local[1]", false);
        try {
            Path catalog = Paths.get(URI.create(spark.conf().get("spark.sql.warehouse.dir")));
            assertTrue(catalog.startsWith(Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath()), catalog.toString());
            spark.sql("CREATE TABLE managed AS SELECT 1 AS a");
            assertTrue(Files.isDirectory(catalog.resolve("managed")), catalog.toString());
            assertFalse(!hadSparkWarehouse && Files.exists(SPARK_WAREHOUSE), "created " + SPARK_WAREHOUSE);
        } finally {
            spark.sql("DROP TABLE IF EXISTS managed");
            spark.stop();
        }
    }
}
