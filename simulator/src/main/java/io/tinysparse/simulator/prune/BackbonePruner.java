package io.tinysparse.simulator.prune;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.ChannelGroups;
import io.tinysparse.simulator.pretrain.BackboneCheckpoint;
import io.tinysparse.simulator.pretrain.BackboneStore;
import io.tinysparse.simulator.pretrain.PretrainResult;
import io.tinysparse.simulator.pretrain.PretrainSpec;
import io.tinysparse.simulator.pretrain.Pretrainer;
import io.tinysparse.simulator.pretrain.PruneCriterion;
import io.tinysparse.simulator.pretrain.PruneOutcome;
import io.tinysparse.simulator.pretrain.Pruning;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.pretrain.BackboneProvenance;
import io.tinysparse.simulator.pretrain.Backbones;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;

/**
 * Offline structured pruning of a pretrained backbone on its own source data, the first half of
 * the seed paper's method: score every channel of every dependency group
 * ({@link ChannelImportance}), remove the lowest {@link Pruning#ratio()} of each group
 * ({@link ChannelPruner}), optionally re-estimate the batch-norm statistics the surgery invalidated
 * ({@link BatchNormReestimation}), then recover with a short dense fine-tuning on the parent's training
 * images ({@link Pretrainer#train}). Deterministic: the same parent and settings give the same
 * network bit for bit, on any number of threads.
 */
public final class BackbonePruner {
    /** Seed stream of the Taylor score's batch order (apart from pretraining's streams). */
    static final long IMPORTANCE_STREAM = 11;
    /** Seed stream of the batch-norm re-estimation's batch order. */
    static final long BN_REESTIMATION_STREAM = 12;

    private BackbonePruner() {}

    /**
     * A network pruned before recovery.
     *
     * @param network           the pruned network (unfolded, the parent's classifier narrowed)
     * @param kept              per group, the parent's channel indices kept, ascending
     * @param importanceSeconds wall time of the importance measurement, seconds
     */
    public record Pruned(Network network, int[][] kept, double importanceSeconds) {
        /** {@link #kept} as lists, for the provenance. */
        public List<List<Integer>> keptLists() {
            List<List<Integer>> l = new ArrayList<>();
            for (int[] k : kept) {
                l.add(java.util.Arrays.stream(k).boxed().toList());
            }
            return l;
        }
    }

    /**
     * Prunes {@code parent} (the unfolded network of {@code pruning.parent()}) as {@code pruning}
     * says, without recovery; the Taylor score reads {@code split}'s training images.
     *
     * @throws InvalidInputException if the parent is not {@code pruning.parent()}'s network, or the
     *     ratio leaves a group empty
     */
    public static Pruned prune(Network parent, Pruning pruning, Pretrainer.SourceSplit split, int threads) {
        PretrainSpec spec = pruning.parent();
        if (!parent.spec().equals(spec.model())) {
            throw new InvalidInputException("the network to prune is a " + parent.spec().label() + ", its spec says "
                    + spec.model().label());
        }
        ChannelGroups groups = ChannelGroups.of(parent.spec().architecture());
        long t0 = System.nanoTime();
        double[][] scores;
        if (pruning.criterion() == PruneCriterion.L2) {
            scores = ChannelImportance.l2(parent, groups);
        } else {
            SourceBatches batches = new SourceBatches(split, spec.batchSize(), spec.seed(), IMPORTANCE_STREAM);
            scores = ChannelImportance.taylor(parent, groups, pruning.importanceBatches(), spec.batchSize(),
                    spec.shards(), threads, batches, b -> batches.advance());
        }
        int[][] kept = ChannelImportance.keep(scores, groups, pruning.ratio());
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Pruned(ChannelPruner.prune(parent, groups, kept, pruning.model()), kept, seconds);
    }

    /**
     * The pruned backbone of {@code pruning} made from {@code parent} (its checkpoint) on
     * {@code source} (the training split of the parent's source dataset): pruned, measured on the
     * held-out images, its batch-norm statistics re-estimated and measured again (if
     * {@link Pruning#bnBatches()} is not 0), recovered, measured again.
     */
    public static BackboneCheckpoint make(BackboneCheckpoint parent, Pruning pruning, ImageDataset source, int threads,
            Pretrainer.Progress progress) {
        if (!parent.provenance().spec().equals(pruning.parent())) {
            throw new InvalidInputException("backbone " + parent.provenance().parameterHash().substring(0, 12)
                    + " is not the parent the pruning names");
        }
        PretrainSpec spec = PretrainSpec.pruned(pruning);
        Pretrainer.SourceSplit split = Pretrainer.split(spec, source);
        Pruned pruned = prune(parent.network(), pruning, split, threads);
        Network network = pruned.network();
        double before = Pretrainer.heldOutAccuracy(network, split, spec, threads);
        PruneOutcome.BnReestimation reestimation = null;
        if (pruning.bnBatches() > 0) {
            long t0 = System.nanoTime();
            reestimateBatchNorm(network, pruning.bnBatches(), split, spec);
            double seconds = (System.nanoTime() - t0) / 1e9;
            reestimation = new PruneOutcome.BnReestimation(Pretrainer.heldOutAccuracy(network, split, spec, threads),
                    seconds);
        }
        PretrainResult recovered = Pretrainer.train(network, split, spec, pruning.recoveryIterations(),
                pruning.recoveryWarmupIterations(), pruning.recoveryLearningRate(), threads, progress);
        PruneOutcome outcome = new PruneOutcome(parent.provenance().parameterHash(),
                parent.provenance().heldOutAccuracy(), before, pruned.keptLists(), pruned.importanceSeconds(),
                reestimation);
        return BackboneCheckpoint.ofPruned(spec, recovered, outcome);
    }

    /**
     * Re-estimates the batch-norm statistics of the unfolded {@code network} on {@code batches}
     * of {@code split}'s training images ({@code spec}'s batch size, in an order of their own seed
     * stream), as {@link BatchNormReestimation} says; 0 batches leave it untouched.
     */
    public static void reestimateBatchNorm(Network network, int batches, Pretrainer.SourceSplit split,
            PretrainSpec spec) {
        SourceBatches source = new SourceBatches(split, spec.batchSize(), spec.seed(), BN_REESTIMATION_STREAM);
        BatchNormReestimation.reestimate(network, batches, spec.batchSize(), (b, input) -> {
            source.advance();
            source.loadImages(input);
        });
    }

    /**
     * The network a run or search fine-tunes when it asks for {@code ratio} of its backbone pruned:
     * the parent is {@code file}'s backbone (which needs its pretraining provenance: the source
     * data), or without a file the default pretraining of {@code model} (or of the default model),
     * pruned with the default settings ({@link Pruning#DEFAULT_CRITERION}, its importance batches and
     * recovery) once and kept in the store of {@code home}; progress and provenance on {@code out}.
     *
     * @throws InvalidInputException if the ratio is not in (0, 1) or empties a group, or the file is
     *     not a backbone with provenance, or not {@code model}'s network
     */
    public static Backbones.Selected selectPruned(Path file, ModelSpec model, double ratio, DataDirectory home,
            PrintStream out) throws IOException {
        BackboneCheckpoint parent;
        if (file == null) {
            parent = model == null ? Backbones.defaultPretrained(home, out) : Backbones.defaultPretrained(model, home, out);
        } else {
            parent = BackboneCheckpoint.load(file);
            ModelSpec m = parent.network().spec();
            if (model != null && !model.withResolution(m.resolution()).withClasses(m.numClasses()).equals(m)) {
                throw new InvalidInputException("backbone file " + file + " holds network " + m.architecture().name()
                        + ", not " + model.architecture().name() + " that --model names");
            }
        }
        Pruning pruning = defaults(parent.provenance().spec(), ratio);
        PretrainSpec spec = PretrainSpec.pruned(pruning);
        BackboneCheckpoint pruned = getOrMake(BackboneStore.atHome(home), parent, pruning, Pretrainer.defaultThreads(),
                (point, total) -> out.printf(Locale.ROOT, "recovering the %s-pruned backbone: step %d/%d, loss %.3f%n",
                        ratio, point.step(), total, point.meanLoss()));
        BackboneProvenance p = pruned.provenance();
        PruneOutcome outcome = p.pruneOutcome();
        out.printf(Locale.ROOT, "backbone %s: %s, %s of every channel group pruned (%s) from %s, held-out accuracy %.4f"
                + " (%.4f after the surgery%s, parent %.4f)%n", p.parameterHash().substring(0, 12), spec.model().label(),
                ratio, pruning.criterion().cliName(), outcome.parentParameterHash().substring(0, 12),
                p.heldOutAccuracy(), outcome.heldOutAccuracyBeforeRecovery(),
                outcome.bnReestimation() == null ? "" : String.format(Locale.ROOT,
                        ", %.4f after batch-norm re-estimation", outcome.bnReestimation().heldOutAccuracy()),
                outcome.parentHeldOutAccuracy());
        return new Backbones.Selected(pruned.network(), p.inputNormalisation());
    }

    /**
     * {@code ratio} of {@code parent} pruned with the default criterion, importance batches,
     * batch-norm re-estimation and recovery.
     */
    public static Pruning defaults(PretrainSpec parent, double ratio) {
        return new Pruning(parent, ratio, Pruning.DEFAULT_CRITERION,
                Pruning.DEFAULT_CRITERION == PruneCriterion.TAYLOR ? Pruning.DEFAULT_IMPORTANCE_BATCHES : 0,
                Pruning.DEFAULT_RECOVERY_EPOCHS, Pruning.DEFAULT_RECOVERY_LEARNING_RATE, Pruning.DEFAULT_BN_BATCHES);
    }

    /**
     * The pruned backbone of {@code pruning} from {@code store}: the stored one, or one
     * {@linkplain #make made} from {@code parent} now and stored. Pruning the same parent with
     * the same settings twice finds the first one.
     */
    public static BackboneCheckpoint getOrMake(BackboneStore store, BackboneCheckpoint parent, Pruning pruning,
            int threads, Pretrainer.Progress progress) throws IOException {
        return store.getOrMake(PretrainSpec.pruned(pruning),
                () -> make(parent, pruning, store.sourceImages(pruning.parent().dataset()), threads, progress));
    }
}
