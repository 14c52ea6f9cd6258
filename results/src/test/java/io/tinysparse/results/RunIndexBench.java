package io.tinysparse.results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * What finding other searches' runs costs a search ({@link RunIndex}) in a warehouse of many
 * searches, against reading every run of the warehouse, which is what looking runs up without an
 * index would cost per generation. Not a test: run {@code main} on the results test classpath
 * (as {@link ManifestVerificationBench}), {@code java -cp ... io.tinysparse.results.RunIndexBench
 * [DIR] [SEARCHES] [GENERATIONS] [RUNS] [REPEATS]} (defaults 20, 10, 40, 5). Prints the commit
 * time, then the median over REPEATS of: building the index (once per search); fetching one
 * generation's worth of hits from one partition and from RUNS partitions; and collecting the
 * whole {@code runs} table, verification included.
 */
public final class RunIndexBench {
    private RunIndexBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("run-index-bench");
        int searches = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int generations = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        SparkSession spark = LocalSpark.start("RunIndexBench");
        try {
            ResultStore store = new ResultStore(spark, dir.toString());
            long t0 = System.nanoTime();
            for (int s = 0; s < searches; s++) {
                for (int g = 0; g < generations; g++) {
                    List<RunRecord> rows = new ArrayList<>();
                    for (int i = 0; i < runs; i++) {
                        rows.add(ResultStoreTest.run(id(s, g, i), "s" + s, g, 0.5 + i / 1000.0, 100_000 + i));
                    }
                    store.commitGeneration(ResultStoreTest.commit("s" + s, g), rows, List.of());
                }
            }
            System.out.printf(Locale.ROOT, "warehouse: %d searches x %d generations x %d runs = %d runs in %d runs"
                    + " partitions, committed in %.1f s%n", searches, generations, runs, searches * generations * runs,
                    searches * generations, (System.nanoTime() - t0) / 1e9);
            List<String> onePartition = new ArrayList<>();
            List<String> spread = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                onePartition.add(id(0, 0, i));
                spread.add(id(i % searches, (i / searches) % generations, i));
            }
            double[] build = new double[repeats];
            double[] fetchOne = new double[repeats];
            double[] fetchSpread = new double[repeats];
            double[] whole = new double[repeats];
            for (int r = -1; r < repeats; r++) {
                long a = System.nanoTime();
                RunIndex index = store.runIndexFor("new-search");
                long b = System.nanoTime();
                int found = index.fetch(onePartition, w -> {
                    throw new AssertionError(w);
                }).size();
                long c = System.nanoTime();
                found += index.fetch(spread, w -> {
                    throw new AssertionError(w);
                }).size();
                long d = System.nanoTime();
                long all = store.read(RunsTable.SCHEMA).collectAsList().size();
                long e = System.nanoTime();
                if (found != 2 * runs || index.size() != all) {
                    throw new AssertionError("found " + found + " of " + 2 * runs + ", indexed " + index.size() + " of " + all);
                }
                if (r >= 0) {
                    build[r] = (b - a) / 1e6;
                    fetchOne[r] = (c - b) / 1e6;
                    fetchSpread[r] = (d - c) / 1e6;
                    whole[r] = (e - d) / 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "median of %d, ms: index built %.0f; fetch %d hits from 1 partition %.0f,"
                    + " from %d partitions %.0f; whole runs table collected %.0f%n", repeats, ManifestVerificationBench.median(build), runs,
                    ManifestVerificationBench.median(fetchOne), runs, ManifestVerificationBench.median(fetchSpread), ManifestVerificationBench.median(whole));
        } finally {
            spark.stop();
        }
    }

    private static String id(int search, int generation, int i) {
        return "s" + search + "g" + generation + "r" + i;
    }
}
