package io.tinysparse.search.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.bench.RunAccounting.CountedRun;
import io.tinysparse.search.space.MemoryBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of a finished comparison, in its results directory: {@code table.md} (the settings,
 * the hypervolume table and the initial-design table), {@code hypervolume.csv} (the per-seed
 * values behind the table) and {@code trajectories.json} (the settings and every trajectory's
 * counted runs and counters). Each file is written to a temporary name and renamed, so a
 * killed benchmark leaves the previous complete file, never half of one.
 */
final class ComparisonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<Trajectory> trajectories;
    private final int[] checkpoints;
    private final MemoryBudget budget;
    private final int population;

    /**
     * @param budget     the space and SRAM budget (the reference point of the hypervolume)
     * @param population the runs whose distribution the initial-design table describes
     */
    ComparisonReport(List<Trajectory> trajectories, int[] checkpoints, MemoryBudget budget, int population) {
        this.trajectories = List.copyOf(trajectories);
        this.checkpoints = checkpoints.clone();
        this.budget = budget;
        this.population = population;
    }

    /** Writes the three files into {@code dir}, with {@code settings} as their header. */
    void write(Path dir, Map<String, Object> settings) throws IOException {
        ComparisonTable table = new ComparisonTable(trajectories, checkpoints, budget.reference());
        StringBuilder md = new StringBuilder("# Searcher comparison\n\n");
        settings.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append(String.format(Locale.ROOT, "%nNormalised hypervolume (validation accuracy x arena bytes, box [0, 1] x"
                + " [0, %d B]) after N counted runs, mean ± sd over seeds:%n%n", budget.budgetBytes()));
        md.append(table.markdown());
        md.append("\nTrajectories (seed, searcher: counted / proposals, infeasible, duplicates, wall s):\n\n");
        for (Trajectory t : trajectories) {
            md.append(String.format(Locale.ROOT, "- seed %d, %s: %d / %d, %d, %d, %.0f%s%n", t.seed(), t.searcher(),
                    t.counted().size(), t.proposals(), t.infeasible(), t.duplicates(), t.wallSeconds(),
                    t.note().isEmpty() ? "" : " (" + t.note() + ")"));
        }
        md.append(String.format(Locale.ROOT, "%nThe first %d counted runs of each seed, pooled over seeds:%n%n",
                population));
        md.append(InitialDesign.markdown(trajectories, budget.space(), population));
        replace(dir.resolve("table.md"), md.toString());
        replace(dir.resolve("hypervolume.csv"), table.csv());
        replace(dir.resolve("trajectories.json"), json(settings));
    }

    private String json(Map<String, Object> settings) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.set("settings", JSON.valueToTree(settings));
        ArrayNode list = root.putArray("trajectories");
        for (Trajectory t : trajectories) {
            ObjectNode n = list.addObject();
            n.put("searcher", t.searcher());
            n.put("seed", t.seed());
            n.put("proposals", t.proposals());
            n.put("infeasible", t.infeasible());
            n.put("duplicates", t.duplicates());
            n.put("wall_seconds", t.wallSeconds());
            n.put("note", t.note());
            stats(n, "initial_stats", t.initialStats());
            stats(n, "final_stats", t.finalStats());
            ArrayNode runs = n.putArray("counted");
            for (CountedRun r : t.counted()) {
                ObjectNode o = runs.addObject();
                o.set("genome", JSON.valueToTree(r.genome().toArray()));
                o.put("validation_accuracy", r.accuracy());
                o.put("arena_bytes", r.memoryBytes());
                o.put("proposal", r.proposal());
            }
        }
        return JSON.writeValueAsString(root);
    }

    private static void stats(ObjectNode n, String field, SearchStats s) {
        if (s != null) {
            n.set(field, JSON.valueToTree(s));
        }
    }

    private static void replace(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
