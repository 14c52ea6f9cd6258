package io.tinysparse.results;

import static io.tinysparse.results.ResultStoreTest.commit;
import static io.tinysparse.results.ResultStoreTest.front;
import static io.tinysparse.results.ResultStoreTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.results.Warehouse.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed partitions carry a manifest, and every reader checks it: damage (a file emptied,
 * shortened, changed, removed or added; a manifest removed) is refused naming the file, never
 * read as fewer rows. Partitions from before manifests stay readable, a 0-byte file even there
 * refused. {@link SearchRepair} drops the damaged generation and the later ones.
 */
class PartitionManifestTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("PartitionManifestTest");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** Search {@code s} with three generations of two runs each, and a front per generation. */
    ResultStore threeGenerations() {
        ResultStore store = new ResultStore(spark, dir.toString());
        for (int g = 0; g < 3; g++) {
            RunRecord a = run("a" + g, "s", g, 0.8, 100_000);
            RunRecord b = run("b" + g, "s", g, 0.9, 200_000);
            store.commitGeneration(commit("s", g), List.of(a, b), List.of(front("s", g, 1.0, a, b)));
        }
        return store;
    }

    Path dataFile(Table table, int generation) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(table.dir()).resolve("search_id=s").resolve("generation=" + generation))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
    }

    @Test
    void aCommitWritesAManifestOfEachDataFilesBytesRowsAndChecksum() throws Exception {
        threeGenerations();
        Path file = dataFile(Table.RUNS, 1);
        FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
        PartitionManifest m = PartitionManifest.read(fs,
                new org.apache.hadoop.fs.Path(file.resolveSibling(PartitionManifest.FILE).toUri()));
        assertEquals(1, m.files().size());
        PartitionManifest.Entry e = m.files().get(0);
        assertEquals(List.of(file.getFileName().toString(), Files.size(file), 2L),
                List.of(e.name(), e.bytes(), e.rows()));
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(Files.readAllBytes(file));
        assertEquals(String.format("%08x", crc.getValue()), e.crc32c());
        assertFalse(Files.exists(file.resolveSibling(PartitionManifest.FILE + ".tmp")));
        assertFalse(Files.exists(file.resolveSibling("_SUCCESS")));
    }

    @Test
    void aDataFileTruncatedToZeroBytesIsRefusedNamingItRatherThanReadAsFewerRows() throws Exception {
        ResultStore store = threeGenerations();
        Path file = dataFile(Table.RUNS, 1);
        Files.write(file, new byte[0]);

        DamagedPartitionException e = assertThrows(DamagedPartitionException.class, () -> store.runsOf("s"));
        assertTrue(e.getMessage().startsWith("warehouse file " + file + " is damaged: 0 bytes, its manifest records "),
                e.getMessage());
        assertTrue(e.getMessage().contains("'tinysparse repair --search-id s --warehouse " + dir + "'"), e.getMessage());
        assertEquals(List.of(Table.RUNS, 1), List.of(e.table(), e.generation()));
        assertThrows(DamagedPartitionException.class, store::registerViews);
        // Another table of the same search, and the latest commit, still read: only what is damaged is refused.
        assertEquals(3, store.frontsOf("s").size());
        assertEquals(2, store.latestCommit("s").orElseThrow().generation());
    }

    @Test
    void theLatestSearchesFileEmptiedIsRefusedRatherThanReadAsNoCommit() throws Exception {
        ResultStore store = threeGenerations();
        Path file = dataFile(Table.SEARCHES, 2);
        Files.write(file, new byte[0]);
        DamagedPartitionException e = assertThrows(DamagedPartitionException.class, () -> store.latestCommit("s"));
        assertEquals(file.toString(), e.file());
    }

    @Test
    void aMissingManifestIsCaughtNamingIt() throws Exception {
        ResultStore store = threeGenerations();
        Path manifest = dataFile(Table.FRONTS, 0).resolveSibling(PartitionManifest.FILE);
        Files.delete(manifest);
        DamagedPartitionException e = assertThrows(DamagedPartitionException.class, () -> store.frontsOf("s"));
        assertEquals(manifest.toString(), e.file());
        assertTrue(e.reason().startsWith("missing"), e.reason());
    }

    @Test
    void aSizeMismatchIsCaught() throws Exception {
        ResultStore store = threeGenerations();
        Path file = dataFile(Table.RUNS, 2);
        long size = Files.size(file);
        Files.write(file, new byte[] {0}, StandardOpenOption.APPEND);
        DamagedPartitionException e = assertThrows(DamagedPartitionException.class, () -> store.runsOf("s"));
        assertEquals((size + 1) + " bytes, its manifest records " + size + " (2 rows)", e.reason());
    }

    @Test
    void aChangedByteOfTheSameLengthIsCaughtByTheChecksum() throws Exception {
        ResultStore store = threeGenerations();
        Path file = dataFile(Table.RUNS, 0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        DamagedPartitionException e = assertThrows(DamagedPartitionException.class, () -> store.runsOf("s"));
        assertTrue(e.reason().startsWith("content changed: CRC32C "), e.reason());
    }

    @Test
    void aDataFileMissingOrAddedIsCaught() throws Exception {
        ResultStore store = threeGenerations();
        Path file = dataFile(Table.RUNS, 0);
        Path copy = file.resolveSibling("part-99999-extra.zstd.parquet");
        Files.copy(file, copy);
        assertEquals("not listed in its partition's manifest",
                assertThrows(DamagedPartitionException.class, () -> store.runsOf("s")).reason());
        Files.delete(copy);
        Files.delete(file);
        assertEquals("missing (listed in its manifest with 2 rows)",
                assertThrows(DamagedPartitionException.class, () -> store.runsOf("s")).reason());
    }

    @Test
    void aPartitionFromBeforeManifestsReadsButAZeroByteFileInItIsRefused() throws Exception {
        ResultStore store = threeGenerations();
        // As older code left it: no manifests, no record of legacy partitions.
        Files.delete(dir.resolve(LegacyPartitions.FILE));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(PartitionManifest.FILE)).toList()) {
                Files.delete(p);
            }
        }
        assertEquals(6, store.runsOf("s").size());
        // A commit by this code records the older partitions as legacy; they keep reading, the new one is checked.
        RunRecord c = run("c3", "s", 3, 0.7, 50_000);
        store.commitGeneration(commit("s", 3), List.of(c), List.of(front("s", 3, 1.0, c)));
        assertEquals(7, store.runsOf("s").size());
        assertTrue(Files.exists(dataFile(Table.RUNS, 3).resolveSibling(PartitionManifest.FILE)));

        Path old = dataFile(Table.RUNS, 1);
        Files.write(old, new byte[0]);
        DamagedPartitionException e = assertThrows(DamagedPartitionException.class, () -> store.runsOf("s"));
        assertEquals(old.toString(), e.file());
        assertEquals("0 bytes (a Parquet file never is empty)", e.reason());
        byte[] cut = Files.readAllBytes(dataFile(Table.RUNS, 0));
        Files.write(dataFile(Table.RUNS, 0), java.util.Arrays.copyOf(cut, cut.length - 1));
        assertTrue(assertThrows(DamagedPartitionException.class, () -> store.runsOf("s")).reason()
                .startsWith("not a Parquet file"), "generation 0, now one byte short, is checked first");
    }

    @Test
    void repairDropsTheDamagedGenerationAndEveryLaterOneOfEveryTable() throws Exception {
        ResultStore store = threeGenerations();
        ResultStore other = new ResultStore(spark, dir.toString());
        RunRecord x = run("x0", "t", 0, 0.5, 10_000);
        other.commitGeneration(commit("t", 0), List.of(x), List.of(front("t", 0, 1.0, x)));
        Files.write(dataFile(Table.FRONTS, 1), new byte[0]);

        SearchRepair.Outcome out = SearchRepair.repair(store.warehouse(), "s");
        assertEquals(1, out.fromGeneration());
        assertEquals(1, out.damage().size());
        assertEquals("fronts generation 1", out.dropped().get(out.dropped().size() - 1), "the damage is dropped last");
        for (Table t : Table.values()) {
            assertEquals(List.of(0), store.warehouse().committedGenerations(t, "s"), t.dir());
        }
        assertEquals(0, store.latestCommit("s").orElseThrow().generation());
        assertEquals(List.of("a0", "b0"), store.runsOf("s").stream().map(RunRecord::runId).sorted().toList());
        assertEquals(1, other.runsOf("t").size(), "other searches are untouched");
        store.registerViews();

        SearchRepair.Outcome again = SearchRepair.repair(store.warehouse(), "s");
        assertEquals(List.of(-1, 0), List.of(again.fromGeneration(), again.dropped().size()));
    }

    @Test
    void aRepairInterruptedAfterDroppingLaterGenerationsLeavesTheDamageForASecondRepairToFinish() throws Exception {
        ResultStore store = threeGenerations();
        Files.write(dataFile(Table.RUNS, 1), new byte[0]);
        // What a crash after the first drops leaves: the later generations partly gone, the damage still there.
        store.warehouse().dropPartition(Table.SEARCHES, "s", 2);
        store.warehouse().dropPartition(Table.FRONTS, "s", 2);
        assertThrows(DamagedPartitionException.class, () -> store.runsOf("s"));

        SearchRepair.Outcome out = SearchRepair.repair(store.warehouse(), "s");
        assertEquals(1, out.fromGeneration());
        for (Table t : Table.values()) {
            assertEquals(List.of(0), store.warehouse().committedGenerations(t, "s"), t.dir());
        }
        assertEquals(2, store.runsOf("s").size());
    }
}
