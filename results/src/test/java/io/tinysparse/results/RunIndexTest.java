package io.tinysparse.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.results.RunIndex.Location;
import io.tinysparse.results.Warehouse.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which stored copy of a run another search finds, over three searches: {@code a} trained r1 and
 * r2, {@code b} took r1 from {@code a} and trained r3, {@code c} trained r2 again later (as a
 * search running beside {@code a} would).
 */
class RunIndexTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("RunIndexTest");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    static RunRecord trained(String id, String search, long createdAt) {
        return ResultStoreTest.run(id, search, 0, 0.8, 100_000).toBuilder(search, 0)
                .set(RunsTable.CREATED_AT, new Timestamp(createdAt))
                .set(RunsTable.TRAINED_BY, search)
                .build();
    }

    ResultStore threeSearches() {
        ResultStore store = new ResultStore(spark, dir.toString());
        RunRecord r1 = trained("r1", "a", 1000);
        store.commitGeneration(ResultStoreTest.commit("a", 0), List.of(r1, trained("r2", "a", 2000)), List.of());
        store.commitGeneration(ResultStoreTest.commit("b", 0), List.of(r1.toBuilder("b", 0).build(),
                trained("r3", "b", 500)), List.of());
        store.commitGeneration(ResultStoreTest.commit("c", 0), List.of(trained("r2", "c", 3000)), List.of());
        return store;
    }

    @Test
    void eachRunIsFoundWhereItWasFirstTrainedAndASearchNeverFindsItsOwnRuns() {
        ResultStore store = threeSearches();
        RunIndex all = store.runIndexFor("x");
        assertEquals(3, all.size());
        assertEquals(3, all.partitions());
        assertEquals(Optional.of(new Location("a", 0)), all.locate("r1"), "a copy ties with its original: least search");
        assertEquals(Optional.of(new Location("a", 0)), all.locate("r2"), "trained by a before c");
        assertEquals(Optional.of(new Location("b", 0)), all.locate("r3"));
        assertEquals(Optional.empty(), all.locate("r9"));

        RunIndex forA = store.runIndexFor("a");
        assertEquals(Optional.of(new Location("b", 0)), forA.locate("r1"), "a's own copy is not in its index");
        assertEquals(Optional.of(new Location("c", 0)), forA.locate("r2"));
    }

    @Test
    void fetchReadsTheIndexedRowsAsTheirSearchStoredThem() {
        ResultStore store = threeSearches();
        List<String> warnings = new ArrayList<>();
        Map<String, RunRecord> got = store.runIndexFor("x").fetch(List.of("r1", "r2", "r3", "r9"), warnings::add);
        assertEquals(Set.of("r1", "r2", "r3"), got.keySet());
        assertEquals(trained("r1", "a", 1000), got.get("r1"));
        assertEquals(trained("r2", "a", 2000), got.get("r2"), "the first-trained copy, not c's");
        assertEquals("b", got.get("r3").searchId());
        assertEquals(List.of(), warnings);
    }

    static Path parquetOf(Path partition) throws IOException {
        try (Stream<Path> files = Files.list(partition)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
    }

    @Test
    void aDamagedPartitionOfAnotherSearchIsLeftOutAndReportedNotReadNorAnError() throws Exception {
        ResultStore store = threeSearches();
        Path file = parquetOf(dir.resolve("runs/search_id=b/generation=0"));
        Files.write(file, new byte[0]);
        RunIndex index = store.runIndexFor("x");
        assertEquals(1, index.skipped().size());
        DamagedPartitionException d = index.skipped().get(0);
        assertEquals(List.of(Table.RUNS, "b", 0), List.of(d.table(), d.searchId(), d.generation()));
        assertEquals(Optional.empty(), index.locate("r3"), "b's runs are not found");
        assertEquals(Optional.of(new Location("a", 0)), index.locate("r1"));
        assertTrue(RunIndex.notReused(d).startsWith("runs of search 'b' generation 0 not reused (its file " + file
                + " is damaged: 0 bytes"), RunIndex.notReused(d));
    }

    @Test
    void aPartitionDamagedAfterTheIndexWasBuiltIsReportedByFetchAndItsRunsLeftOut() throws Exception {
        ResultStore store = threeSearches();
        RunIndex index = store.runIndexFor("x");
        Files.write(parquetOf(dir.resolve("runs/search_id=a/generation=0")), new byte[0]);
        List<String> warnings = new ArrayList<>();
        Map<String, RunRecord> got = index.fetch(List.of("r1", "r3"), warnings::add);
        assertEquals(Set.of("r3"), got.keySet());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("runs of search 'a' generation 0 not reused"), warnings.get(0));
    }
}
