package io.tinysparse.search.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Genome;
import io.tinysparse.search.bench.GenomeTrainer.TrainedRun;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's trained runs, keyed by (benchmark seed, genome), in a JSON-lines file shared
 * by every searcher of the benchmark: a genome trained once under a seed is never trained again
 * (by the same or another searcher, in this process or a later one), and every searcher sees the
 * same accuracy for it, so the comparison is paired.
 *
 * <p>One line per run: {@code {"seed":S,"genome":[...],"run_id":"...","validation_accuracy":A,
 * "test_accuracy":T,"arena_bytes":B,"wall_ms":W}}. A line is appended and flushed as soon as its
 * run is trained, so a killed benchmark loses at most the runs in flight and a re-run resumes;
 * a torn last line (the process died while writing it) is dropped and its run trained again.
 * Every stored run id is checked against the trainer's on first use: a file made under other
 * settings (budget, data, backbone) is refused, never mixed in.
 *
 * <p>Thread-safe: runs of different keys train concurrently; a key asked for by two threads is
 * trained by one of them while the other waits for its result.
 */
final class EvaluationMemo implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A memo key. */
    private record Key(long seed, Genome genome) {}

    private final Path file;
    private final Map<Key, CompletableFuture<TrainedRun>> runs = new ConcurrentHashMap<>();
    private final BufferedWriter out;
    private final AtomicInteger trained = new AtomicInteger();
    private final int loaded;

    private EvaluationMemo(Path file, BufferedWriter out, int loaded) {
        this.file = file;
        this.out = out;
        this.loaded = loaded;
    }

    /**
     * Opens (creating it if missing) the memo in {@code file}.
     *
     * @throws InvalidInputException naming the file and line if a complete line is not a memo record
     */
    static EvaluationMemo open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        boolean endsWithNewline = lines.isEmpty() || endsWithNewline(file);
        int count = 0;
        Map<Key, CompletableFuture<TrainedRun>> read = new ConcurrentHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean last = i == lines.size() - 1;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                if (last && !endsWithNewline) {
                    break; // torn by a killed writer: trained again
                }
                throw new InvalidInputException("memo file " + file + " line " + (i + 1) + " is not JSON: "
                        + e.getOriginalMessage());
            }
            Key key = new Key(required(node, "seed", file, i).asLong(), genome(required(node, "genome", file, i), file, i));
            TrainedRun run = new TrainedRun(required(node, "run_id", file, i).asText(),
                    required(node, "validation_accuracy", file, i).asDouble(),
                    required(node, "test_accuracy", file, i).asDouble(),
                    required(node, "arena_bytes", file, i).asLong(), required(node, "wall_ms", file, i).asDouble());
            if (read.putIfAbsent(key, CompletableFuture.completedFuture(run)) == null) {
                count++;
            }
        }
        if (!endsWithNewline && !lines.isEmpty()) {
            // Drop the torn tail so that appended lines start on a line of their own; through a
            // temporary file, so that a kill now cannot cost the complete lines.
            String kept = String.join("\n", lines.subList(0, lines.size() - 1));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, kept.isEmpty() ? "" : kept + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        EvaluationMemo memo = new EvaluationMemo(file, writer, count);
        memo.runs.putAll(read);
        return memo;
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return bytes.length == 0 || bytes[bytes.length - 1] == '\n';
    }

    private static JsonNode required(JsonNode node, String field, Path file, int line) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidInputException("memo file " + file + " line " + (line + 1) + " has no " + field);
        }
        return v;
    }

    private static Genome genome(JsonNode array, Path file, int line) {
        if (!array.isArray() || array.isEmpty()) {
            throw new InvalidInputException("memo file " + file + " line " + (line + 1) + ": genome " + array
                    + " is not a list of genes");
        }
        int[] genes = new int[array.size()];
        for (int i = 0; i < genes.length; i++) {
            genes[i] = array.get(i).asInt();
        }
        return Genome.of(genes);
    }

    /**
     * The run of {@code genome} under benchmark seed {@code seed}: the stored one, else trained
     * now by {@code trainer} (once, whichever thread asks first) and appended to the file.
     *
     * @throws InvalidInputException if the stored run has another run id than {@code trainer}
     *     gives the genome (the file was made under other settings)
     */
    TrainedRun getOrTrain(long seed, Genome genome, GenomeTrainer trainer) {
        Key key = new Key(seed, genome);
        CompletableFuture<TrainedRun> mine = new CompletableFuture<>();
        CompletableFuture<TrainedRun> held = runs.putIfAbsent(key, mine);
        if (held == null) {
            try {
                TrainedRun run = trainer.train(genome);
                append(seed, genome, run);
                trained.incrementAndGet();
                mine.complete(run);
            } catch (RuntimeException | Error e) {
                runs.remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
            return mine.join();
        }
        TrainedRun run = held.join();
        String expected = trainer.runId(genome);
        if (!run.runId().equals(expected)) {
            throw new InvalidInputException("memo file " + file + ": seed " + seed + " genome " + genome + " is run "
                    + run.runId() + " there but run " + expected + " under these settings; give another --memo");
        }
        return run;
    }

    private void append(long seed, Genome genome, TrainedRun run) {
        ObjectNode line = JSON.createObjectNode();
        line.put("seed", seed);
        var genes = line.putArray("genome");
        for (int g : genome.toArray()) {
            genes.add(g);
        }
        line.put("run_id", run.runId());
        line.put("validation_accuracy", run.validationAccuracy());
        line.put("test_accuracy", run.testAccuracy());
        line.put("arena_bytes", run.arenaBytes());
        line.put("wall_ms", run.wallMs());
        try {
            synchronized (out) {
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("memo file " + file, e);
        }
    }

    /** Runs read from the file when it was opened. */
    int loaded() {
        return loaded;
    }

    /** Runs trained (and appended) by this process. */
    int trained() {
        return trained.get();
    }

    /** The memo's file. */
    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        synchronized (out) {
            out.close();
        }
    }
}
