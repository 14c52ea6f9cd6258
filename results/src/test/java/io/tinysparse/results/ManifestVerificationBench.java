package io.tinysparse.results;

import io.tinysparse.results.Warehouse.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.SparkSession;

/**
 * What manifest verification costs on reading a 200-run warehouse (25 generations of 8 runs, a
 * front and a searches row each: 75 partitions), against the reads it guards. Not a test: run
 * {@code main} on the results test classpath (see bench/jmh.sh for how to build it), e.g. with
 * {@code java -cp ... io.tinysparse.results.ManifestVerificationBench [DIR] [REPEATS]}. Prints
 * the commit time per generation (Spark write, manifest, fsyncs), then the median over REPEATS of:
 * listing and sizes only; full verification (sizes and CRC32C of every file); Spark reading the
 * three tables without verification; and {@code registerViews} plus a count, verification included.
 */
public final class ManifestVerificationBench {
    private ManifestVerificationBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("manifest-bench");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        SparkSession spark = LocalSpark.start("ManifestVerificationBench");
        try {
            ResultStore store = new ResultStore(spark, dir.toString());
            long t0 = System.nanoTime();
            for (int g = 0; g < 25; g++) {
                List<RunRecord> runs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    runs.add(ResultStoreTest.run("r" + g + "-" + i, "bench", g, 0.5 + i / 100.0, 100_000 + 1000L * i));
                }
                store.commitGeneration(ResultStoreTest.commit("bench", g), runs,
                        List.of(ResultStoreTest.front("bench", g, 1.0, runs.toArray(new RunRecord[0]))));
            }
            System.out.printf(Locale.ROOT, "commit: %.1f ms per generation (3 partitions)%n",
                    (System.nanoTime() - t0) / 1e6 / 25);
            Warehouse wh = store.warehouse();
            long bytes = 0;
            int partitions = 0;
            for (Table t : Table.values()) {
                for (int g : wh.committedGenerations(t, "bench")) {
                    partitions++;
                    for (FileStatus s : wh.fileSystem().listStatus(wh.partitionPath(t, "bench", g))) {
                        bytes += PartitionManifest.isDataFile(s.getPath().getName()) ? s.getLen() : 0;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "warehouse: %d partitions, %d data bytes%n", partitions, bytes);
            double[] sizes = new double[repeats];
            double[] verify = new double[repeats];
            double[] spark3 = new double[repeats];
            double[] query = new double[repeats];
            for (int r = -1; r < repeats; r++) {
                long a = System.nanoTime();
                for (Table t : Table.values()) {
                    for (int g : wh.committedGenerations(t, "bench")) {
                        Path p = Path.of(wh.partitionPath(t, "bench", g).toUri().getPath());
                        PartitionManifest m = PartitionManifest.read(wh.fileSystem(),
                                new org.apache.hadoop.fs.Path(p.resolve(PartitionManifest.FILE).toUri()));
                        for (FileStatus s : wh.fileSystem().listStatus(wh.partitionPath(t, "bench", g))) {
                            if (PartitionManifest.isDataFile(s.getPath().getName())
                                    && m.byName().get(s.getPath().getName()).bytes() != s.getLen()) {
                                throw new AssertionError(s.getPath());
                            }
                        }
                    }
                }
                long b = System.nanoTime();
                for (Table t : Table.values()) {
                    wh.verify(t);
                }
                long c = System.nanoTime();
                for (Table t : Table.values()) {
                    spark.read().parquet(wh.tablePath(t).toString()).count();
                }
                long d = System.nanoTime();
                store.registerViews();
                spark.sql("SELECT count(*) FROM runs").collectAsList();
                long e = System.nanoTime();
                if (r >= 0) {
                    sizes[r] = (b - a) / 1e6;
                    verify[r] = (c - b) / 1e6;
                    spark3[r] = (d - c) / 1e6;
                    query[r] = (e - d) / 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "median of %d, ms: sizes only %.1f; sizes + CRC32C %.1f; Spark count of"
                    + " the 3 tables (no verification) %.1f; registerViews + count(*) FROM runs %.1f%n", repeats,
                    median(sizes), median(verify), median(spark3), median(query));
        } finally {
            spark.stop();
        }
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
