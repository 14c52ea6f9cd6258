package io.tinysparse.simulator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.selection.FixedSelector;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.memory.MemoryReport;
import io.tinysparse.simulator.memory.SramPlan;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.PublishedSchemes;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C header compiles with gcc (C99, pedantic, warnings as errors) together with a small
 * program that reads back what it declares: the sizes, offsets and lifetimes of the SRAM plan
 * give the memory model's peak, no two buffers live at once overlap, the declared arena is the
 * span of the buffers, and the channels and schedule are the policy's. Skipped, saying so, when
 * gcc is absent.
 */
class CHeaderTest {
    private static final ModelSpec MODEL = ModelSpec.preset("mbv2-w0.35");

    /** Reads the header back: the plan's own checks, then the policy's layers and channels, one fact per line. */
    private static final String PROGRAM = """
            #include <stdio.h>
            #include "policy.h"
            int main(void) {
                unsigned long peak = 0, span = 0, overlaps = 0;
                unsigned i, j;
                for (i = 0; i < TINYSPARSE_BUFFER_COUNT; i++) {
                    const TINYSPARSE_Buffer *b = &TINYSPARSE_BUFFERS[i];
                    unsigned long live = 0;
                    if (b->offset + b->size > span) span = b->offset + b->size;
                    for (j = 0; j < TINYSPARSE_BUFFER_COUNT; j++) {
                        const TINYSPARSE_Buffer *c = &TINYSPARSE_BUFFERS[j];
                        if (c->alloc_event <= b->alloc_event && b->alloc_event < c->free_event) live += c->size;
                        if (j > i && b->alloc_event < c->free_event && c->alloc_event < b->free_event
                                && b->offset < c->offset + c->size && c->offset < b->offset + b->size) overlaps++;
                    }
                    if (live > peak) peak = live;
                }
                printf("arena %lu\\n", (unsigned long) TINYSPARSE_ARENA_BYTES);
                printf("peak %lu\\n", (unsigned long) TINYSPARSE_PEAK_LIVE_BYTES);
                printf("computed_peak %lu\\ncomputed_span %lu\\noverlaps %lu\\n", peak, span, overlaps);
                printf("buffers %u\\n", (unsigned) TINYSPARSE_BUFFER_COUNT);
                printf("bias %d %d %d\\n", TINYSPARSE_BIAS_LAYERS, TINYSPARSE_FIRST_BIAS_LAYER, TINYSPARSE_TRAIN_CLASSIFIER);
                printf("selection %s %d %d %d\\n", TINYSPARSE_SELECTION_NAME, TINYSPARSE_SELECTION,
                        TINYSPARSE_SELECTION_DYNAMIC, TINYSPARSE_REFRESH_PERIOD);
            #if TINYSPARSE_UPDATED_LAYER_COUNT > 0
                for (i = 0; i < TINYSPARSE_UPDATED_LAYER_COUNT; i++) {
                    printf("layer %u %u %u", (unsigned) TINYSPARSE_UPDATED_LAYER[i],
                            (unsigned) TINYSPARSE_UPDATED_IN_CHANNELS[i], (unsigned) TINYSPARSE_UPDATED_CHANNELS[i]);
            #if TINYSPARSE_CHANNEL_INDEX_COUNT > 0
                    for (j = 0; j < TINYSPARSE_UPDATED_CHANNELS[i]; j++) {
                        printf(" %u", (unsigned) TINYSPARSE_CHANNEL_INDEX[TINYSPARSE_CHANNEL_OFFSET[i] + j]);
                    }
            #endif
            #if TINYSPARSE_SELECTION_DYNAMIC
                    printf(" seed %llu", (unsigned long long) TINYSPARSE_SELECTION_SEED[i]);
            #endif
                    printf("\\n");
                }
            #endif
                return 0;
            }
            """;

    @TempDir
    Path dir;

    /** What the compiled program printed, by its first word (several "layer" lines joined by newlines). */
    private Map<String, String> compileAndRun(String header) throws Exception {
        Assumptions.assumeTrue(gccAvailable(), "gcc is not on the PATH: the exported header is not compiled");
        Files.writeString(dir.resolve("policy.h"), header);
        Files.writeString(dir.resolve("main.c"), PROGRAM);
        String compile = run(dir, "gcc", "-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-o", "main", "main.c");
        assertEquals("", compile, "gcc printed diagnostics");
        Map<String, String> facts = new HashMap<>();
        for (String line : run(dir, dir.resolve("main").toString()).lines().toList()) {
            String[] kv = line.split(" ", 2);
            facts.merge(kv[0], kv.length > 1 ? kv[1] : "", (a, b) -> a + "\n" + b);
        }
        return facts;
    }

    private static boolean gccAvailable() {
        try {
            return new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not finish: " + String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    private static ExportedPolicy exported(SparseUpdatePolicy p) {
        return new ExportedPolicy("s1", "run-1", "--run-id", MODEL, p, 7L, 0.8, 0.79,
                new ArenaEstimator(MODEL.layers(), ArenaConfig.DEFAULT).peakBytes(p), null, 262_144L);
    }

    @Test
    void aStaticMagnitudeHeaderCompilesAndDeclaresTheModelsPlanAndTheChannelsOfLargestNorm() throws Exception {
        SparseUpdatePolicy p = PublishedSchemes.mbv2W035At99kB();
        Network folded = Network.initialize(MODEL, 3).fold();
        Map<Integer, int[]> channels = StaticChannels.of(MODEL.layers(), p, 7L, folded::weights);
        SramPlan plan = new ArenaEstimator(MODEL.layers(), ArenaConfig.DEFAULT).plan(p);
        MemoryReport report = new ArenaEstimator(MODEL.layers(), ArenaConfig.DEFAULT).report(p);
        Map<String, String> facts = compileAndRun(CHeader.write(exported(p), plan, channels, "tinysparse test"));

        assertEquals(Long.toString(report.totalBytes()), facts.get("peak"));
        assertEquals(Long.toString(report.totalBytes()), facts.get("computed_peak"));
        assertEquals(Long.toString(plan.arenaBytes()), facts.get("arena"));
        assertEquals(Long.toString(plan.arenaBytes()), facts.get("computed_span"));
        assertEquals("0", facts.get("overlaps"));
        assertEquals(Integer.toString(plan.buffers().size()), facts.get("buffers"));
        assertEquals("25 26 1", facts.get("bias"));
        assertEquals("magnitude 0 0 0", facts.get("selection"));
        List<String> layers = facts.get("layer").lines().toList();
        assertEquals(p.weights().size(), layers.size());
        for (int i = 0; i < layers.size(); i++) {
            WeightUpdate w = p.weights().get(i);
            ConvLayer conv = MODEL.layers().conv(w.layer());
            int[] chosen = channels.get(w.layer());
            String expected = w.layer() + " " + conv.inChannels() + " " + chosen.length + " "
                    + String.join(" ", Arrays.stream(chosen).mapToObj(Integer::toString).toList());
            assertEquals(expected, layers.get(i));
            // the run's mask: the channels of largest weight-slice norm
            double[] norms = FixedSelector.sliceNormsSquared(conv, folded.weights(w.layer()));
            double weakestChosen = Arrays.stream(chosen).mapToDouble(c -> norms[c]).min().orElseThrow();
            for (int c = 0; c < conv.inChannels(); c++) {
                final int ch = c;
                if (Arrays.stream(chosen).noneMatch(x -> x == ch)) {
                    assertTrue(norms[c] <= weakestChosen, "layer " + w.layer() + " left out a stronger channel " + c);
                }
            }
        }
        assertEquals(28, channels.get(45).length); // ratio 0.5 of conv 45's 56 input channels
    }

    @Test
    void aDynamicHeaderCompilesAndDeclaresTheScheduleInsteadOfChannels() throws Exception {
        SparseUpdatePolicy p = new SparseUpdatePolicy(12, List.of(WeightUpdate.ratio(41, 0.5), WeightUpdate.channels(50, 9)),
                new ChannelSelection(SelectionStrategy.IMPORTANCE, 3, Map.of("temperature", 0.5)), false);
        String header = CHeader.write(exported(p), new ArenaEstimator(MODEL.layers(), ArenaConfig.DEFAULT).plan(p),
                StaticChannels.of(MODEL.layers(), p, 7L, layer -> null), "tinysparse test");
        assertTrue(header.contains("#define TINYSPARSE_TEMPERATURE 0.5f"), header);
        Map<String, String> facts = compileAndRun(header);
        assertEquals("12 39 0", facts.get("bias"));
        assertEquals("importance " + SelectionStrategy.IMPORTANCE.ordinal() + " 1 3", facts.get("selection"));
        List<String> layers = facts.get("layer").lines().toList();
        assertTrue(layers.get(0).startsWith("41 192 96 seed "), layers.get(0));
        assertTrue(layers.get(1).startsWith("50 336 9 seed "), layers.get(1));
        assertEquals("0", facts.get("overlaps"));
        assertEquals(facts.get("peak"), facts.get("computed_peak"));
    }

    @Test
    void aBiasOnlyHeaderLeavesOutTheEmptyArraysAndStillCompiles() throws Exception {
        SparseUpdatePolicy p = SparseUpdatePolicy.biasOnly(3);
        String header = CHeader.write(exported(p), new ArenaEstimator(MODEL.layers(), ArenaConfig.DEFAULT).plan(p),
                Map.of(), "tinysparse test");
        assertTrue(header.contains("#define TINYSPARSE_UPDATED_LAYER_COUNT 0"), header);
        assertTrue(!header.contains("TINYSPARSE_UPDATED_LAYER["), header);
        Map<String, String> facts = compileAndRun(header);
        assertEquals(facts.get("peak"), facts.get("computed_peak"));
        assertEquals(null, facts.get("layer"));
    }
}
