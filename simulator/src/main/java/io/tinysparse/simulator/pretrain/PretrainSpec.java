package io.tinysparse.simulator.pretrain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.hash.ContentHash;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything that determines a pretrained backbone: the model, the source dataset and how many
 * of its training images are used, the training budget and optimiser, and the seed. Two equal
 * specs give the same backbone bit for bit, so {@link #hash()} addresses it in a
 * {@link BackboneStore}.
 *
 * <p>The training and held-out images are disjoint, class-stratified subsets of the dataset's
 * training split (its test split is never touched: it may be someone's evaluation set).
 *
 * @param model          the network; its class count must equal the dataset's
 * @param dataset        source dataset name as in the catalog (e.g. {@code fashion-mnist})
 * @param samples        training images, &gt;= {@code batchSize}
 * @param heldOut        held-out images for the accuracy report, &gt;= 1
 * @param epochs         passes over the training images, finite, &gt; 0
 * @param batchSize      images per step, &gt;= 2 (batch statistics need two)
 * @param learningRate   peak learning rate of the cosine schedule, finite, &gt; 0
 * @param momentum       SGD momentum in {@code [0, 1)}
 * @param weightDecay    L2 coefficient, finite, &gt;= 0
 * @param warmupFraction fraction of the steps spent in linear warm-up, in {@code [0, 1]}
 * @param seed           seed of initialisation, subsets and data order
 * @param shards         how many parts each mini-batch is split into for data-parallel steps,
 *                       in {@code [1, batchSize]}; threads share the shards out. The shards'
 *                       results are summed in shard order, so the backbone depends on this
 *                       number but not on the thread count; batch norm uses the whole batch's
 *                       statistics whatever it is, so it changes only the rounding. 1 is the
 *                       single-threaded pretraining of earlier versions, bit for bit.
 * @param pruning        null for a backbone pretrained from scratch; for a pruned backbone, how
 *                       it was made from its parent ({@link #pruned}): {@code model} is then the
 *                       pruned network (its per-layer channel counts) and every other field is
 *                       the parent's (the source data, subsets, batch, optimiser and seed the
 *                       pruning and its recovery reuse). Absent from the JSON and from
 *                       {@link #canonical()} when null, so no earlier backbone's address moves.
 */
public record PretrainSpec(
        @JsonProperty("model") ModelSpec model,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("samples") int samples,
        @JsonProperty("held_out") int heldOut,
        @JsonProperty("epochs") double epochs,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("momentum") double momentum,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("warmup_fraction") double warmupFraction,
        @JsonProperty("seed") long seed,
        @JsonProperty("shards") int shards,
        @JsonProperty("pruning") @JsonInclude(JsonInclude.Include.NON_NULL) Pruning pruning) {

    /**
     * Version of the pretraining procedure, part of {@link #hash()}: bump it when a change of
     * the code would change the weights a spec produces, so stored backbones are not reused.
     */
    public static final int PROCEDURE_VERSION = 1;

    /** Default model preset (the default transfer task's network). */
    public static final String DEFAULT_MODEL = "mbv2-w0.35";
    /** Default input resolution, pixels. */
    public static final int DEFAULT_RESOLUTION = 128;
    /** Default source dataset (the default transfer task's target is MNIST). */
    public static final String DEFAULT_DATASET = "fashion-mnist";
    /** Default training images. */
    public static final int DEFAULT_SAMPLES = 4000;
    /** Default held-out images. */
    public static final int DEFAULT_HELD_OUT = 1000;
    /** Default epochs. */
    public static final double DEFAULT_EPOCHS = 3;
    /** Default batch size. */
    public static final int DEFAULT_BATCH = 32;
    /** Default peak learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 0.05;
    /** Default SGD momentum. */
    public static final double DEFAULT_MOMENTUM = 0.9;
    /** Default weight decay (MobileNetV2's). */
    public static final double DEFAULT_WEIGHT_DECAY = 4e-5;
    /** Default warm-up fraction. */
    public static final double DEFAULT_WARMUP_FRACTION = 0.05;
    /** Default seed. */
    public static final long DEFAULT_SEED = 0;
    /**
     * Default shards per mini-batch: 4 lets 1, 2 or 4 threads share a step evenly (this
     * project's machines have 2 cores) while a shard of the default batch keeps 8 images.
     */
    public static final int DEFAULT_SHARDS = 4;

    public PretrainSpec {
        Objects.requireNonNull(model, "model");
        if (dataset == null || dataset.isBlank()) {
            throw new InvalidInputException("dataset must be named, got '" + dataset + "'");
        }
        if (batchSize < 2) {
            throw new InvalidInputException("batch size must be >= 2 (batch norm needs batch statistics), got "
                    + batchSize);
        }
        if (samples < batchSize) {
            throw new InvalidInputException("samples must be >= the batch size " + batchSize + ", got " + samples);
        }
        if (heldOut < 1) {
            throw new InvalidInputException("held-out samples must be >= 1, got " + heldOut);
        }
        if (!(epochs > 0) || Double.isInfinite(epochs)) {
            throw new InvalidInputException("epochs must be finite and > 0, got " + epochs);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new InvalidInputException("learning rate must be finite and > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InvalidInputException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new InvalidInputException("weight decay must be finite and >= 0, got " + weightDecay);
        }
        if (!(warmupFraction >= 0 && warmupFraction <= 1)) {
            throw new InvalidInputException("warm-up fraction must be in [0, 1], got " + warmupFraction);
        }
        if (shards < 1 || shards > batchSize) {
            throw new InvalidInputException("shards must be in [1, the batch size " + batchSize + "], got " + shards);
        }
        if (pruning != null) {
            PretrainSpec p = pruning.parent();
            if (!model.equals(pruning.model()) || !dataset.equals(p.dataset) || samples != p.samples
                    || heldOut != p.heldOut || epochs != p.epochs || batchSize != p.batchSize
                    || learningRate != p.learningRate || momentum != p.momentum || weightDecay != p.weightDecay
                    || warmupFraction != p.warmupFraction || seed != p.seed || shards != p.shards) {
                throw new InvalidInputException("a pruned backbone's spec must be its parent's with the pruned model "
                        + pruning.model().label());
            }
        }
    }

    /** A backbone pretrained from scratch (no {@link #pruning()}). */
    public PretrainSpec(ModelSpec model, String dataset, int samples, int heldOut, double epochs, int batchSize,
            double learningRate, double momentum, double weightDecay, double warmupFraction, long seed, int shards) {
        this(model, dataset, samples, heldOut, epochs, batchSize, learningRate, momentum, weightDecay, warmupFraction,
                seed, shards, null);
    }

    /** The spec of the backbone {@code pruning} makes from its parent. */
    public static PretrainSpec pruned(Pruning pruning) {
        PretrainSpec p = pruning.parent();
        return new PretrainSpec(pruning.model(), p.dataset, p.samples, p.heldOut, p.epochs, p.batchSize,
                p.learningRate, p.momentum, p.weightDecay, p.warmupFraction, p.seed, p.shards, pruning);
    }

    /**
     * The source pretraining of the default transfer task (Fashion-MNIST -> MNIST): the
     * defaults above, with the model's class count set to Fashion-MNIST's 10. What
     * {@code tinysparse pretrain} runs without options and what a search reuses from the
     * {@link BackboneStore}.
     */
    public static PretrainSpec defaults() {
        ModelSpec model = ModelSpec.preset(DEFAULT_MODEL).withResolution(DEFAULT_RESOLUTION).withClasses(10);
        return new PretrainSpec(model, DEFAULT_DATASET, DEFAULT_SAMPLES, DEFAULT_HELD_OUT, DEFAULT_EPOCHS, DEFAULT_BATCH,
                DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM, DEFAULT_WEIGHT_DECAY, DEFAULT_WARMUP_FRACTION, DEFAULT_SEED,
                DEFAULT_SHARDS);
    }

    /**
     * {@link #defaults()} with {@code model}'s network instead of the default one, at the default
     * resolution and with the source dataset's 10 classes: the backbone a search of that model
     * reuses from the {@link BackboneStore}. For the default model it is {@link #defaults()}.
     */
    public static PretrainSpec defaultsFor(ModelSpec model) {
        PretrainSpec d = defaults();
        return new PretrainSpec(model.withResolution(DEFAULT_RESOLUTION).withClasses(d.model().numClasses()), d.dataset,
                d.samples, d.heldOut, d.epochs, d.batchSize, d.learningRate, d.momentum, d.weightDecay,
                d.warmupFraction, d.seed, d.shards);
    }

    /** Training steps: {@code ceil(epochs * samples / batchSize)}, at least 1. */
    public long iterations() {
        return Math.max(1, (long) Math.ceil(epochs * samples / batchSize));
    }

    /** Warm-up steps: {@code round(warmupFraction * iterations)}. */
    public long warmupIterations() {
        return Math.round(warmupFraction * iterations());
    }

    /**
     * A stable text form of every field and the {@link #PROCEDURE_VERSION}. One shard is the
     * procedure as it was before shards existed, bit for bit, so its form (and the address of
     * backbones stored before) is unchanged; any other shard count is appended. A MobileNetV2
     * model is named by its label (width, mix, expansion, resolution, classes); an MBConv model's
     * label names only the network, so the hash of its blocks' canonical JSON is appended; a
     * pruned backbone appends {@link Pruning#canonical()} (its parent's address and settings).
     */
    public String canonical() {
        String shardCount = shards == 1 ? "" : ";shards=" + shards;
        String network = model.isMobileNetV2() ? "" : ";mbconv=" + ContentHash.ofCanonicalJson(model.mbconv());
        return String.format(Locale.ROOT,
                "pretrain-v%d;model=%s;width=%s;dataset=%s;samples=%d;heldOut=%d;epochs=%s;batch=%d;lr=%s;"
                        + "momentum=%s;weightDecay=%s;warmup=%s;seed=%d",
                PROCEDURE_VERSION, model.label(), Double.toString(model.widthMultiplier()), dataset, samples, heldOut,
                Double.toString(epochs), batchSize, Double.toString(learningRate), Double.toString(momentum),
                Double.toString(weightDecay), Double.toString(warmupFraction), seed) + shardCount + network
                + (pruning == null ? "" : ";" + pruning.canonical());
    }

    /** Lower-case hex SHA-256 of {@link #canonical()}: the content address of the backbone. */
    public String hash() {
        return ContentHash.of(canonical());
    }
}
