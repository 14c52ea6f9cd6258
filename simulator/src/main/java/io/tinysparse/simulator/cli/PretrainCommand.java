package io.tinysparse.simulator.cli;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;
import io.tinysparse.datasets.catalog.DatasetCatalog;
import io.tinysparse.datasets.catalog.Split;
import io.tinysparse.datasets.cli.DataDirOption;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.pretrain.BackboneCheckpoint;
import io.tinysparse.simulator.pretrain.BackboneProvenance;
import io.tinysparse.simulator.pretrain.BackboneStore;
import io.tinysparse.simulator.pretrain.PretrainSpec;
import io.tinysparse.simulator.pretrain.Pretrainer;
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
 * {@code tinysparse pretrain}: trains a backbone densely on a source dataset (batch norm
 * trainable, SGD with momentum, cosine schedule with warm-up) and saves it as a
 * {@link BackboneCheckpoint} with its provenance. Without {@code --out} the backbone goes to
 * the content-addressed {@link BackboneStore} under {@code $TINYSPARSE_HOME/backbones}, and a
 * spec pretrained before is reused, not retrained. The defaults are the default transfer task's
 * source ({@link PretrainSpec#defaults()}).
 */
@Command(
        name = "pretrain",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Pretrain a backbone densely on a source dataset and save it with its provenance.")
public final class PretrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME|FILE", defaultValue = PretrainSpec.DEFAULT_MODEL,
            description = "Model preset (mbv2-w0.35, mbv2-w1.0, mbv2-320kb, mcunet-5fps, proxyless-w0.3) or an "
                    + "OFA/ProxylessNAS network config JSON file (default: ${DEFAULT-VALUE}); its class count becomes "
                    + "the dataset's.")
    private String model;

    @Option(names = "--resolution", paramLabel = "R", defaultValue = "" + PretrainSpec.DEFAULT_RESOLUTION,
            description = "Input resolution in pixels; images are resized bilinearly (default: ${DEFAULT-VALUE}).")
    private int resolution;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = PretrainSpec.DEFAULT_DATASET,
            description = "Source dataset; its training split is used (default: ${DEFAULT-VALUE}).")
    private String dataset;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "" + PretrainSpec.DEFAULT_SAMPLES,
            description = "Training images, a class-stratified subset (default: ${DEFAULT-VALUE}).")
    private int samples;

    @Option(names = "--held-out", paramLabel = "N", defaultValue = "" + PretrainSpec.DEFAULT_HELD_OUT,
            description = "Held-out images for the reported accuracy, disjoint from the training ones "
                    + "(default: ${DEFAULT-VALUE}).")
    private int heldOut;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "" + PretrainSpec.DEFAULT_EPOCHS,
            description = "Passes over the training images (default: ${DEFAULT-VALUE}).")
    private double epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "" + PretrainSpec.DEFAULT_BATCH,
            description = "Images per step, >= 2 for batch statistics (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "" + PretrainSpec.DEFAULT_LEARNING_RATE,
            description = "Peak learning rate of the cosine schedule (default: ${DEFAULT-VALUE}).")
    private double learningRate;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "" + PretrainSpec.DEFAULT_MOMENTUM,
            description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    private double momentum;

    @Option(names = "--weight-decay", paramLabel = "X", defaultValue = "" + PretrainSpec.DEFAULT_WEIGHT_DECAY,
            description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    private double weightDecay;

    @Option(names = "--warmup", paramLabel = "F", defaultValue = "" + PretrainSpec.DEFAULT_WARMUP_FRACTION,
            description = "Fraction of the steps in linear warm-up (default: ${DEFAULT-VALUE}).")
    private double warmup;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + PretrainSpec.DEFAULT_SEED,
            description = "Seed of initialisation, subsets and data order (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "" + PretrainSpec.DEFAULT_SHARDS,
            description = "Parts each batch is split into for data-parallel steps; part of the spec (the backbone "
                    + "depends on it, not on --threads); 1 is the single-threaded pretraining of earlier versions "
                    + "(default: ${DEFAULT-VALUE}).")
    private int shards;

    @Mixin
    private TrainingThreadsOption threadCount;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Network file to write (provenance at FILE.json); always pretrains. Default: the "
                    + "backbone store under $TINYSPARSE_HOME/backbones, reusing a backbone of the same spec.")
    private Path out;

    @Mixin
    private DataDirOption dataDir;

    @Override
    public Integer call() throws IOException {
        int threads = threadCount.count();
        ModelSpec base = ModelSpec.named(model);
        if (resolution < 8 || resolution > 4096) {
            throw new InvalidInputException("--resolution must be in [8, 4096], got " + resolution);
        }
        int classes = DatasetCatalog.describe(dataset).classNames().size();
        PretrainSpec pretrain = new PretrainSpec(base.withResolution(resolution).withClasses(classes), dataset, samples,
                heldOut, epochs, batch, learningRate, momentum, weightDecay, warmup, seed, shards);
        if (out != null && Files.isDirectory(out)) {
            throw new InvalidInputException("--out " + out + " is a directory; give a file name");
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "pretraining %s on %s: %d images, %s epochs, %d steps of batch %d in %d shards, lr %s%n",
                pretrain.model().label(), dataset, samples, epochs, pretrain.iterations(), batch, shards, learningRate);
        o.flush();
        long t0 = System.nanoTime();
        Pretrainer.Progress progress = (p, total) -> {
            o.printf(Locale.ROOT, "  step %6d/%d  loss %.4f  (%.0f s)%n", p.step(), total, p.meanLoss(),
                    (System.nanoTime() - t0) / 1e9);
            o.flush();
        };
        BackboneCheckpoint checkpoint;
        Path file;
        boolean existed = false;
        if (out == null) {
            BackboneStore store = BackboneStore.atHome(dataDir.resolve());
            file = store.networkFile(pretrain);
            existed = store.find(pretrain).isPresent();
            checkpoint = store.getOrPretrain(pretrain, threads, progress);
        } else {
            ImageDataset images = DatasetCatalog.local(dataDir.resolve()).read(DatasetCatalog.describe(dataset),
                    Split.TRAIN);
            checkpoint = BackboneCheckpoint.of(pretrain, Pretrainer.run(pretrain, images, threads, progress));
            checkpoint.save(out);
            file = out;
        }
        BackboneProvenance p = checkpoint.provenance();
        o.printf(Locale.ROOT, "held-out accuracy %.4f on %d %s images (final train loss %.4f)%n", p.heldOutAccuracy(),
                pretrain.heldOut(), dataset, p.finalTrainLoss());
        if (existed) {
            o.printf(Locale.ROOT, "reused the stored backbone of this spec, pretrained %s in %.1f s (no training now)%n",
                    p.created(), p.trainSeconds());
        } else {
            o.printf(Locale.ROOT, "training %.1f s on %d threads, total %.1f s%n", p.trainSeconds(), p.trainThreads(),
                    (System.nanoTime() - t0) / 1e9);
        }
        o.printf(Locale.ROOT, "backbone %s (parameters %s)%n", file, p.parameterHash().substring(0, 16));
        o.printf(Locale.ROOT, "provenance %s%n", BackboneCheckpoint.provenanceFile(file));
        o.flush();
        return CommandRunner.OK;
    }

    public static void main(String[] args) {
        CommandRunner.main(new PretrainCommand(), args);
    }
}
