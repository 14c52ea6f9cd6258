package io.tinysparse.simulator.cli;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.core.text.PlainDecimal;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.prune.BackbonePruner;
import io.tinysparse.simulator.pretrain.BackboneCheckpoint;
import io.tinysparse.simulator.pretrain.BackboneProvenance;
import io.tinysparse.simulator.pretrain.BackboneStore;
import io.tinysparse.simulator.pretrain.Backbones;
import io.tinysparse.simulator.pretrain.PretrainSpec;
import io.tinysparse.simulator.pretrain.Pretrainer;
import io.tinysparse.simulator.pretrain.PruneCriterion;
import io.tinysparse.simulator.pretrain.PruneOutcome;
import io.tinysparse.simulator.pretrain.Pruning;
import io.tinysparse.datasets.cli.DataDirOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tinysparse prune}: removes a fraction of every channel dependency group of a pretrained
 * backbone (scored on its own source data), recovers it with a short fine-tuning on that source,
 * and stores the result in the {@link BackboneStore} as a backbone of its own (its spec holds the
 * pruned per-layer widths, its provenance the parent, ratio, criterion and recovery budget). The
 * same parent pruned with the same settings is found in the store, not pruned again.
 */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Prune whole channels of a pretrained backbone on its source data (dependency groups: "
                + "residual adds and depthwise convs), recover it by a short fine-tuning, and store it.")
public final class PruneCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--ratio", paramLabel = "R", required = true,
            description = "Fraction of every dependency group's channels to remove, in [0, 1); 0 prunes nothing "
                    + "(the backbone is its parent).")
    private double ratio;

    @Option(names = "--backbone", paramLabel = "FILE",
            description = "Backbone to prune, with its provenance at FILE.json (default: the stored default backbone, "
                    + "pretrained once if missing).")
    private Path backbone;

    @Option(names = "--criterion", paramLabel = "l2|taylor", defaultValue = "taylor",
            description = "Channel importance: first-order Taylor on source batches, or the L2 norm of the group's "
                    + "folded weights (default: ${DEFAULT-VALUE}).")
    private String criterion;

    @Option(names = "--importance-batches", paramLabel = "N", defaultValue = "" + Pruning.DEFAULT_IMPORTANCE_BATCHES,
            description = "Source batches the Taylor score averages over; not used by l2 (default: ${DEFAULT-VALUE}).")
    private int importanceBatches;

    @Option(names = "--bn-batches", paramLabel = "N", defaultValue = "" + Pruning.DEFAULT_BN_BATCHES,
            description = "Source batches the batch-norm running statistics are re-estimated on after the surgery "
                    + "and before the recovery (cumulative average of each batch's mean and variance); 0 re-estimates "
                    + "nothing (default: ${DEFAULT-VALUE}).")
    private int bnBatches;

    @Option(names = "--recovery-epochs", paramLabel = "E", defaultValue = "" + Pruning.DEFAULT_RECOVERY_EPOCHS,
            description = "Passes of recovery fine-tuning over the parent's training images, > 0 "
                    + "(default: ${DEFAULT-VALUE}).")
    private double recoveryEpochs;

    @Option(names = "--recovery-lr", paramLabel = "X", defaultValue = "" + Pruning.DEFAULT_RECOVERY_LEARNING_RATE,
            description = "Peak learning rate of the recovery's cosine schedule (default: ${DEFAULT-VALUE}).")
    private double recoveryLr;

    @Mixin
    private TrainingThreadsOption threadCount;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Network file to write (provenance at FILE.json); always prunes. Default: the backbone store "
                    + "under $TINYSPARSE_HOME/backbones, reusing a backbone pruned from the same parent with the same "
                    + "settings.")
    private Path out;

    @Mixin
    private DataDirOption dataDir;

    @Override
    public Integer call() throws IOException {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new InvalidInputException("--ratio must be in [0, 1), got " + ratio);
        }
        Pruning.requireBnBatches(bnBatches);
        int threads = threadCount.count();
        PruneCriterion c = PruneCriterion.parse(criterion);
        if (out != null) {
            OutputFileLocation.requireWritable("--out", out);
        }
        BackboneStore store = BackboneStore.atHome(dataDir.resolve());
        PretrainSpec parentSpec = backbone == null ? PretrainSpec.defaults() : parentSpec(backbone);
        PrintWriter o = spec.commandLine().getOut();
        if (ratio == 0) {
            o.printf(Locale.ROOT, "ratio 0 prunes nothing: the backbone is its parent %s%n",
                    backbone == null ? store.networkFile(parentSpec) : backbone);
            o.flush();
            return CommandRunner.OK;
        }
        Pruning pruning = new Pruning(parentSpec, ratio, c, c == PruneCriterion.TAYLOR ? importanceBatches : 0,
                recoveryEpochs, recoveryLr, bnBatches);
        PretrainSpec pruned = PretrainSpec.pruned(pruning); // checks that no group is left empty
        LayerTable before = parentSpec.model().layers();
        LayerTable after = pruned.model().layers();
        o.printf(Locale.ROOT, "pruning %s to %s: %s of every channel group by %s; %s%s%n",
                parentSpec.model().label(), pruned.model().label(), PlainDecimal.of(ratio), c.cliName(),
                bnBatches == 0 ? "" : "batch-norm statistics re-estimated on " + bnBatches + " batches; ",
                recovery(recoveryEpochs, pruning.recoveryIterations(), recoveryLr));
        o.flush();
        boolean existed = out == null && store.find(pruned).isPresent();
        long t0 = System.nanoTime();
        Pretrainer.Progress progress = (p, total) -> {
            o.printf(Locale.ROOT, "  recovery step %5d/%d  loss %.4f  (%.0f s)%n", p.step(), total, p.meanLoss(),
                    (System.nanoTime() - t0) / 1e9);
            o.flush();
        };
        BackboneCheckpoint parent = backbone == null ? store.getOrPretrain(parentSpec, threads, Pretrainer.Progress.NONE)
                : BackboneCheckpoint.load(backbone);
        BackboneCheckpoint made;
        Path file;
        if (out == null) {
            made = BackbonePruner.getOrMake(store, parent, pruning, threads, progress);
            file = store.networkFile(pruned);
        } else {
            made = BackbonePruner.make(parent, pruning, store.sourceImages(parentSpec.dataset()), threads, progress);
            made.save(out);
            file = out;
        }
        BackboneProvenance p = made.provenance();
        PruneOutcome outcome = p.pruneOutcome();
        o.printf(Locale.ROOT, "parameters %,d -> %,d, forward MACs %,d -> %,d%n", before.params(), after.params(),
                before.macs(), after.macs());
        PruneOutcome.BnReestimation bn = outcome.bnReestimation();
        o.printf(Locale.ROOT, "held-out accuracy on %d %s images: parent %.4f, after the surgery %.4f, %srecovered %.4f%n",
                parentSpec.heldOut(), parentSpec.dataset(), outcome.parentHeldOutAccuracy(),
                outcome.heldOutAccuracyBeforeRecovery(),
                bn == null ? "" : String.format(Locale.ROOT, "after batch-norm re-estimation %.4f, ", bn.heldOutAccuracy()),
                p.heldOutAccuracy());
        if (existed) {
            o.printf(Locale.ROOT, "reused the stored pruned backbone, made %s (no pruning now)%n", p.created());
        } else {
            o.printf(Locale.ROOT, "importance %.1f s, %srecovery %.1f s on %d threads, total %.1f s%n",
                    outcome.importanceSeconds(),
                    bn == null ? "" : String.format(Locale.ROOT, "batch-norm re-estimation %.1f s (1 thread), ",
                            bn.seconds()),
                    p.trainSeconds(), p.trainThreads(), (System.nanoTime() - t0) / 1e9);
        }
        o.printf(Locale.ROOT, "backbone %s (parameters %s)%n", file, p.parameterHash().substring(0, 16));
        o.printf(Locale.ROOT, "provenance %s%n", BackboneCheckpoint.provenanceFile(file));
        o.flush();
        return CommandRunner.OK;
    }

    /** The recovery budget for the console: {@code recovery 0.0001 epochs (1 step) at lr 0.01}. */
    static String recovery(double epochs, long steps, double learningRate) {
        return "recovery " + PlainDecimal.of(epochs) + (epochs == 1 ? " epoch (" : " epochs (") + steps
                + (steps == 1 ? " step" : " steps") + ") at lr " + PlainDecimal.of(learningRate);
    }

    /** The pretraining spec of the backbone in {@code file}, from its provenance (the source data pruning needs). */
    private static PretrainSpec parentSpec(Path file) throws IOException {
        Network network = Backbones.load(file); // names a file that is not a network
        Path provenance = BackboneCheckpoint.provenanceFile(file);
        if (!Files.isRegularFile(provenance)) {
            throw new InvalidInputException("backbone " + file + " has no pretraining provenance (" + provenance
                    + "): its source data is unknown, so it cannot be pruned");
        }
        PretrainSpec s = BackboneCheckpoint.readProvenance(provenance).spec();
        if (!s.model().equals(network.spec())) {
            throw new InvalidInputException("backbone " + file + " is a " + network.spec().label()
                    + " but its provenance records " + s.model().label());
        }
        return s;
    }

    public static void main(String[] args) {
        CommandRunner.main(new PruneCommand(), args);
    }
}
