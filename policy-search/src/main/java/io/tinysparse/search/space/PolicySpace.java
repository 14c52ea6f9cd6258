package io.tinysparse.search.space;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.Gene;
import io.tinysparse.search.Genome;
import io.tinysparse.search.GenomeSampler;
import io.tinysparse.search.GenomeSpace;
import io.tinysparse.search.contribution.ContributionLayout;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The sparse-update policies a search may try, for one model, and their encoding as genomes.
 *
 * <p>Genes, in order: {@code bias_depth} (index into {@link #biasDepths}); one gene
 * {@code w<layer>} per candidate weight layer (index into {@link #ratios}; value 0 is ratio 0,
 * i.e. weights frozen); {@code selection} (index into {@link #selections}). A genome is
 * <em>structurally valid</em> when every layer with a non-zero ratio lies inside the bias range
 * ({@code layer >= convCount - biasDepth}, as tiny-training requires) and its ratio selects at
 * least one input channel ({@code floor(ratio * C_in) >= 1}); only valid genomes map to policies.
 *
 * <p>Fields: the model; the bias depths to try (trailing convolutions with trained biases),
 * strictly ascending within [0, convCount]; the candidate weight layers (conv indices), strictly
 * ascending; the ratios (fractions of input channels), strictly ascending within [0, 1] and
 * starting with 0; the channel selections (strategy with parameters), distinct, at least one;
 * whether the classifier is trained. Immutable; equal when the fields are equal.
 */
public final class PolicySpace {
    /** Lin et al.'s ratio set {0, 1/8, 1/4, 1/2, 1}. */
    public static final List<Double> DEFAULT_RATIOS = List.of(0.0, 0.125, 0.25, 0.5, 1.0);
    /** Gene index of the bias depth. */
    public static final int BIAS_GENE = 0;

    private final ModelSpec model;
    private final List<Integer> biasDepths;
    private final List<Integer> weightLayers;
    private final List<Double> ratios;
    private final List<ChannelSelection> selections;
    private final boolean trainClassifier;
    // Derived once: the space is queried in the searchers' hot loops.
    private final GenomeSpace genomeSpace;
    private final boolean[][] usable;
    private final int convCount;

    /**
     * This space for a backbone of spec {@code backbone}: the classifier is sized by the
     * backbone's class count, whatever a space file declared (the memory model must cost the
     * classifier that is really trained); the rest of the model must match.
     */
    public PolicySpace forBackbone(ModelSpec backbone) {
        ModelSpec retargeted = model.withClasses(backbone.numClasses());
        if (!retargeted.equals(backbone)) {
            throw new InvalidInputException("space model " + retargeted.label() + " does not match backbone "
                    + backbone.label());
        }
        return new PolicySpace(retargeted, biasDepths, weightLayers, ratios, selections, trainClassifier);
    }

    /**
     * This space (of an unpruned network, as a space file describes it) on a backbone pruned from
     * it, of spec {@code pruned}: the same genes, the model replaced. Channel pruning keeps every
     * layer and narrows some, so the pruned network must have this model's convolutions, depthwise
     * where this model's are.
     */
    public PolicySpace forPruned(ModelSpec pruned) {
        LayerTable mine = model.layers();
        LayerTable theirs = pruned.layers();
        boolean same = mine.convCount() == theirs.convCount();
        for (int i = 0; same && i < mine.convCount(); i++) {
            same = mine.conv(i).depthwise() == theirs.conv(i).depthwise();
        }
        if (!same) {
            throw new InvalidInputException("space model " + model.label() + " does not have the layers of the pruned"
                    + " backbone " + pruned.label());
        }
        return new PolicySpace(pruned, biasDepths, weightLayers, ratios, selections, trainClassifier);
    }

    /**
     * The default space of a model: biases of the last 0 to 30 convolutions, the weights of the
     * non-depthwise (expand and project) convolutions among the last 12 (for a network without
     * a feature mix, such as mbv2-w0.35 or mcunet-5fps, the expand and project convs of its last
     * four blocks; with one, the mix and the last blocks' convs before it), ratios
     * {@link #DEFAULT_RATIOS}, and three channel selections: Lin et al.'s static magnitude,
     * cyclic (rotating every step) and dynamic random (re-drawn every 10 steps). The classifier
     * is trained.
     */
    public static PolicySpace defaultFor(ModelSpec model) {
        LayerTable table = model.layers();
        int n = table.convCount();
        List<Integer> depths = new ArrayList<>();
        for (int d = 0; d <= Math.min(n, 30); d++) {
            depths.add(d);
        }
        List<Integer> layers = new ArrayList<>();
        for (int i = Math.max(0, n - 12); i < n; i++) {
            if (!table.conv(i).depthwise()) {
                layers.add(i);
            }
        }
        return new PolicySpace(model, depths, layers, DEFAULT_RATIOS, List.of(ChannelSelection.DEFAULT,
                ChannelSelection.dynamic(SelectionStrategy.CYCLIC, 1),
                ChannelSelection.dynamic(SelectionStrategy.DYNAMIC_RANDOM, 10)), true);
    }

    /** Validates the fields (see the class comment) against {@code model}'s layer table. */
    public PolicySpace(ModelSpec model, List<Integer> biasDepths, List<Integer> weightLayers, List<Double> ratios,
            List<ChannelSelection> selections, boolean trainClassifier) {
        this.model = Objects.requireNonNull(model, "model");
        this.biasDepths = List.copyOf(biasDepths);
        this.weightLayers = List.copyOf(weightLayers);
        this.ratios = List.copyOf(ratios);
        this.selections = List.copyOf(selections);
        this.trainClassifier = trainClassifier;
        this.convCount = model.layers().convCount();
        ascending("bias_depth", this.biasDepths, 0, convCount);
        ascending("weight_layers", this.weightLayers, 0, convCount - 1);
        if (this.ratios.isEmpty() || this.ratios.get(0) != 0.0) {
            throw new InvalidInputException("ratios must start with 0 (weights frozen), got " + ratios);
        }
        for (int i = 1; i < this.ratios.size(); i++) {
            double r = this.ratios.get(i);
            if (!(r > this.ratios.get(i - 1) && r <= 1)) {
                throw new InvalidInputException("ratios must be strictly ascending within [0, 1], got " + ratios);
            }
        }
        if (this.selections.isEmpty()) {
            throw new InvalidInputException("selection must list at least one strategy");
        }
        if (new HashSet<>(this.selections).size() != this.selections.size()) {
            throw new InvalidInputException("selection lists a strategy with the same parameters twice: " + selections);
        }
        List<Gene> genes = new ArrayList<>();
        genes.add(new Gene("bias_depth", this.biasDepths.size()));
        for (int layer : this.weightLayers) {
            genes.add(new Gene("w" + layer, this.ratios.size()));
        }
        genes.add(new Gene("selection", this.selections.size()));
        this.genomeSpace = new GenomeSpace(genes);
        this.usable = new boolean[this.weightLayers.size()][this.ratios.size()];
        for (int j = 0; j < usable.length; j++) {
            int layer = this.weightLayers.get(j);
            int cin = model.layers().conv(layer).inChannels();
            usable[j][0] = true;
            for (int r = 1; r < this.ratios.size(); r++) {
                usable[j][r] = WeightUpdate.ratio(layer, this.ratios.get(r)).channelsOf(cin) >= 1;
            }
        }
    }

    /** The network. */
    public ModelSpec model() {
        return model;
    }

    /** Bias depths to try, strictly ascending, within [0, convCount]. */
    public List<Integer> biasDepths() {
        return biasDepths;
    }

    /** Candidate weight layers (conv indices), strictly ascending. */
    public List<Integer> weightLayers() {
        return weightLayers;
    }

    /** Ratios of input channels, strictly ascending within [0, 1], the first 0. */
    public List<Double> ratios() {
        return ratios;
    }

    /** Channel selections, distinct. */
    public List<ChannelSelection> selections() {
        return selections;
    }

    /** Whether every policy trains the classifier. */
    public boolean trainClassifier() {
        return trainClassifier;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicySpace p && model.equals(p.model) && biasDepths.equals(p.biasDepths)
                && weightLayers.equals(p.weightLayers) && ratios.equals(p.ratios) && selections.equals(p.selections)
                && trainClassifier == p.trainClassifier;
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, biasDepths, weightLayers, ratios, selections, trainClassifier);
    }

    @Override
    public String toString() {
        return "PolicySpace[" + model.label() + ", bias_depth " + biasDepths + ", weight_layers " + weightLayers
                + ", ratios " + ratios + ", " + selections.size() + " selections]";
    }

    private static void ascending(String field, List<Integer> values, int min, int max) {
        if (values.isEmpty()) {
            throw new InvalidInputException(field + " must list at least one value");
        }
        for (int i = 0; i < values.size(); i++) {
            int v = values.get(i);
            if (v < min || v > max || (i > 0 && v <= values.get(i - 1))) {
                throw new InvalidInputException(field + " must be strictly ascending within [" + min + ", " + max
                        + "], got " + values);
            }
        }
    }

    /** Gene index of candidate layer number {@code j} (position in {@link #weightLayers}). */
    public static int layerGene(int j) {
        return 1 + j;
    }

    /** Gene index of the channel selection. */
    public int selectionGene() {
        return 1 + weightLayers.size();
    }

    /** The genome space: bias depth, one ratio gene per candidate layer, selection. */
    public GenomeSpace genomeSpace() {
        return genomeSpace;
    }

    /** Where contribution analysis finds bias depth and layer ratios in a genome. */
    public ContributionLayout contributionLayout() {
        List<Integer> genes = new ArrayList<>();
        for (int j = 0; j < weightLayers.size(); j++) {
            genes.add(layerGene(j));
        }
        return new ContributionLayout(BIAS_GENE, biasDepths, genes, weightLayers, convCount);
    }

    /** Whether ratio value {@code r} of candidate layer {@code j} selects at least one channel. */
    private boolean ratioUsable(int j, int r) {
        return usable[j][r];
    }

    private boolean inBiasRange(int j, int depthValue) {
        return weightLayers.get(j) >= convCount - biasDepths.get(depthValue);
    }

    /** Whether {@code g} is structurally valid (see the class comment); it must lie in the space. */
    public boolean isValid(Genome g) {
        int depth = g.gene(BIAS_GENE);
        for (int j = 0; j < weightLayers.size(); j++) {
            int r = g.gene(layerGene(j));
            if (r != 0 && !(inBiasRange(j, depth) && ratioUsable(j, r))) {
                return false;
            }
        }
        return true;
    }

    /** {@code g} with every ratio that makes it structurally invalid set to 0. */
    public Genome makeValid(Genome g) {
        int[] x = g.toArray();
        for (int j = 0; j < weightLayers.size(); j++) {
            int r = x[layerGene(j)];
            if (r != 0 && !(inBiasRange(j, x[BIAS_GENE]) && ratioUsable(j, r))) {
                x[layerGene(j)] = 0;
            }
        }
        return Genome.of(x);
    }

    /**
     * The representative of the genomes that stand for the same training as {@code g}: when no
     * updated layer takes only part of its channels (no weights, or every updated layer at ratio
     * 1), the channel selection chooses nothing and is set to the first of {@link #selections};
     * otherwise {@code g} itself. Searchers hand out representatives only, so one policy is not
     * trained three times under three selections that do not select.
     */
    public Genome canonical(Genome g) {
        int sel = selectionGene();
        if (g.gene(sel) == 0) {
            return g;
        }
        for (int j = 0; j < weightLayers.size(); j++) {
            int r = g.gene(layerGene(j));
            if (r != 0 && ratios.get(r) < 1.0) {
                return g;
            }
        }
        return g.with(sel, 0);
    }

    /**
     * The policy {@code g} stands for.
     *
     * @throws InvalidInputException if {@code g} is outside the space or structurally invalid
     */
    public SparseUpdatePolicy toPolicy(Genome g) {
        genomeSpace.require(g);
        if (!isValid(g)) {
            throw new InvalidInputException("genome " + g + " is not a valid policy: a weight layer lies outside the "
                    + "bias range or selects no channel");
        }
        List<WeightUpdate> weights = new ArrayList<>();
        for (int j = 0; j < weightLayers.size(); j++) {
            int r = g.gene(layerGene(j));
            if (r != 0) {
                weights.add(WeightUpdate.ratio(weightLayers.get(j), ratios.get(r)));
            }
        }
        return new SparseUpdatePolicy(biasDepths.get(g.gene(BIAS_GENE)), weights,
                selections.get(g.gene(selectionGene())), trainClassifier);
    }

    /**
     * The genome of {@code policy}.
     *
     * @throws InvalidInputException naming what the space cannot express (a bias depth, layer,
     *     ratio or selection it does not list, a channel count instead of a ratio, or a different
     *     classifier setting)
     */
    public Genome toGenome(SparseUpdatePolicy policy) {
        int[] x = new int[2 + weightLayers.size()];
        x[BIAS_GENE] = indexOf("bias depth", biasDepths, policy.biasLayers());
        for (WeightUpdate w : policy.weights()) {
            if (w.ratio() == null) {
                throw new InvalidInputException("weight layer " + w.layer() + " uses a channel count (" + w.channels()
                        + "), which the space (ratios " + ratios + ") cannot express");
            }
            int j = indexOf("weight layer", weightLayers, w.layer());
            x[layerGene(j)] = indexOf("ratio of layer " + w.layer(), ratios, w.ratio());
        }
        x[selectionGene()] = indexOf("selection", selections, policy.selection());
        if (policy.trainClassifier() != trainClassifier) {
            throw new InvalidInputException("policy has train_classifier=" + policy.trainClassifier()
                    + " but the space has " + trainClassifier);
        }
        Genome g = Genome.of(x);
        if (!isValid(g)) {
            throw new InvalidInputException("policy " + policy.describe() + " is not valid for " + model.label());
        }
        return g;
    }

    private static <T> int indexOf(String what, List<T> list, T value) {
        int i = list.indexOf(value);
        if (i < 0) {
            throw new InvalidInputException(what + " " + value + " is not in the space (" + list + ")");
        }
        return i;
    }

    /** Number of genomes, valid or not (the product of the gene cardinalities). */
    public BigInteger genomeCount() {
        return genomeSpace.size();
    }

    /** Number of structurally valid genomes: distinct policies the space can express. */
    public BigInteger policyCount() {
        BigInteger total = BigInteger.ZERO;
        for (int v = 0; v < biasDepths.size(); v++) {
            total = total.add(policiesAtDepth(v));
        }
        return total.multiply(BigInteger.valueOf(selections.size()));
    }

    /** Valid ratio assignments of the candidate layers at bias value {@code v}. */
    private BigInteger policiesAtDepth(int v) {
        BigInteger n = BigInteger.ONE;
        for (int j = 0; j < weightLayers.size(); j++) {
            n = n.multiply(BigInteger.valueOf(usableRatios(j, v).length));
        }
        return n;
    }

    private int[] usableRatios(int j, int depthValue) {
        if (!inBiasRange(j, depthValue)) {
            return new int[] {0};
        }
        return java.util.stream.IntStream.range(0, ratios.size()).filter(r -> ratioUsable(j, r)).toArray();
    }

    /**
     * Calls {@code action} with every structurally valid genome, bias depth slowest, selection
     * fastest. There are {@link #policyCount()} of them: only for small spaces.
     */
    public void forEachValid(java.util.function.Consumer<Genome> action) {
        int layers = weightLayers.size();
        for (int v = 0; v < biasDepths.size(); v++) {
            int[][] options = new int[layers][];
            for (int j = 0; j < layers; j++) {
                options[j] = usableRatios(j, v);
            }
            int[] pos = new int[layers];
            int[] x = new int[2 + layers];
            x[BIAS_GENE] = v;
            while (true) {
                for (int j = 0; j < layers; j++) {
                    x[layerGene(j)] = options[j][pos[j]];
                }
                for (int sel = 0; sel < selections.size(); sel++) {
                    x[selectionGene()] = sel;
                    action.accept(Genome.of(x));
                }
                int j = layers - 1;
                while (j >= 0 && ++pos[j] == options[j].length) {
                    pos[j] = 0;
                    j--;
                }
                if (j < 0) {
                    break;
                }
            }
        }
    }

    /**
     * A sampler drawing uniformly from the structurally valid genomes: a bias depth with
     * probability proportional to the number of valid ratio assignments it allows, then each
     * layer's ratio uniformly among those usable at that depth, and the selection uniformly.
     */
    public GenomeSampler validSampler() {
        int depths = biasDepths.size();
        double[] cumulative = new double[depths];
        BigInteger total = BigInteger.ZERO;
        BigInteger[] counts = new BigInteger[depths];
        for (int v = 0; v < depths; v++) {
            counts[v] = policiesAtDepth(v);
            total = total.add(counts[v]);
        }
        double acc = 0;
        for (int v = 0; v < depths; v++) {
            // Ratios of BigIntegers as doubles: exact enough for sampling weights.
            acc += new java.math.BigDecimal(counts[v]).divide(new java.math.BigDecimal(total),
                    java.math.MathContext.DECIMAL64).doubleValue();
            cumulative[v] = acc;
        }
        int[][][] usable = new int[depths][weightLayers.size()][];
        for (int v = 0; v < depths; v++) {
            for (int j = 0; j < weightLayers.size(); j++) {
                usable[v][j] = usableRatios(j, v);
            }
        }
        int genes = 2 + weightLayers.size();
        int selectionGene = selectionGene();
        int choices = selections.size();
        return rng -> sampleValid(rng, cumulative, usable, genes, selectionGene, choices);
    }

    private static Genome sampleValid(SplitMix64 rng, double[] cumulative, int[][][] usable, int genes,
            int selectionGene, int choices) {
        double u = rng.nextDouble() * cumulative[cumulative.length - 1];
        int v = 0;
        while (v < cumulative.length - 1 && u >= cumulative[v]) {
            v++;
        }
        int[] x = new int[genes];
        x[BIAS_GENE] = v;
        for (int j = 0; j < usable[v].length; j++) {
            int[] options = usable[v][j];
            x[layerGene(j)] = options[rng.nextInt(options.length)];
        }
        x[selectionGene] = rng.nextInt(choices);
        return Genome.of(x);
    }

    /** The layer table of the model. */
    public LayerTable table() {
        return model.layers();
    }
}
