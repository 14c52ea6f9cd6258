package io.tinysparse.simulator.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.provenance.BuildInfo;
import io.tinysparse.core.provenance.Platform;
import io.tinysparse.core.provenance.Provenance;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.simulator.engine.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackboneStoreTest {
    @TempDir
    Path dir;

    private final ImageDataset data = SyntheticImages.quadrants(200, 11);

    private static PretrainSpec quickSpec(long seed) {
        return new PretrainSpec(PretrainerTest.TINY, "quadrants", 32, 16, 1, 16, 0.05, 0.9, 0, 0, seed, 4);
    }

    private BackboneCheckpoint pretrained(PretrainSpec spec) {
        return BackboneCheckpoint.of(spec, Pretrainer.run(spec, data, Pretrainer.Progress.NONE));
    }

    @Test
    void checkpointRoundTripGivesIdenticalParametersAndProvenance() throws IOException {
        BackboneCheckpoint c = pretrained(quickSpec(1));
        Path file = dir.resolve("b.tsnw");
        c.save(file);
        assertTrue(Files.exists(dir.resolve("b.tsnw.json")));
        BackboneCheckpoint back = BackboneCheckpoint.load(file);
        assertEquals(c.provenance(), back.provenance());
        assertEquals(c.network().parameterHash(), back.network().parameterHash());
        assertArrayEquals(c.network().weights(3), back.network().weights(3));
        assertArrayEquals(c.network().batchNorm(3).runningVar(), back.network().batchNorm(3).runningVar());
        BackboneProvenance p = back.provenance();
        assertEquals(quickSpec(1), p.spec());
        assertEquals(quickSpec(1).hash(), p.specHash());
        assertEquals(2, p.iterations());
        assertEquals(back.network().parameterHash(), p.parameterHash());
        assertEquals(Provenance.current(), p.computedBy());
        String json = Files.readString(dir.resolve("b.tsnw.json"));
        for (String key : new String[] {"format_version", "width_multiplier", "dataset", "seed", "held_out_accuracy",
                "parameter_hash", "computed_by", "commit", "java_version", "os_arch", "created", "learning_rate",
                "held_out"}) {
            assertTrue(json.contains(key), key + " in " + json);
        }
    }

    @Test
    void aCheckpointWrittenInLayout1LoadsWithItsBuildAndAnUnknownPlatform() throws IOException {
        BackboneCheckpoint c = pretrained(quickSpec(1));
        Path file = dir.resolve("old.tsnw");
        c.save(file);
        // the provenance as layout 1 wrote it: code_version and git_commit where computed_by is now
        Path json = dir.resolve("old.tsnw.json");
        ObjectNode v1 = (ObjectNode) new ObjectMapper().readTree(json.toFile());
        v1.remove("computed_by");
        v1.put("format_version", 1);
        v1.put("code_version", "dev");
        v1.put("git_commit", "ded6fee0c1b8f7b3e3c6a7d1a9b0c2d3e4f5a6b7");
        Files.writeString(json, v1.toPrettyString());

        BackboneProvenance p = BackboneCheckpoint.load(file).provenance();
        assertEquals(new Provenance(new BuildInfo("dev", "ded6fee0c1b8f7b3e3c6a7d1a9b0c2d3e4f5a6b7", false),
                Platform.unknown()), p.computedBy());
        assertEquals(c.provenance().specHash(), p.specHash());
        assertEquals(c.provenance().parameterHash(), p.parameterHash());

        v1.put("git_commit", "unknown");
        v1.put("format_version", 4);
        Files.writeString(json, v1.toPrettyString());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> BackboneCheckpoint.load(file));
        assertTrue(e.getMessage().contains("format_version 4 is not supported"), e.getMessage());
    }

    @Test
    void aCheckpointWrittenInLayout2LoadsAsOneShardOnOneThreadAtItsOldAddress() throws IOException {
        BackboneCheckpoint c = pretrained(withShards(quickSpec(1), 1));
        Path file = dir.resolve("old.tsnw");
        c.save(file);
        // the provenance as layout 2 wrote it: no shards in the spec, no train_threads
        Path json = dir.resolve("old.tsnw.json");
        ObjectNode v2 = (ObjectNode) new ObjectMapper().readTree(json.toFile());
        ((ObjectNode) v2.get("spec")).remove("shards");
        v2.remove("train_threads");
        v2.put("format_version", 2);
        Files.writeString(json, v2.toPrettyString());

        BackboneProvenance p = BackboneCheckpoint.load(file).provenance();
        assertEquals(1, p.spec().shards());
        assertEquals(1, p.trainThreads());
        assertEquals(c.provenance().specHash(), p.specHash());
    }

    @Test
    void oneShardKeepsTheAddressOfBackbonesStoredBeforeShardsExisted() {
        // the default spec's hash as stored by the single-threaded pretraining (procedure 1)
        assertEquals("62e3dcec1753ae9eff84b4394f80f7d02f8cfe355458961e543609291ff355bd",
                withShards(PretrainSpec.defaults(), 1).hash());
        assertNotEquals(withShards(PretrainSpec.defaults(), 1).hash(), PretrainSpec.defaults().hash());
        assertTrue(PretrainSpec.defaults().canonical().endsWith(";shards=" + PretrainSpec.DEFAULT_SHARDS),
                PretrainSpec.defaults().canonical());
    }

    static PretrainSpec withShards(PretrainSpec s, int shards) {
        return new PretrainSpec(s.model(), s.dataset(), s.samples(), s.heldOut(), s.epochs(), s.batchSize(),
                s.learningRate(), s.momentum(), s.weightDecay(), s.warmupFraction(), s.seed(), shards);
    }

    @Test
    void forTargetGivesAFoldedNetworkWithAFreshClassifierAndLeavesTheBackboneAlone() {
        BackboneCheckpoint c = pretrained(quickSpec(1));
        String before = c.network().parameterHash();
        Network target = c.forTarget(7, 24, 5);
        assertTrue(target.isFolded());
        assertEquals(7, target.spec().numClasses());
        assertEquals(24, target.spec().resolution());
        assertEquals(before, c.network().parameterHash());
        assertEquals(target.parameterHash(), c.forTarget(7, 24, 5).parameterHash(), "deterministic for a seed");
    }

    @Test
    void storeReusesAnExistingCheckpointWithoutRetraining() throws IOException {
        AtomicInteger loads = new AtomicInteger();
        BackboneStore store = new BackboneStore(dir, name -> {
            loads.incrementAndGet();
            return data;
        });
        PretrainSpec spec = quickSpec(2);
        BackboneCheckpoint first = store.getOrPretrain(spec);
        assertEquals(1, loads.get());
        Path file = store.networkFile(spec);
        assertEquals(dir.resolve(spec.hash()).resolve("backbone.tsnw"), file);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(file, old);
        byte[] bytes = Files.readAllBytes(file);

        BackboneCheckpoint again = new BackboneStore(dir, name -> {
            throw new AssertionError("must not load data to retrain");
        }).getOrPretrain(spec);
        assertEquals(first.provenance(), again.provenance());
        assertEquals(first.network().parameterHash(), again.network().parameterHash());
        assertEquals(old, Files.getLastModifiedTime(file));
        assertArrayEquals(bytes, Files.readAllBytes(file));

        store.getOrPretrain(quickSpec(3));
        assertEquals(2, loads.get(), "another spec is another backbone");
        assertNotEquals(store.networkFile(spec), store.networkFile(quickSpec(3)));
    }

    @Test
    void concurrentCallersForOneSpecPretrainItOnce() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        PretrainSpec spec = quickSpec(5);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            java.util.List<java.util.concurrent.Future<BackboneCheckpoint>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                // a store per caller, as separate tasks would have
                BackboneStore store = new BackboneStore(dir, name -> {
                    loads.incrementAndGet();
                    return data;
                });
                results.add(pool.submit(() -> store.getOrPretrain(spec)));
            }
            String hash = results.get(0).get().provenance().parameterHash();
            for (java.util.concurrent.Future<BackboneCheckpoint> f : results) {
                assertEquals(hash, f.get().provenance().parameterHash());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, loads.get(), "pretrained once");
    }

    @Test
    void corruptNetworkFileGivesAOneLineErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("b.tsnw");
        pretrained(quickSpec(1)).save(file);
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 0x40;
        Files.write(file, b);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> BackboneCheckpoint.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void corruptProvenanceGivesAOneLineErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("b.tsnw");
        pretrained(quickSpec(1)).save(file);
        Path json = BackboneCheckpoint.provenanceFile(file);
        Files.writeString(json, Files.readString(json).substring(0, 40));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> BackboneCheckpoint.load(file));
        assertTrue(e.getMessage().contains(json.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void provenanceOfAnotherNetworkIsRefused() throws IOException {
        Path a = dir.resolve("a.tsnw");
        Path b = dir.resolve("b.tsnw");
        pretrained(quickSpec(1)).save(a);
        pretrained(quickSpec(4)).save(b);
        Files.copy(BackboneCheckpoint.provenanceFile(b), BackboneCheckpoint.provenanceFile(a),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> BackboneCheckpoint.load(a));
        assertTrue(e.getMessage().contains(a.toString()) && e.getMessage().contains("parameter hash"), e.getMessage());
    }

    @Test
    void corruptStoredBackboneIsReportedNotSilentlyRetrained() throws IOException {
        BackboneStore store = new BackboneStore(dir, name -> data);
        PretrainSpec spec = quickSpec(2);
        store.getOrPretrain(spec);
        Files.write(store.networkFile(spec), new byte[] {1, 2, 3});
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> store.getOrPretrain(spec));
        assertTrue(e.getMessage().contains(store.networkFile(spec).toString()), e.getMessage());
    }

    @Test
    void homeIsTinysparseHomeOrTheUsersDotTinysparse() {
        assertEquals(Path.of("/data/ts"), BackboneStore.home(Map.of("TINYSPARSE_HOME", "/data/ts")::get, "/home/u"));
        assertEquals(Path.of("/home/u/ts"), BackboneStore.home(Map.of("TINYSPARSE_HOME", "~/ts")::get, "/home/u"));
        assertEquals(Path.of("/home/u/.tinysparse"), BackboneStore.home(k -> null, "/home/u"));
    }

    @Test
    void specHashChangesWithEveryField() {
        PretrainSpec s = quickSpec(1);
        assertEquals(s.hash(), quickSpec(1).hash());
        assertNotEquals(s.hash(), quickSpec(2).hash());
        assertNotEquals(s.hash(), new PretrainSpec(s.model().withResolution(32), s.dataset(), s.samples(), s.heldOut(),
                s.epochs(), s.batchSize(), s.learningRate(), s.momentum(), s.weightDecay(), s.warmupFraction(),
                s.seed(), s.shards()).hash());
        assertNotEquals(s.hash(), new PretrainSpec(s.model(), s.dataset(), s.samples(), s.heldOut(), s.epochs(),
                s.batchSize(), 0.01, s.momentum(), s.weightDecay(), s.warmupFraction(), s.seed(), s.shards()).hash());
        assertNotEquals(s.hash(), withShards(s, 2).hash());
        assertNotEquals(withShards(s, 1).hash(), withShards(s, 2).hash());
    }
}
