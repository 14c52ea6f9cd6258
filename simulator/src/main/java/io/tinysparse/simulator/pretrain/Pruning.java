package io.tinysparse.simulator.pretrain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.Locale;
import java.util.Objects;

/**
 * How a pruned backbone is made from its parent: the parent's pretraining (which also names
 * the source data it is pruned and recovered on), the fraction of every channel group removed,
 * the importance criterion, and the recovery fine-tuning budget. Part of the pruned backbone's
 * {@link PretrainSpec}, so the same parent pruned with the same settings has one store address.
 *
 * <p>Between the surgery and the recovery, {@code bnBatches} source batches can re-estimate every
 * batch norm's running statistics (the cumulative average of each batch's mean and unbiased
 * variance, see {@code prune.BatchNormReestimation}): the surgery changed what each batch norm
 * receives, so the parent's statistics no longer describe it.
 *
 * <p>Recovery trains every parameter (batch norm with batch statistics) on the parent's training
 * subset, with the parent's batch size, shards, momentum, weight decay, warm-up fraction and seed,
 * under a cosine schedule peaking at {@code recoveryLearningRate}.
 *
 * @param parent               the parent backbone's spec (itself possibly pruned)
 * @param ratio                fraction of each group's channels removed, in {@code (0, 1)}
 * @param criterion            the channel importance
 * @param importanceBatches    source batches the {@link PruneCriterion#TAYLOR} score averages over,
 *                             &gt;= 1; 0 for {@link PruneCriterion#L2}, which uses no data
 * @param recoveryEpochs       passes of recovery fine-tuning over the parent's training images,
 *                             finite, &gt; 0
 * @param recoveryLearningRate peak learning rate of the recovery, finite, &gt; 0
 * @param bnBatches            source batches (of the parent's batch size) the batch-norm statistics
 *                             are re-estimated on before the recovery, &gt;= 0; 0 re-estimates
 *                             nothing and is absent from the JSON and from {@link #canonical()}, so
 *                             the backbones pruned before the field existed keep their address
 */
public record Pruning(
        @JsonProperty("parent") PretrainSpec parent,
        @JsonProperty("ratio") double ratio,
        @JsonProperty("criterion") PruneCriterion criterion,
        @JsonProperty("importance_batches") int importanceBatches,
        @JsonProperty("recovery_epochs") double recoveryEpochs,
        @JsonProperty("recovery_learning_rate") double recoveryLearningRate,
        @JsonProperty("bn_batches") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int bnBatches) {

    /** Version of the pruning procedure, part of the pruned backbone's address. */
    public static final int PROCEDURE_VERSION = 1;
    /** Default criterion. */
    public static final PruneCriterion DEFAULT_CRITERION = PruneCriterion.TAYLOR;
    /** Default source batches of the Taylor score (256 images at batch 32). */
    public static final int DEFAULT_IMPORTANCE_BATCHES = 8;
    /** Default recovery: one pass over the parent's training images. */
    public static final double DEFAULT_RECOVERY_EPOCHS = 1;
    /** Default recovery peak learning rate: a fifth of the default pretraining's, the network is trained already. */
    public static final double DEFAULT_RECOVERY_LEARNING_RATE = 0.01;
    /** Default batch-norm re-estimation before the recovery: none. */
    public static final int DEFAULT_BN_BATCHES = 0;

    public Pruning {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(criterion, "criterion");
        ChannelGroups.requireRatio(ratio);
        if (criterion == PruneCriterion.TAYLOR && importanceBatches < 1) {
            throw new InvalidInputException("the taylor criterion needs --importance-batches >= 1, got "
                    + importanceBatches);
        }
        if (criterion == PruneCriterion.L2 && importanceBatches != 0) {
            throw new InvalidInputException("the l2 criterion uses no data: --importance-batches must be 0, got "
                    + importanceBatches);
        }
        if (!(recoveryEpochs > 0) || Double.isInfinite(recoveryEpochs)) {
            throw new InvalidInputException("--recovery-epochs must be finite and > 0, got " + recoveryEpochs);
        }
        if (!(recoveryLearningRate > 0) || Double.isInfinite(recoveryLearningRate)) {
            throw new InvalidInputException("--recovery-lr must be finite and > 0, got "
                    + recoveryLearningRate);
        }
        requireBnBatches(bnBatches);
        long pass = Math.max(1, (long) Math.ceil((double) parent.samples() / parent.batchSize()));
        if (bnBatches > pass) {
            throw new InvalidInputException("--bn-batches " + bnBatches + " exceeds the " + pass + " batches of one pass"
                    + " over the parent's training images");
        }
    }

    /**
     * {@code bnBatches} if it is a count of batches (0: no batch-norm re-estimation): checked by
     * {@code prune} before anything else, even where the ratio prunes nothing.
     *
     * @throws InvalidInputException naming the value if it is negative
     */
    public static int requireBnBatches(int bnBatches) {
        if (bnBatches < 0) {
            throw new InvalidInputException("--bn-batches must be >= 0 (0: no batch-norm re-estimation), got "
                    + bnBatches);
        }
        return bnBatches;
    }

    /** Settings without batch-norm re-estimation ({@code bnBatches} 0), as pruning was before it existed. */
    public Pruning(PretrainSpec parent, double ratio, PruneCriterion criterion, int importanceBatches,
            double recoveryEpochs, double recoveryLearningRate) {
        this(parent, ratio, criterion, importanceBatches, recoveryEpochs, recoveryLearningRate, 0);
    }

    /** The pruned network: the parent's with {@link #ratio} of every dependency group removed. */
    public ModelSpec model() {
        ModelSpec p = parent.model();
        return ModelSpec.of(ChannelGroups.of(p.architecture()).pruned(ratio), p.resolution(), p.numClasses());
    }

    /** Recovery steps: {@code ceil(recoveryEpochs * samples / batchSize)} of the parent's, at least 1. */
    public long recoveryIterations() {
        return Math.max(1, (long) Math.ceil(recoveryEpochs * parent.samples() / parent.batchSize()));
    }

    /** Recovery warm-up steps: the parent's warm-up fraction of {@link #recoveryIterations()}. */
    public long recoveryWarmupIterations() {
        return Math.round(parent.warmupFraction() * recoveryIterations());
    }

    /**
     * A stable text form of the settings, the parent's address and {@link #PROCEDURE_VERSION};
     * {@link #bnBatches} is appended only when it is not 0 (0 is the procedure as it was before it
     * existed, bit for bit).
     */
    public String canonical() {
        return String.format(Locale.ROOT, "prune-v%d;parent=%s;ratio=%s;criterion=%s;importanceBatches=%d;"
                        + "recoveryEpochs=%s;recoveryLr=%s", PROCEDURE_VERSION, parent.hash(), Double.toString(ratio),
                criterion.cliName(), importanceBatches, Double.toString(recoveryEpochs),
                Double.toString(recoveryLearningRate)) + (bnBatches == 0 ? "" : ";bnBatches=" + bnBatches);
    }
}
