package io.tinysparse.search.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tinysparse.search.Gene;
import io.tinysparse.search.Genome;
import io.tinysparse.search.bench.RunAccounting.Verdict;
import io.tinysparse.search.space.MemoryBudget;
import io.tinysparse.search.space.PolicySpace;
import java.util.Locale;

/**
 * The harness's side of the JSON-lines conversation with an external sampler
 * ({@code bench/optuna_searchers.py}): one request line in, one answer line out.
 *
 * <ul>
 *   <li>{@code {"op":"space"}}: the genome ({@code genes}: name and number of values of each, in
 *       order), the SRAM budget in bytes ({@code budget_bytes}) and the benchmark seed.</li>
 *   <li>{@code {"op":"evaluate","genome":[...]}}: any genome of the space. It is first made
 *       structurally valid by the product's {@link PolicySpace#makeValid} (a weight layer outside
 *       the bias range, or whose ratio selects no channel, gets ratio 0), then accounted for by
 *       the {@link RunAccounting}: screened by the memory model, checked for repetition, trained
 *       (through the memo) if it counts. The answer: {@code outcome} ({@code counted},
 *       {@code duplicate} or {@code infeasible}), the {@code genome} accounted for,
 *       {@code accuracy} (validation; null when infeasible), {@code memory_bytes},
 *       {@code violation} ((bytes - budget) / budget: &gt; 0 exactly when infeasible) and
 *       {@code counted} (the trajectory's counted runs so far).</li>
 * </ul>
 * A malformed request is a defect of the script, not bad user input: it stops the benchmark.
 */
final class HarnessProtocol {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MemoryBudget budget;
    private final RunAccounting accounting;

    HarnessProtocol(MemoryBudget budget, RunAccounting accounting) {
        this.budget = budget;
        this.accounting = accounting;
    }

    /** The answer line to {@code request}. */
    String answer(String request) {
        JsonNode node;
        try {
            node = JSON.readTree(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sampler sent a line that is not JSON: " + request);
        }
        String op = node.path("op").asText("");
        ObjectNode out = switch (op) {
            case "space" -> space();
            case "evaluate" -> evaluate(node.get("genome"));
            default -> throw new IllegalStateException("sampler sent unknown op '" + op + "': " + request);
        };
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer not serialisable", e);
        }
    }

    private ObjectNode space() {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode genes = out.putArray("genes");
        for (Gene g : budget.space().genomeSpace().genes()) {
            genes.addObject().put("name", g.name()).put("values", g.cardinality());
        }
        out.put("budget_bytes", budget.budgetBytes());
        out.put("seed", accounting.seed());
        return out;
    }

    private ObjectNode evaluate(JsonNode genes) {
        if (genes == null || !genes.isArray()) {
            throw new IllegalStateException("sampler sent evaluate without a genome list: " + genes);
        }
        int[] x = new int[genes.size()];
        for (int i = 0; i < x.length; i++) {
            if (!genes.get(i).canConvertToInt()) {
                throw new IllegalStateException("sampler sent gene " + i + " = " + genes.get(i) + ", not an integer");
            }
            x[i] = genes.get(i).asInt();
        }
        Genome proposal = budget.space().genomeSpace().require(Genome.of(x));
        Verdict v = accounting.propose(budget.space().makeValid(proposal));
        ObjectNode out = JSON.createObjectNode();
        out.put("outcome", v.outcome().name().toLowerCase(Locale.ROOT));
        ArrayNode g = out.putArray("genome");
        for (int value : v.genome().toArray()) {
            g.add(value);
        }
        if (Double.isNaN(v.accuracy())) {
            out.putNull("accuracy");
        } else {
            out.put("accuracy", v.accuracy());
        }
        out.put("memory_bytes", v.memoryBytes());
        out.put("violation", (double) (v.memoryBytes() - budget.budgetBytes()) / budget.budgetBytes());
        out.put("counted", v.counted());
        return out;
    }
}
