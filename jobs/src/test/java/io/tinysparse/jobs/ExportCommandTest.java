package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.results.FrontPick;
import io.tinysparse.results.FrontRecord;
import io.tinysparse.results.ResultStore;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.RunsTable;
import io.tinysparse.results.SearchRecord;
import io.tinysparse.search.space.PolicySpace;
import io.tinysparse.search.space.PolicySpaceJson;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.selection.FixedSelector;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.memory.Lin2022Estimator;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tinysparse export} over a warehouse written here (a search with fronts at two
 * generations and two fidelities): it exports from the last front, picks as {@link FrontPick}
 * says, writes files that read back to the stored policy and its lin2022 bytes, lists a static
 * selection's channels from the run's own backbone, and refuses bad input with one line, exit 2
 * and nothing written.
 */
class ExportCommandTest {
    private static final ModelSpec MODEL = ModelSpec.preset("mbv2-w0.35").withResolution(32);
    private static final long SEARCH_SEED = 5;
    private static final long RUN_SEED = 11;
    private static final String SEARCH = "export-test";
    private static final String PRUNED_SEARCH = "export-pruned";
    private static final SparseUpdatePolicy CYCLIC = new SparseUpdatePolicy(14, List.of(WeightUpdate.ratio(41, 0.5),
            WeightUpdate.full(44)), ChannelSelection.dynamic(SelectionStrategy.CYCLIC, 4), true);
    private static final ModelSpec PRUNED = ModelSpec.of(ChannelGroups.of(MODEL.architecture()).pruned(0.5),
            MODEL.resolution(), MODEL.numClasses());

    @TempDir
    static Path dir;

    static Path warehouse;
    static Path backboneFile;
    /** The members of the last front (generation 1, fidelity 1), ascending by bytes. */
    static List<FrontRecord.Member> lastFront;

    record Outcome(int code, String out, String err) {}

    @BeforeAll
    static void writeWarehouse() throws Exception {
        warehouse = dir.resolve("wh");
        Network raw = Network.initialize(ModelSpec.preset("mbv2-w0.35"), 3);
        backboneFile = dir.resolve("backbone.tsnw");
        raw.save(backboneFile);
        String backboneHash = raw.withResolution(MODEL.resolution()).fold().withNewClassifier(MODEL.numClasses(),
                SEARCH_SEED).parameterHash();
        List<SparseUpdatePolicy> policies = new ArrayList<>(List.of(
                SparseUpdatePolicy.biasOnly(2),
                SparseUpdatePolicy.of(10, List.of(WeightUpdate.ratio(45, 0.5), WeightUpdate.ratio(48, 0.25))),
                new SparseUpdatePolicy(14, List.of(WeightUpdate.ratio(41, 0.5), WeightUpdate.full(44)),
                        ChannelSelection.dynamic(SelectionStrategy.CYCLIC, 4), true),
                SparseUpdatePolicy.of(20, List.of(WeightUpdate.full(36), WeightUpdate.full(39), WeightUpdate.full(42)))));
        ArenaEstimator arena = new ArenaEstimator(MODEL.layers(), ArenaConfig.DEFAULT);
        policies.sort(Comparator.comparingLong(arena::peakBytes));
        double[] accuracy = {0.40, 0.78, 0.81, 0.83};
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++) {
            runs.add(run("run" + i + "-" + "0123456789abcdef".repeat(3), i < 2 ? 0 : 1, policies.get(i), accuracy[i],
                    backboneHash));
        }
        SparkSession spark = SparkSessions.create("export-test", "local[1]", false);
        try {
            ResultStore store = new ResultStore(spark, warehouse.toString());
            store.commitGeneration(commit(0), runs.subList(0, 2), List.of(front(0, 0, runs.subList(0, 1))));
            lastFront = front(1, 1, runs).members();
            store.commitGeneration(commit(1), runs.subList(2, 4), List.of(front(1, 0, runs.subList(0, 2)),
                    front(1, 1, runs)));
            // A search over pruning ratios 0 and 0.5: one member on each backbone, the same cyclic policy.
            SparseUpdatePolicy cyclic = CYCLIC;
            List<RunRecord> pruned = List.of(run(PRUNED_SEARCH, MODEL, "unpruned-" + "0123456789abcdef".repeat(3), 0,
                    cyclic, 0.8, "h0"), run(PRUNED_SEARCH, PRUNED, "pruned-" + "0123456789abcdef".repeat(3), 0, cyclic,
                    0.75, "h50"));
            ObjectNode config = new ObjectMapper().createObjectNode();
            config.put("space", PolicySpaceJson.write(PolicySpace.defaultFor(MODEL)));
            config.put("seed", SEARCH_SEED);
            config.set("prune_ratios", new ObjectMapper().valueToTree(List.of(0.0, 0.5)));
            config.set("backbone_hashes", new ObjectMapper().valueToTree(List.of("h0", "h50")));
            config.set("backbone_models", new ObjectMapper().valueToTree(List.of(PolicySpaceJson.modelNode(MODEL),
                    PolicySpaceJson.modelNode(PRUNED))));
            Timestamp t = new Timestamp(1_700_000_000_000L);
            store.commitGeneration(new SearchRecord(PRUNED_SEARCH, 0, "finished", config.toString(), "{}", 2, 0, 2, t, t),
                    pruned, List.of(front(PRUNED_SEARCH, 0, 0, pruned)));
        } finally {
            spark.stop();
        }
    }

    static RunRecord run(String id, int generation, SparseUpdatePolicy p, double accuracy, String backboneHash) {
        return run(SEARCH, MODEL, id, generation, p, accuracy, backboneHash);
    }

    static RunRecord run(String search, ModelSpec model, String id, int generation, SparseUpdatePolicy p,
            double accuracy, String backboneHash) {
        return RunRecord.builder(search, generation)
                .set(RunsTable.RUN_ID, id).set(RunsTable.FIDELITY, 0).set(RunsTable.ITERATIONS, 100)
                .set(RunsTable.POLICY_JSON, p.toCanonicalJson()).set(RunsTable.BIAS_LAYERS, p.biasLayers())
                .set(RunsTable.WEIGHT_LAYERS, p.weights().stream().map(WeightUpdate::layer).toList())
                .set(RunsTable.WEIGHT_RATIOS, p.weights().stream().map(WeightUpdate::ratio).toList())
                .set(RunsTable.SELECTION, p.selection().strategy().jsonName()).set(RunsTable.MODEL, model.label())
                .set(RunsTable.RESOLUTION, model.resolution()).set(RunsTable.NUM_CLASSES, model.numClasses())
                .set(RunsTable.DATASET, "fashion-mnist").set(RunsTable.DEVICE, "generic-256kb")
                .set(RunsTable.SEED, RUN_SEED).set(RunsTable.TEST_ACCURACY, accuracy - 0.01)
                .set(RunsTable.VAL_ACCURACY, List.of(0.1, accuracy))
                .set(RunsTable.LIN2022_BYTES, new Lin2022Estimator(model.layers()).peakBytes(p))
                .set(RunsTable.ARENA_BYTES, new ArenaEstimator(model.layers(), ArenaConfig.DEFAULT).peakBytes(p))
                .set(RunsTable.BUDGET_BYTES, 262_144L).set(RunsTable.FEASIBLE, true)
                .set(RunsTable.BREAKDOWN, List.of(new RunRecord.BreakdownEntry(48, "activation", 4096L)))
                .set(RunsTable.UPDATED_FRACTION, 0.1).set(RunsTable.COVERAGE, 0.2).set(RunsTable.TRAIN_MACS, 1000L)
                .set(RunsTable.DEVICE_TIME_MS, 3.0).set(RunsTable.WALL_TIME_MS, 10.0)
                .set(RunsTable.BACKBONE_HASH, backboneHash).set(RunsTable.TINYSPARSE_VERSION, "test")
                .set(RunsTable.GIT_COMMIT, "test").set(RunsTable.CREATED_AT, new Timestamp(1_700_000_000_000L))
                .build();
    }

    static SearchRecord commit(int generation) {
        ObjectNode config = new ObjectMapper().createObjectNode();
        config.put("space", PolicySpaceJson.write(PolicySpace.defaultFor(MODEL)));
        config.put("seed", SEARCH_SEED);
        Timestamp t = new Timestamp(1_700_000_000_000L);
        return new SearchRecord(SEARCH, generation, "running", config.toString(), "{}", 2, 0, 2, t, t);
    }

    static FrontRecord front(int generation, int fidelity, List<RunRecord> members) {
        return front(SEARCH, generation, fidelity, members);
    }

    static FrontRecord front(String search, int generation, int fidelity, List<RunRecord> members) {
        return new FrontRecord(search, generation, fidelity, 1.0, 262_144L, members.stream().map(r ->
                new FrontRecord.Member(r.runId(), r.testAccuracy(), r.arenaBytes(), r.deviceTimeMs(), r.policyJson(),
                        r.validationAccuracy(), null, null, null, null, 1, null, r.get(RunsTable.LIN2022_BYTES)))
                .toList(), null);
    }

    static Outcome export(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cl = CommandRunner.commandLine(new ExportCommand());
            cl.setErr(new PrintWriter(err));
            String[] all = Stream.concat(Stream.of("--master", "local[1]", "--warehouse", warehouse.toString()),
                    Arrays.stream(args)).toArray(String[]::new);
            int code = cl.execute(all);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    static FrontRecord.Member lastFrontMember(String runId) {
        return lastFront.stream().filter(m -> m.runId().equals(runId)).findFirst().orElseThrow();
    }

    @Test
    void theKneeOfTheLastFrontExportedForTinyTrainingReadsBackToItsLin2022Bytes() throws Exception {
        FrontRecord.Member knee = FrontPick.KNEE.choose(lastFront);
        Path file = dir.resolve("knee.yaml");
        Outcome o = export("--search-id", SEARCH, "--pick", "knee", "--format", "tiny-training", "--out", file.toString());
        assertEquals(CommandRunner.OK, o.code(), o.err());
        assertEquals("", o.out());
        String yaml = Files.readString(file);
        assertTrue(yaml.contains("# search " + SEARCH + ", run " + knee.runId() + " (--pick knee of the front at generation 1,"
                + " fidelity 1)"), yaml);
        SparseUpdatePolicy back = PolicyJson.read(file, MODEL);
        assertEquals(knee.lin2022Bytes().longValue(), new Lin2022Estimator(MODEL.layers()).peakBytes(back));
    }

    @Test
    void maxAccuracyComesFromTheLastFrontAndJsonIsTheStoredPolicy() throws Exception {
        Outcome o = export("--search-id", SEARCH, "--pick", "max-accuracy", "--format", "json");
        assertEquals(CommandRunner.OK, o.code(), o.err());
        FrontRecord.Member best = lastFront.get(lastFront.size() - 1); // only in the fidelity-1 front of generation 1
        assertEquals(PolicyJson.read(best.policyJson()), PolicyJson.read(o.out()));
        assertEquals(PolicyJson.write(PolicyJson.read(best.policyJson())) + "\n", o.out());
    }

    @Test
    void aStaticMagnitudeHeaderListsTheChannelsOfTheRunsBackboneNamedByARunIdPrefix() throws Exception {
        FrontRecord.Member member = lastFront.stream().filter(m -> m.policyJson().contains("\"layer\":45")).findFirst()
                .orElseThrow();
        Outcome o = export("--search-id", SEARCH, "--run-id", member.runId().substring(0, 5), "--format", "c-header",
                "--backbone", backboneFile.toString());
        assertEquals(CommandRunner.OK, o.code(), o.err());
        String header = o.out();
        assertTrue(header.contains("#define TINYSPARSE_PEAK_LIVE_BYTES " + member.arenaBytes() + "u"), header);
        Network folded = Network.load(backboneFile).withResolution(32).fold();
        ConvLayer conv45 = MODEL.layers().conv(45);
        double[] norms = FixedSelector.sliceNormsSquared(conv45, folded.weights(45));
        Integer[] byNorm = new Integer[conv45.inChannels()];
        Arrays.setAll(byNorm, c -> c);
        Arrays.sort(byNorm, Comparator.comparingDouble((Integer c) -> -norms[c]));
        int[] strongest = Arrays.stream(byNorm).limit(28).mapToInt(Integer::intValue).sorted().toArray();
        String listed = header.substring(header.indexOf("TINYSPARSE_CHANNEL_INDEX["));
        listed = listed.substring(listed.indexOf('{') + 1, listed.indexOf('}')).replaceAll("\\s+", "");
        assertTrue(listed.startsWith(String.join(",", Arrays.stream(strongest).mapToObj(Integer::toString).toList()) + ","),
                listed);
    }

    @Test
    void aStaticHeaderWithoutItsBackboneIsBadInputNamingTheHash() throws Exception {
        FrontRecord.Member member = lastFront.stream().filter(m -> m.policyJson().contains("\"layer\":45")).findFirst()
                .orElseThrow();
        Path other = dir.resolve("other.tsnw");
        Network.initialize(ModelSpec.preset("mbv2-w0.35"), 99).save(other);
        Path out = dir.resolve("none.h");
        Outcome o = export("--search-id", SEARCH, "--run-id", member.runId(), "--format", "c-header", "--backbone",
                other.toString(), "--out", out.toString());
        assertEquals(CommandRunner.BAD_INPUT, o.code(), o.err());
        assertTrue(o.err().contains("which is neither --backbone " + other), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aMemberOfASearchOverPruningRatiosIsExportedForItsOwnBackbonesNetwork() throws Exception {
        Path yaml = dir.resolve("pruned.yaml");
        Outcome o = export("--search-id", PRUNED_SEARCH, "--run-id", "pruned-", "--format", "tiny-training", "--out",
                yaml.toString());
        assertEquals(CommandRunner.OK, o.code(), o.err());
        SparseUpdatePolicy back = PolicyJson.read(yaml, PRUNED);
        assertEquals(new Lin2022Estimator(PRUNED.layers()).peakBytes(CYCLIC), new Lin2022Estimator(PRUNED.layers())
                .peakBytes(back), "costed on the pruned network");
        Outcome header = export("--search-id", PRUNED_SEARCH, "--run-id", "pruned-", "--format", "c-header");
        assertEquals(CommandRunner.OK, header.code(), header.err());
        assertFalse(header.err().contains("warning"), "the header's plan is the pruned network's, as stored: "
                + header.err());
        assertTrue(header.out().contains(String.format(java.util.Locale.ROOT, "SRAM of one step %,d bytes (arena)",
                new ArenaEstimator(PRUNED.layers(), ArenaConfig.DEFAULT).peakBytes(CYCLIC))), header.out());
        assertTrue(header.out().contains(" * model: " + PRUNED.label() + ";"), header.out());
        Outcome unpruned = export("--search-id", PRUNED_SEARCH, "--run-id", "unpruned-", "--format", "c-header");
        assertEquals(CommandRunner.OK, unpruned.code(), unpruned.err());
        assertFalse(unpruned.err().contains("warning"), unpruned.err());
        assertFalse(unpruned.out().equals(header.out().replace("pruned-", "unpruned-")), "another network's plan");
    }

    @Test
    void aRunThatIsNotAMemberOfTheLastFrontIsBadInputListingTheMembers() {
        Outcome o = export("--search-id", SEARCH, "--run-id", "nosuchrun", "--format", "json");
        assertEquals(CommandRunner.BAD_INPUT, o.code(), o.err());
        assertTrue(o.err().contains("--run-id nosuchrun is not a member of the front of search " + SEARCH
                + " (generation 1, fidelity 1; members: run0-"), o.err());
        assertEquals("", o.out());
    }

    @Test
    void badInputIsOneLineExitTwoAndWritesNothing() throws Exception {
        Path out = dir.resolve("missing-dir").resolve("p.h");
        Path notANetwork = Files.writeString(dir.resolve("backbone.yaml"), "backward_config: {}\n");
        String[][] cases = {
            {"--format 'yaml' is not one of json, tiny-training, c-header", "--search-id", SEARCH, "--pick", "knee",
                "--format", "yaml"},
            {"--pick 'elbow' is not one of knee, max-accuracy, min-memory", "--search-id", SEARCH, "--pick", "elbow",
                "--format", "json"},
            {"give --run-id RID or --pick knee|max-accuracy|min-memory", "--search-id", SEARCH, "--format", "json"},
            {"--backbone " + dir.resolve("nosuch.tsnw") + " does not exist", "--search-id", SEARCH, "--pick", "knee",
                "--format", "c-header", "--backbone", dir.resolve("nosuch.tsnw").toString()},
            {"--backbone " + notANetwork + " is not a tinysparse network file", "--search-id", SEARCH, "--pick", "knee",
                "--format", "c-header", "--backbone", notANetwork.toString()},
            {"give --run-id r or --pick knee, not both", "--search-id", SEARCH, "--run-id", "r", "--pick", "knee",
                "--format", "json"},
            {"--out " + out + ": directory " + out.getParent() + " does not exist", "--search-id", SEARCH, "--pick",
                "knee", "--format", "json", "--out", out.toString()},
            {"search 'nosuch' is not in warehouse '" + warehouse + "' (no committed generation)", "--search-id", "nosuch", "--pick",
                "knee", "--format", "json", "--out", dir.resolve("x.json").toString()},
        };
        for (String[] c : cases) {
            Outcome o = export(Arrays.copyOfRange(c, 1, c.length));
            assertEquals(CommandRunner.BAD_INPUT, o.code(), c[0] + ": " + o.err());
            assertTrue(o.err().contains(c[0]), c[0] + " not in: " + o.err());
            assertEquals(1, o.err().strip().lines().count(), o.err());
            assertEquals("", o.out());
        }
        assertFalse(Files.exists(out.getParent()));
        assertFalse(Files.exists(dir.resolve("x.json")));
    }
}
