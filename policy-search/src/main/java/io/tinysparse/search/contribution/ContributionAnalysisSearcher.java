package io.tinysparse.search.contribution;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.search.Candidate;
import io.tinysparse.search.EvaluatedCandidate;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.Genome;
import io.tinysparse.search.MemoryCost;
import io.tinysparse.search.SearchProblem;
import io.tinysparse.search.SearchStats;
import io.tinysparse.search.SearcherState;
import io.tinysparse.search.engine.AbstractSearcher;
import io.tinysparse.search.engine.EngineState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Lin et al.'s contribution analysis (NeurIPS 2022; METHODS.md section 3) as a searcher, in two
 * rounds.
 *
 * <ol>
 *   <li><b>Measure.</b> One run per bias depth with no weight update, giving
 *       {@code dAcc_b[k] = acc(k) - acc(k_min)}; and one run per (layer, non-zero ratio) with
 *       that layer's weights updated on top of the reference bias depth, giving
 *       {@code dAcc_w[i, r] = acc(k_ref, {i: r}) - acc(k_ref)}. Runs that fail the hard
 *       constraint are not asked (their option is unavailable).</li>
 *   <li><b>Combine.</b> Assuming the gains add up, for every bias depth k maximise
 *       {@code dAcc_b[k] + sum_i dAcc_w[i, r_i]} over one ratio per layer inside the bias range,
 *       subject to {@code Mem(k, {}) + sum_i (Mem(k, {i: r_i}) - Mem(k, {})) <= budget}. Lin et
 *       al. used an evolutionary search (unpublished); here the problem is solved exactly, per
 *       k, as a multiple-choice knapsack over Pareto lists ({@link MultipleChoiceKnapsack}).
 *       Memory is additive over layers under the Lin et al. formula; for a memory model that
 *       is not, every combination is checked against the real feasibility check and the next
 *       best one is taken. The best {@code finalists} combinations over all k are then
 *       evaluated.</li>
 * </ol>
 * It draws no random numbers; the candidate sequence depends only on the told accuracies.
 */
public final class ContributionAnalysisSearcher extends AbstractSearcher {
    private enum Phase { MEASURE, FINAL, DONE }

    private final ContributionConfig config;
    private final MemoryCost memory;
    private Phase phase;
    private List<EvaluatedCandidate> measurements;
    private List<Prediction> predictions;

    /** A new analysis; the measurement runs are queued immediately. */
    public ContributionAnalysisSearcher(SearchProblem problem, ContributionConfig config, MemoryCost memory) {
        super(problem, true, false, 0);
        config.layout().requireFits(problem.space());
        problem.space().require(config.base());
        this.config = config;
        this.memory = memory;
        this.phase = Phase.MEASURE;
        this.measurements = List.of();
        this.predictions = List.of();
        queueMeasurements();
    }

    private ContributionAnalysisSearcher(SearchProblem problem, State state, MemoryCost memory) {
        super(problem, true, false, state.engine());
        state.config().layout().requireFits(problem.space());
        this.config = state.config();
        this.memory = memory;
        this.phase = Phase.valueOf(state.phase());
        this.measurements = List.copyOf(state.measurements());
        this.predictions = List.copyOf(state.predictions());
    }

    /** Continues the analysis saved in {@code state}. */
    public static ContributionAnalysisSearcher restore(SearchProblem problem, State state, MemoryCost memory) {
        return new ContributionAnalysisSearcher(problem, state, memory);
    }

    private void queueMeasurements() {
        ContributionLayout layout = config.layout();
        for (int v = 0; v < layout.biasDepths().size(); v++) {
            offer(layout.biasOnly(config.base(), v));
        }
        int ref = config.effectiveReferenceBias();
        Genome refGenome = layout.biasOnly(config.base(), ref);
        for (int j = 0; j < layout.layerGenes().size(); j++) {
            if (!layout.inBiasRange(j, ref)) {
                continue;
            }
            int gene = layout.layerGenes().get(j);
            for (int r = 1; r < problem.space().cardinality(gene); r++) {
                offer(refGenome.with(gene, r));
            }
        }
        if (ledger.queuedCount() == 0) {
            phase = Phase.DONE;
        }
    }

    private void offer(Genome g) {
        Genome admitted = admission.admit(g, rng);
        if (admitted != null) {
            ledger.enqueue(admitted, Fidelity.BASE);
        }
    }

    /** Every candidate queued so far, plus the finalists while the measurements are still out. */
    @Override
    public long plannedRuns() {
        return ledger.nextId() + (phase == Phase.MEASURE ? config.finalists() : 0);
    }

    @Override
    protected void onRoundComplete(List<EvaluatedCandidate> results) {
        if (phase == Phase.MEASURE) {
            measurements = List.copyOf(results);
            predictions = combine();
            phase = ledger.queuedCount() > 0 ? Phase.FINAL : Phase.DONE;
        } else {
            phase = Phase.DONE;
        }
    }

    /** Accuracy of each feasible measured genome. */
    private Map<Genome, Double> measuredAccuracy() {
        Map<Genome, Double> acc = new HashMap<>();
        for (EvaluatedCandidate e : measurements) {
            if (e.evaluation().isFeasible()) {
                acc.put(e.candidate().genome(), e.evaluation().objectives().accuracy());
            }
        }
        return acc;
    }

    private List<Prediction> combine() {
        ContributionLayout layout = config.layout();
        Map<Genome, Double> acc = measuredAccuracy();
        int depths = layout.biasDepths().size();
        double[] biasAcc = new double[depths];
        double baseline = Double.NaN;
        for (int v = 0; v < depths; v++) {
            Double a = acc.get(layout.biasOnly(config.base(), v));
            biasAcc[v] = a == null ? Double.NaN : a;
            if (Double.isNaN(baseline) && a != null) {
                baseline = a;
            }
        }
        if (Double.isNaN(baseline)) {
            return List.of();
        }
        double[][] weightGain = weightGains(acc);

        List<Option> options = new ArrayList<>();
        List<MultipleChoiceKnapsack.Frontier> frontiers = new ArrayList<>();
        List<int[]> groupLayers = new ArrayList<>();
        double[] biasBytes = new double[depths];
        for (int v = 0; v < depths; v++) {
            if (Double.isNaN(biasAcc[v])) {
                frontiers.add(null);
                groupLayers.add(null);
                continue;
            }
            Genome biasOnly = layout.biasOnly(config.base(), v);
            double baseBytes = memory.bytes(biasOnly);
            biasBytes[v] = baseBytes;
            int[] layers = layersInRange(v);
            double[][] costs = new double[layers.length][];
            double[][] values = new double[layers.length][];
            for (int k = 0; k < layers.length; k++) {
                int gene = layout.layerGenes().get(layers[k]);
                int card = problem.space().cardinality(gene);
                costs[k] = new double[card];
                values[k] = new double[card];
                for (int r = 1; r < card; r++) {
                    values[k][r] = weightGain[layers[k]][r];
                    costs[k][r] = Double.isNaN(values[k][r]) ? 0 : memory.bytes(biasOnly.with(gene, r)) - baseBytes;
                }
            }
            MultipleChoiceKnapsack.Frontier f =
                    MultipleChoiceKnapsack.solve(costs, values, config.budgetBytes() - baseBytes);
            frontiers.add(f);
            groupLayers.add(layers);
            if (f.size() > 0) {
                options.add(new Option(v, f.size() - 1, biasAcc[v] - baseline + f.value(f.size() - 1),
                        baseBytes + f.cost(f.size() - 1)));
            }
        }
        // Best-first merge of the per-depth frontiers (each ascending in value), so that only as
        // many combinations are built and checked as it takes to find the finalists.
        PriorityQueue<Option> queue = new PriorityQueue<>();
        queue.addAll(options);
        List<Prediction> chosen = new ArrayList<>();
        while (!queue.isEmpty() && chosen.size() < config.finalists()) {
            Option o = queue.poll();
            Genome g = assemble(o.biasValue, groupLayers.get(o.biasValue), frontiers.get(o.biasValue).choice(o.index));
            if (admission.hasSeen(g)) {
                chosen.add(new Prediction(g, o.gain, memory.bytes(g), -1));
            } else if (admission.admit(g, rng) != null) {
                Candidate c = ledger.enqueue(g, Fidelity.BASE);
                chosen.add(new Prediction(g, o.gain, memory.bytes(g), c.id()));
            }
            if (o.index > 0) {
                MultipleChoiceKnapsack.Frontier f = frontiers.get(o.biasValue);
                queue.add(new Option(o.biasValue, o.index - 1, biasAcc[o.biasValue] - baseline + f.value(o.index - 1),
                        biasBytes[o.biasValue] + f.cost(o.index - 1)));
            }
        }
        return List.copyOf(chosen);
    }

    private int[] layersInRange(int biasValue) {
        ContributionLayout layout = config.layout();
        return java.util.stream.IntStream.range(0, layout.layerGenes().size())
                .filter(j -> layout.inBiasRange(j, biasValue)).toArray();
    }

    /** {@code dAcc_w[layer][ratio value]}, NaN where not measured. */
    private double[][] weightGains(Map<Genome, Double> acc) {
        ContributionLayout layout = config.layout();
        int ref = config.effectiveReferenceBias();
        Genome refGenome = layout.biasOnly(config.base(), ref);
        Double refAcc = acc.get(refGenome);
        double[][] gain = new double[layout.layerGenes().size()][];
        for (int j = 0; j < gain.length; j++) {
            int gene = layout.layerGenes().get(j);
            gain[j] = new double[problem.space().cardinality(gene)];
            Arrays.fill(gain[j], Double.NaN);
            gain[j][0] = 0;
            for (int r = 1; r < gain[j].length; r++) {
                Double a = acc.get(refGenome.with(gene, r));
                if (a != null && refAcc != null) {
                    gain[j][r] = a - refAcc;
                }
            }
        }
        return gain;
    }

    private Genome assemble(int biasValue, int[] layers, int[] choice) {
        Genome g = config.layout().biasOnly(config.base(), biasValue);
        for (int k = 0; k < layers.length; k++) {
            g = g.with(config.layout().layerGenes().get(layers[k]), choice[k]);
        }
        return g;
    }

    /** A point of one depth's frontier, ordered best predicted gain first. */
    private record Option(int biasValue, int index, double gain, double bytes) implements Comparable<Option> {
        @Override
        public int compareTo(Option o) {
            int c = Double.compare(o.gain, gain);
            if (c != 0) {
                return c;
            }
            c = Double.compare(bytes, o.bytes);
            return c != 0 ? c : Integer.compare(biasValue, o.biasValue);
        }
    }

    @Override
    protected boolean hasMoreToPropose() {
        return false; // both rounds are queued eagerly
    }

    /** The measurement results (empty until the first round is complete), by id. */
    public List<EvaluatedCandidate> measurements() {
        return measurements;
    }

    /** The chosen combinations, best predicted first (empty until measurements are in). */
    public List<Prediction> predictions() {
        return predictions;
    }

    @Override
    public State state() {
        return new State(config, phase.name(), measurements, predictions, engineState());
    }

    /**
     * Saved contribution analysis.
     *
     * @param config       configuration
     * @param phase        MEASURE, FINAL or DONE
     * @param measurements results of the measurement round
     * @param predictions  chosen combinations
     * @param engine       ledger, genomes asked, counters, fronts
     */
    public record State(ContributionConfig config, String phase, List<EvaluatedCandidate> measurements,
            List<Prediction> predictions, EngineState engine) implements SearcherState {
        public State {
            try {
                Phase.valueOf(phase);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new InvalidInputException("contribution phase must be MEASURE, FINAL or DONE, got " + phase);
            }
            measurements = List.copyOf(measurements);
            predictions = List.copyOf(predictions);
        }

        @Override
        public SearchStats stats() {
            return engine.stats();
        }
    }
}
