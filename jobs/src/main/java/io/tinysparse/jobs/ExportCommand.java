package io.tinysparse.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.core.provenance.BuildInfo;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.datasets.format.AtomicFile;
import io.tinysparse.results.FrontPick;
import io.tinysparse.results.FrontRecord;
import io.tinysparse.results.ResultStore;
import io.tinysparse.results.RunRecord;
import io.tinysparse.results.RunsTable;
import io.tinysparse.results.SearchRecord;
import io.tinysparse.results.Warehouse;
import io.tinysparse.search.driver.PrunedBackbones;
import io.tinysparse.search.space.PolicySpaceJson;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.export.CHeader;
import io.tinysparse.simulator.export.ExportedPolicy;
import io.tinysparse.simulator.export.StaticChannels;
import io.tinysparse.simulator.export.TinyTrainingYaml;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.memory.SramPlan;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tinysparse export} / {@code spark-submit --class io.tinysparse.jobs.ExportCommand}: one
 * member of a search's stored Pareto front as a file to take to a device or back to
 * tiny-training.
 *
 * <p>The front is the search's last stored one: the {@code fronts} row of its latest generation
 * at the highest fidelity stored for that generation, with the accuracies the search decided on
 * (validation). The member is named ({@code --run-id}: its representative run id as the front,
 * the {@code pareto} view and the console show it, or a unique prefix of it; a run that is not a
 * member of that front is bad input, so an export is always of a policy the search put on its
 * front) or picked ({@code --pick}, see {@link FrontPick}: {@code knee}, {@code max-accuracy},
 * {@code min-memory}).
 *
 * <p>Formats: {@code json} (tinysparse's policy file), {@code tiny-training}
 * ({@link TinyTrainingYaml}), {@code c-header} ({@link CHeader}: for a static magnitude
 * selection the channels are chosen from the run's own backbone, found by its hash in
 * {@code --backbone} or the backbone store). Output goes to standard output, or with
 * {@code --out} to a file written all or nothing. Bad input (an unknown search, format or pick,
 * both or neither of {@code --run-id} and {@code --pick}, {@code --out} in a missing directory)
 * is one line and exit 2, before Spark starts where it can be told without it, and nothing is
 * written.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Exports one policy of a search's Pareto front: tinysparse JSON, tiny-training YAML or a C header.")
public final class ExportCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = "--search-id", paramLabel = "ID", required = true, description = "The search whose front to export from.")
    String searchId;

    @Option(names = "--run-id", paramLabel = "RID",
            description = "The front member to export: its run id (or a unique prefix), as the front lists it.")
    String runId;

    @Option(names = "--pick", paramLabel = "WHICH",
            description = "Or pick the member: knee (farthest above the line between the front's extremes, accuracy and"
                    + " bytes scaled to [0, 1]), max-accuracy or min-memory.")
    String pick;

    @Option(names = "--format", paramLabel = "F", required = true,
            description = "json (tinysparse's policy file), tiny-training (its backward_config section, YAML) or"
                    + " c-header (channels, schedule, bias depth and the SRAM plan of one step).")
    String format;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write to FILE, all or nothing (default: standard output).")
    Path out;

    @Option(names = "--backbone", paramLabel = "FILE",
            description = "c-header of a static magnitude selection: the network the search trained from, if it is"
                    + " not in the backbone store (found by the run's backbone hash either way).")
    Path backbone;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws IOException {
        ExportFormat exportFormat = ExportFormat.parse(format);
        FrontPick frontPick = checkMemberChoice();
        Warehouse.checkSearchId(searchId);
        checkOut();
        checkBackbone();
        String text;
        SparkSession session = spark.sessionReading("tinysparse-export-" + searchId, searchId);
        try {
            text = export(new ResultStore(session, spark.warehouse()), exportFormat, frontPick);
        } finally {
            session.stop();
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (out == null) {
            System.out.print(text);
            System.out.flush();
        } else {
            AtomicFile.write(out, o -> o.write(bytes));
            System.err.println("tinysparse: wrote " + out + " (" + bytes.length + " bytes)");
        }
        return CommandRunner.OK;
    }

    /** Exactly one of --run-id and --pick; the pick parsed (null with --run-id). */
    private FrontPick checkMemberChoice() {
        if ((runId == null) == (pick == null)) {
            throw new InvalidInputException(runId == null ? "give --run-id RID or --pick knee|max-accuracy|min-memory"
                    : "give --run-id " + runId + " or --pick " + pick + ", not both");
        }
        if (runId != null && runId.isBlank()) {
            throw new InvalidInputException("--run-id '" + runId + "' is empty");
        }
        return pick == null ? null : FrontPick.parse(pick);
    }

    /** --out must name a file in an existing directory: nothing is created on the way. */
    private void checkOut() {
        if (out == null) {
            return;
        }
        if (Files.isDirectory(out)) {
            throw new InvalidInputException("--out " + out + " is a directory");
        }
        Path dir = out.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidInputException("--out " + out + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new InvalidInputException("--out " + out + ": directory " + dir + " is not writable");
        }
    }

    private String export(ResultStore store, ExportFormat exportFormat, FrontPick frontPick) throws IOException {
        FrontRecord front = lastFront(store.frontsOf(searchId));
        FrontRecord.Member member = frontPick == null ? named(front) : frontPick.choose(front.members());
        String how = frontPick == null ? "named by --run-id" : "--pick " + frontPick.cliName() + " of the front at generation "
                + front.generation() + ", fidelity " + front.fidelity();
        SearchRecord search = store.latestCommit(searchId).orElseThrow();
        JsonNode config = MAPPER.readTree(search.configJson());
        RunRecord run = store.runsOf(searchId).stream().filter(r -> r.runId().equals(member.runId())).findFirst()
                .orElseThrow(() -> new IllegalStateException("front member " + member.runId() + " of search " + searchId
                        + " has no row in the runs table"));
        ModelSpec model = searchedModel(config, run.get(RunsTable.BACKBONE_HASH), exportFormat != ExportFormat.JSON);
        SparseUpdatePolicy policy = PolicyJson.read(member.policyJson(), model);
        if (exportFormat == ExportFormat.JSON) {
            return PolicyJson.write(policy) + "\n";
        }
        ExportedPolicy exported = new ExportedPolicy(searchId, member.runId(), how, model, policy,
                run.get(RunsTable.SEED), member.validationAccuracy(), member.testAccuracy(), member.arenaBytes(),
                member.lin2022Bytes(), front.budgetBytes());
        String producedBy = "tinysparse " + BuildInfo.current().version() + " (commit " + BuildInfo.current().commit() + ")";
        if (exportFormat == ExportFormat.TINY_TRAINING) {
            return TinyTrainingYaml.write(exported, producedBy);
        }
        SramPlan plan = new ArenaEstimator(model.layers(), ArenaConfig.DEFAULT).plan(policy);
        if (plan.peakLiveBytes() != member.arenaBytes()) {
            // a front stored by an older memory model: the header is today's model's plan
            System.err.println("tinysparse: warning: the arena model now gives " + plan.peakLiveBytes()
                    + " bytes for run " + member.runId() + ", the front stored " + member.arenaBytes());
        }
        return CHeader.write(exported, plan, staticChannels(exported, run, config), producedBy);
    }

    /** The front of the latest generation, at the highest fidelity stored for it. */
    private FrontRecord lastFront(List<FrontRecord> fronts) {
        return fronts.stream().filter(f -> !f.members().isEmpty())
                .max(Comparator.comparingInt(FrontRecord::generation).thenComparingInt(FrontRecord::fidelity))
                .orElseThrow(() -> new InvalidInputException("search '" + searchId + "' has no stored front yet"));
    }

    /** The member named by --run-id (exactly, or by a unique prefix). */
    private FrontRecord.Member named(FrontRecord front) {
        List<FrontRecord.Member> matches = front.members().stream().filter(m -> m.runId().equals(runId)).toList();
        if (matches.isEmpty()) {
            matches = front.members().stream().filter(m -> m.runId().startsWith(runId)).toList();
        }
        if (matches.size() != 1) {
            throw new InvalidInputException("--run-id " + runId + (matches.isEmpty() ? " is not a member" : " is ambiguous")
                    + " of the front of search " + searchId + " (generation " + front.generation() + ", fidelity "
                    + front.fidelity() + "; members: " + String.join(", ", front.members().stream()
                            .map(m -> m.runId().substring(0, Math.min(12, m.runId().length()))).toList()) + ")");
        }
        return matches.get(0);
    }

    /**
     * The network a run of the search fine-tuned, from the search's configuration: in a search over
     * pruning ratios, the model of the run's backbone ({@code backbone_models} at its index in
     * {@code backbone_hashes}); otherwise the space's (the first backbone's). A run of a later
     * backbone without its network in the configuration is refused when {@code shapesMatter}
     * (a header or YAML is the network's); its policy JSON is the same on any backbone.
     */
    private static ModelSpec searchedModel(JsonNode config, String backboneHash, boolean shapesMatter) {
        ModelSpec recorded = PrunedBackbones.modelIn(config, backboneHash);
        if (recorded != null) {
            return recorded;
        }
        JsonNode hashes = config.path("backbone_hashes");
        if (shapesMatter && hashes.size() > 1 && !hashes.get(0).asText().equals(backboneHash)) {
            // the space's model is the first backbone's: a run on another one would be described on the wrong network
            throw new InvalidInputException("run of backbone " + backboneHash.substring(0, Math.min(12,
                    backboneHash.length())) + ": the search's configuration names no network for it (a search over"
                    + " pruning ratios stored before backbone_models was recorded); export its policy with --format"
                    + " json, or search again");
        }
        JsonNode space = config.get("space");
        if (space == null || space.isNull()) {
            throw new IllegalStateException("the search's stored configuration has no space");
        }
        return PolicySpaceJson.parse(space.isTextual() ? space.textValue() : space.toString()).model();
    }

    /** A given --backbone must be a tinysparse network file, whatever the format (it is not silently skipped). */
    private void checkBackbone() {
        if (backbone == null) {
            return;
        }
        if (!Files.isRegularFile(backbone)) {
            throw new InvalidInputException("--backbone " + backbone + (Files.exists(backbone) ? " is not a file"
                    : " does not exist"));
        }
        try {
            Network.load(backbone);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("--backbone " + backbone + " is not a tinysparse network file: "
                    + e.getMessage(), e);
        }
    }

    /** For a static selection, the channels the run trained; the backbone is read only when they depend on it. */
    private Map<Integer, int[]> staticChannels(ExportedPolicy exported, RunRecord run, JsonNode config)
            throws IOException {
        if (!StaticChannels.needsWeights(exported.model().layers(), exported.policy())) {
            return StaticChannels.of(exported.model().layers(), exported.policy(), exported.runSeed(), layer -> null);
        }
        String hash = run.get(RunsTable.BACKBONE_HASH);
        Path store = DataDirectory.home().resolve("backbones");
        Network network = BackboneMatch.find(BackboneMatch.candidates(backbone, store), hash, exported.model(),
                config.path("seed").asLong()).orElseThrow(() -> new InvalidInputException("the c-header of run "
                        + exported.runId() + " lists the channels its " + exported.policy().selection().strategy().jsonName()
                        + " selection chose from backbone " + hash.substring(0, 12) + ", which is neither "
                        + (backbone == null ? "given (--backbone FILE)" : "--backbone " + backbone) + " nor in " + store));
        return StaticChannels.of(exported.model().layers(), exported.policy(), exported.runSeed(), network::weights);
    }

    public static void main(String[] args) {
        CommandRunner.main(new ExportCommand(), args);
    }
}
