package io.tinysparse.search.bench;

import io.tinysparse.search.Genome;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.bench.RunAccounting.CountedRun;
import io.tinysparse.search.space.PolicySpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a searcher's first runs lie in the space (issue 13, item 1: why the first generations
 * are weak): over the first {@code n} counted runs of each seed, pooled, the distribution of the
 * bias depth, of the number of weight layers updated and of their ratios, the spread of arena
 * bytes, and what it cost to find them (repairs and rejections of a tinysparse searcher's
 * admission gate; proposals that did not count for any searcher).
 */
final class InitialDesign {
    private InitialDesign() {}

    /** A Markdown section on the first {@code n} runs of each searcher's {@code trajectories} (searchers in order of first appearance). */
    static String markdown(List<Trajectory> trajectories, PolicySpace space, int n) {
        Map<String, List<Trajectory>> bySearcher = new java.util.LinkedHashMap<>();
        for (Trajectory t : trajectories) {
            bySearcher.computeIfAbsent(t.searcher(), k -> new ArrayList<>()).add(t);
        }
        StringBuilder b = new StringBuilder();
        b.append("| searcher | genomes | bias depth: min / median / max (mean) | weight layers: histogram 0..")
                .append(space.weightLayers().size())
                .append(" | ratios of updated layers | arena KiB: min / q1 / median / q3 / max | uncounted proposals |"
                        + " repaired / rejected (tinysparse gate) |\n|---|---|---|---|---|---|---|---|\n");
        bySearcher.forEach((searcher, list) -> {
            List<Integer> depths = new ArrayList<>();
            int[] layerCounts = new int[space.weightLayers().size() + 1];
            Map<Double, Integer> ratios = new TreeMap<>();
            List<Long> bytes = new ArrayList<>();
            int genomes = 0;
            int uncounted = 0;
            long repaired = 0;
            long rejected = 0;
            boolean gate = false;
            for (Trajectory t : list) {
                List<CountedRun> first = t.counted().subList(0, Math.min(n, t.counted().size()));
                for (CountedRun r : first) {
                    Genome g = r.genome();
                    depths.add(space.biasDepths().get(g.gene(PolicySpace.BIAS_GENE)));
                    int updated = 0;
                    for (int j = 0; j < space.weightLayers().size(); j++) {
                        int v = g.gene(PolicySpace.layerGene(j));
                        if (v != 0) {
                            updated++;
                            ratios.merge(space.ratios().get(v), 1, Integer::sum);
                        }
                    }
                    layerCounts[updated]++;
                    bytes.add(r.memoryBytes());
                    genomes++;
                }
                if (!first.isEmpty()) {
                    uncounted += first.get(first.size() - 1).proposal() - first.size();
                }
                SearchStats s = t.initialStats();
                if (s != null) {
                    gate = true;
                    repaired += s.repaired();
                    rejected += s.rejectedInfeasible();
                }
            }
            depths.sort(null);
            bytes.sort(null);
            b.append("| ").append(searcher).append(" | ").append(genomes).append(" | ");
            if (genomes == 0) {
                b.append("— | — | — | — | — | — |\n");
                return;
            }
            b.append(String.format(Locale.ROOT, "%d / %d / %d (%.1f) | ", depths.get(0), quantile(depths, 0.5),
                    depths.get(depths.size() - 1), depths.stream().mapToInt(Integer::intValue).average().orElse(0)));
            b.append(Arrays.toString(layerCounts)).append(" | ");
            List<String> parts = new ArrayList<>();
            ratios.forEach((ratio, count) -> parts.add(String.format(Locale.ROOT, "%s: %d", ratio, count)));
            b.append(parts.isEmpty() ? "none" : String.join(", ", parts)).append(" | ");
            b.append(String.format(Locale.ROOT, "%.0f / %.0f / %.0f / %.0f / %.0f | ", kib(bytes.get(0)),
                    kib(quantile(bytes, 0.25)), kib(quantile(bytes, 0.5)), kib(quantile(bytes, 0.75)),
                    kib(bytes.get(bytes.size() - 1))));
            b.append(uncounted).append(" | ");
            b.append(gate ? repaired + " / " + rejected : "—").append(" |\n");
        });
        return b.toString();
    }

    /** The value at rank {@code q * (size - 1)}, rounded down: a sample value, no interpolation. */
    private static <T> T quantile(List<T> sorted, double q) {
        return sorted.get((int) Math.floor(q * (sorted.size() - 1)));
    }

    private static double kib(long bytes) {
        return bytes / 1024.0;
    }
}
