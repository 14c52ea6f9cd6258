package io.tinysparse.search.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.GenomeSpace;
import io.tinysparse.search.MemoryCost;
import io.tinysparse.search.ObjectiveMode;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.Searcher;
import io.tinysparse.search.SearcherState;
import io.tinysparse.search.contribution.ContributionAnalysisSearcher;
import io.tinysparse.search.fidelity.SuccessiveHalvingSearcher;
import io.tinysparse.search.model.ModelSearcher;
import io.tinysparse.search.nsga2.Nsga2Searcher;
import io.tinysparse.search.sampling.GridSearcher;
import io.tinysparse.search.sampling.RandomSearcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A saved search: the space and objectives it was run on, and its searcher's state, as JSON.
 * Restoring it with the same problem gives a searcher that continues exactly where the saved
 * one stopped: same next candidates, same outstanding candidates awaiting results.
 *
 * <p>{@link #write} replaces the file atomically (write a temporary file in the same directory,
 * force it to disk, rename over the target), so a crash leaves either the old or the new
 * checkpoint, never a torn one.
 *
 * @param format  always {@link #FORMAT}
 * @param version format version, {@link #VERSION}
 * @param space   the genome space searched
 * @param mode    the objectives
 * @param state   the searcher's state (its JSON names the searcher kind)
 */
public record SearchCheckpoint(String format, int version, GenomeSpace space, ObjectiveMode mode,
        SearcherState state) {
    /** Value of {@link #format}. */
    public static final String FORMAT = "tinysparse-search-checkpoint";
    /** Current format version. */
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        MAPPER.registerSubtypes(
                new NamedType(RandomSearcher.State.class, "random"),
                new NamedType(GridSearcher.State.class, "grid"),
                new NamedType(Nsga2Searcher.State.class, "nsga2"),
                new NamedType(SuccessiveHalvingSearcher.State.class, "successive-halving"),
                new NamedType(ContributionAnalysisSearcher.State.class, "contribution"),
                new NamedType(ModelSearcher.State.class, "model"));
    }

    public SearchCheckpoint {
        if (!FORMAT.equals(format)) {
            throw new InvalidInputException("not a search checkpoint: format is '" + format + "', expected '"
                    + FORMAT + "'");
        }
        if (version != VERSION) {
            throw new InvalidInputException("search checkpoint version " + version + " is not supported (expected "
                    + VERSION + ")");
        }
        Objects.requireNonNull(space, "checkpoint space");
        Objects.requireNonNull(mode, "checkpoint mode");
        Objects.requireNonNull(state, "checkpoint state");
    }

    /** A checkpoint of {@code searcher} as it is now. */
    public static SearchCheckpoint of(Searcher searcher) {
        return new SearchCheckpoint(FORMAT, VERSION, searcher.problem().space(), searcher.problem().mode(),
                searcher.state());
    }

    /** This checkpoint as JSON text. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise search checkpoint: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses a checkpoint; malformed JSON or invalid values give a one-line error. */
    public static SearchCheckpoint fromJson(String json) {
        try {
            return MAPPER.readValue(json, SearchCheckpoint.class);
        } catch (JsonProcessingException e) {
            throw invalid("search checkpoint", e);
        }
    }

    /**
     * What this checkpoint does not share with the search the command line describes: its space,
     * objectives, searcher kind and searcher configuration (candidate budget, seeds, population,
     * ...), compared value by value with {@code problem} and {@code given}, the state of a fresh
     * searcher made from the command line. A resume must refuse any difference: restoring would
     * silently continue another search (a stored budget of 32 would run 32 runs under
     * {@code --runs 24}).
     *
     * @return one entry per differing value, {@code "NAME STORED stored, GIVEN given"} (NAME the
     *         configuration field, e.g. {@code maxCandidates}); empty when they agree
     */
    public List<String> differences(SearchProblem problem, SearcherState given) {
        JsonNode stored = MAPPER.valueToTree(this);
        JsonNode expected = MAPPER.valueToTree(new SearchCheckpoint(FORMAT, VERSION, problem.space(), problem.mode(),
                given));
        List<String> out = new ArrayList<>();
        compare("space", stored.path("space"), expected.path("space"), out);
        compare("objectives", stored.path("mode"), expected.path("mode"), out);
        compare("searcher", stored.path("state").path("searcher"), expected.path("state").path("searcher"), out);
        if (out.stream().noneMatch(d -> d.startsWith("searcher "))) {
            compare("", stored.path("state").path("config"), expected.path("state").path("config"), out);
        }
        return out;
    }

    /** Adds a line per leaf value that differs between the two trees (named by its path under {@code name}). */
    private static void compare(String name, JsonNode stored, JsonNode given, List<String> out) {
        if (stored.isContainerNode() && given.isContainerNode() && stored.getNodeType() == given.getNodeType()) {
            TreeSet<String> keys = new TreeSet<>();
            stored.fieldNames().forEachRemaining(keys::add);
            given.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                compare(name.isEmpty() ? k : name + "." + k, stored.path(k), given.path(k), out);
            }
            for (int i = 0; i < Math.max(stored.size(), given.size()) && stored.isArray(); i++) {
                compare(name + "[" + i + "]", stored.path(i), given.path(i), out);
            }
        } else if (!stored.equals(given)) {
            out.add(name + " " + leaf(stored) + " stored, " + leaf(given) + " given");
        }
    }

    private static String leaf(JsonNode n) {
        return n.isMissingNode() ? "(none)" : n.isValueNode() ? n.asText() : n.toString();
    }

    /**
     * A searcher that continues this checkpoint on {@code problem}, which must have the same
     * space and objectives.
     *
     * @param memory the memory model, needed only by contribution analysis and the model-based search (may be null otherwise)
     */
    public Searcher restore(SearchProblem problem, MemoryCost memory) {
        if (!space.equals(problem.space())) {
            throw new InvalidInputException("checkpoint was written for space " + space + " but the problem's space is "
                    + problem.space());
        }
        if (mode != problem.mode()) {
            throw new InvalidInputException("checkpoint was written for objectives " + mode + " but the problem has "
                    + problem.mode());
        }
        if (state instanceof RandomSearcher.State s) {
            return RandomSearcher.restore(problem, s);
        } else if (state instanceof GridSearcher.State s) {
            return GridSearcher.restore(problem, s);
        } else if (state instanceof Nsga2Searcher.State s) {
            return Nsga2Searcher.restore(problem, s);
        } else if (state instanceof SuccessiveHalvingSearcher.State s) {
            return SuccessiveHalvingSearcher.restore(problem, s);
        } else if (state instanceof ContributionAnalysisSearcher.State s) {
            if (memory == null) {
                throw new InvalidInputException("a contribution-analysis checkpoint needs the memory model to resume");
            }
            return ContributionAnalysisSearcher.restore(problem, s, memory);
        } else if (state instanceof ModelSearcher.State s) {
            if (memory == null) {
                throw new InvalidInputException("a model-based search's checkpoint needs the memory model to resume");
            }
            return ModelSearcher.restore(problem, memory, s);
        }
        throw new IllegalStateException("no restore for searcher state " + state.getClass().getName());
    }

    /**
     * Writes {@code searcher}'s checkpoint to {@code file}, atomically replacing any previous
     * one; parent directories are created.
     */
    public static void write(Path file, Searcher searcher) throws IOException {
        byte[] bytes = of(searcher).toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        io.tinysparse.datasets.format.AtomicFile.write(file, out -> out.write(bytes));
    }

    /** Reads the checkpoint in {@code file}; a missing or malformed file gives a one-line error. */
    public static SearchCheckpoint read(Path file) throws IOException {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("search checkpoint " + file + " does not exist");
        }
        try {
            return MAPPER.readValue(json, SearchCheckpoint.class);
        } catch (JsonProcessingException e) {
            throw invalid("search checkpoint " + file, e);
        }
    }

    private static InvalidInputException invalid(String what, JsonProcessingException e) {
        Throwable cause = e.getCause();
        String reason = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return new InvalidInputException(what + " is invalid" + where + ": " + reason, e);
    }
}
