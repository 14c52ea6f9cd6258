package io.tinysparse.search.space;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.search.Gene;
import io.tinysparse.search.Genome;
import io.tinysparse.search.GenomeSampler;
import io.tinysparse.search.GenomeSpace;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The policy spaces of one search: one per backbone it may fine-tune, and the genome that
 * indexes them. A search of one backbone has one space, and its genome is that space's (nothing
 * changes for it). A search over the same network pruned by several ratios has one space per
 * pruned backbone, all with the same genes (the same bias depths, candidate layers, ratios and
 * selections: pruning narrows layers, it removes none), and its genome is the policy genes plus a
 * last gene {@code backbone}, the index of the backbone, ordered as given (least pruned first). The
 * searcher then trades the backbone against the policy like any other gene.
 *
 * <p>Validity, canonical form and the policy of a genome are those of its backbone's space: a
 * ratio that selects a channel of a layer on the parent may select none on a pruned backbone.
 */
public final class PolicySpaces {
    /** Name of the backbone gene. */
    public static final String BACKBONE_GENE = "backbone";

    private final List<PolicySpace> spaces;
    private final GenomeSpace genomeSpace;
    private final int policyGenes;

    private PolicySpaces(List<PolicySpace> spaces) {
        this.spaces = List.copyOf(spaces);
        GenomeSpace first = this.spaces.get(0).genomeSpace();
        this.policyGenes = first.dimensions();
        if (this.spaces.size() == 1) {
            this.genomeSpace = first;
            return;
        }
        for (PolicySpace s : this.spaces) {
            PolicySpace p = this.spaces.get(0);
            if (!s.biasDepths().equals(p.biasDepths()) || !s.weightLayers().equals(p.weightLayers())
                    || !s.ratios().equals(p.ratios()) || !s.selections().equals(p.selections())
                    || s.trainClassifier() != p.trainClassifier()) {
                throw new InvalidInputException("the space of " + s.model().label() + " has other genes than the space"
                        + " of " + p.model().label() + ": every backbone of a search takes the same policies");
            }
        }
        List<Gene> genes = new ArrayList<>(first.genes());
        genes.add(new Gene(BACKBONE_GENE, this.spaces.size()));
        this.genomeSpace = new GenomeSpace(genes);
    }

    /** The space of a search of one backbone. */
    public static PolicySpaces of(PolicySpace space) {
        return new PolicySpaces(List.of(space));
    }

    /**
     * The spaces of a search over several backbones, in backbone-gene order.
     *
     * @throws InvalidInputException if the spaces differ in anything but their model
     */
    public static PolicySpaces of(List<PolicySpace> spaces) {
        if (spaces.isEmpty()) {
            throw new IllegalArgumentException("a search has at least one backbone");
        }
        return new PolicySpaces(spaces);
    }

    /** Number of backbones. */
    public int backbones() {
        return spaces.size();
    }

    /** The space of backbone {@code b}. */
    public PolicySpace space(int b) {
        return spaces.get(b);
    }

    /** The spaces, in backbone-gene order. */
    public List<PolicySpace> all() {
        return spaces;
    }

    /** The genome space: the policy genes, and the backbone gene when there are several backbones. */
    public GenomeSpace genomeSpace() {
        return genomeSpace;
    }

    /** The backbone {@code g} fine-tunes (0 with one backbone). */
    public int backboneOf(Genome g) {
        return spaces.size() == 1 ? 0 : g.gene(policyGenes);
    }

    /** The policy genes of {@code g} (its space's genome). */
    public Genome policyGenome(Genome g) {
        if (spaces.size() == 1) {
            return g;
        }
        int[] x = new int[policyGenes];
        for (int i = 0; i < policyGenes; i++) {
            x[i] = g.gene(i);
        }
        return Genome.of(x);
    }

    /** The genome of {@code policyGenome} on backbone {@code b}. */
    public Genome genome(Genome policyGenome, int b) {
        if (spaces.size() == 1) {
            return policyGenome;
        }
        int[] x = new int[policyGenes + 1];
        for (int i = 0; i < policyGenes; i++) {
            x[i] = policyGenome.gene(i);
        }
        x[policyGenes] = b;
        return Genome.of(x);
    }

    /** The space of {@code g}'s backbone. */
    public PolicySpace spaceOf(Genome g) {
        return spaces.get(backboneOf(g));
    }

    /** Whether {@code g} is a structurally valid policy of its backbone's space; it must lie in the genome space. */
    public boolean isValid(Genome g) {
        return spaceOf(g).isValid(policyGenome(g));
    }

    /** {@code g} made structurally valid on its backbone ({@link PolicySpace#makeValid}). */
    public Genome makeValid(Genome g) {
        return genome(spaceOf(g).makeValid(policyGenome(g)), backboneOf(g));
    }

    /** The representative of {@code g} on its backbone ({@link PolicySpace#canonical}). */
    public Genome canonical(Genome g) {
        return genome(spaceOf(g).canonical(policyGenome(g)), backboneOf(g));
    }

    /**
     * The policy {@code g} stands for on its backbone.
     *
     * @throws InvalidInputException if {@code g} is outside the space or structurally invalid
     */
    public SparseUpdatePolicy toPolicy(Genome g) {
        genomeSpace.require(g);
        return spaceOf(g).toPolicy(policyGenome(g));
    }

    /**
     * A sampler of structurally valid genomes: with one backbone its space's; with several, a
     * backbone uniformly (each pruning ratio is tried as often), then a valid policy of its space.
     */
    public GenomeSampler validSampler() {
        if (spaces.size() == 1) {
            return spaces.get(0).validSampler();
        }
        List<GenomeSampler> samplers = spaces.stream().map(PolicySpace::validSampler).toList();
        return rng -> sample(rng, samplers);
    }

    private Genome sample(SplitMix64 rng, List<GenomeSampler> samplers) {
        int b = rng.nextInt(samplers.size());
        return genome(samplers.get(b).sample(rng), b);
    }
}
