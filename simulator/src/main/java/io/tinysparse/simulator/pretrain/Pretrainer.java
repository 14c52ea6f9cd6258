package io.tinysparse.simulator.pretrain;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.random.Seeds;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.sampling.StratifiedSampler;
import io.tinysparse.datasets.transform.ResizeMode;
import io.tinysparse.datasets.transform.TensorTransform;
import io.tinysparse.datasets.transform.TransformSpec;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.train.CosineSchedule;
import io.tinysparse.simulator.engine.train.FineTuneRun;
import io.tinysparse.simulator.engine.train.RunStreams;
import io.tinysparse.simulator.engine.train.SgdOptimizer;
import io.tinysparse.simulator.engine.train.TrainingConfig;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dense pretraining of a backbone on a source dataset: a freshly initialised, <em>unfolded</em>
 * network (batch norm trained with batch statistics, running statistics tracked) trained on
 * every parameter by SGD with momentum under a cosine schedule with linear warm-up, with the
 * engine's executor and optimiser (no separate training arithmetic).
 *
 * <p>Each step is data-parallel ({@link DataParallelTrainer}): the mini-batch is split into the
 * spec's fixed number of {@link PretrainSpec#shards() shards}, threads share the shards out, and
 * everything that combines shards (batch-norm statistics, synchronised over the whole batch;
 * gradients; losses) is summed in shard order, so the result does not depend on the thread count.
 * With one shard it is the single-threaded pretraining of {@link PretrainSpec#PROCEDURE_VERSION}
 * 1 bit for bit. The held-out evaluation is shared out too.
 *
 * <p>Mini-batches are made on the fly from the uint8 images with the datasets'
 * {@link TensorTransform}: bilinear resize to the model resolution, grey repeated to three
 * channels, normalised with the training subset's pixel mean and std. Only one batch of float
 * tensors exists at a time, so the image count is not limited by memory at 128 x 128.
 *
 * <p>Deterministic: the same spec and dataset give the same network bit for bit, on any number
 * of threads (the initialisation, the subsets and the data order each draw from their own
 * stream of the seed).
 */
public final class Pretrainer {
    /** Seed stream of the initial weights. */
    static final long INIT_STREAM = 2;
    /** Seed stream of the training and held-out subsets. */
    static final long SUBSET_STREAM = 3;
    /** Windows the loss curve is reported in (fewer when there are fewer steps). */
    static final int LOSS_WINDOWS = 20;

    /** Receives the loss curve as it is made, for progress output. */
    @FunctionalInterface
    public interface Progress {
        /** Called after each loss window; {@code total} is the number of steps of the run. */
        void window(PretrainResult.LossPoint point, long total);

        /** Reports nothing. */
        Progress NONE = (p, t) -> { };
    }

    private Pretrainer() {}

    /** The default thread count: the processors available to this JVM. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** {@link #run(PretrainSpec, ImageDataset, int, Progress)} on {@link #defaultThreads()} threads. */
    public static PretrainResult run(PretrainSpec spec, ImageDataset source, Progress progress) {
        return run(spec, source, defaultThreads(), progress);
    }

    /**
     * Pretrains on {@code source} (the training split of {@code spec.dataset()}), each step's
     * {@link PretrainSpec#shards() shards} shared out over {@code threads} threads (at most one
     * per shard). The network is the same bit for bit whatever {@code threads} is.
     *
     * @throws InvalidInputException if {@code threads < 1}, or the dataset's class count differs
     *     from the model's, or it has fewer images than {@code samples + heldOut}, or a class is
     *     too small to split
     */
    public static PretrainResult run(PretrainSpec spec, ImageDataset source, int threads, Progress progress) {
        if (threads < 1) {
            throw new InvalidInputException("threads must be >= 1, got " + threads);
        }
        SourceSplit split = split(spec, source);
        Network network = Network.initialize(spec.model(), Seeds.stream(spec.seed(), INIT_STREAM));
        return train(network, split, spec, spec.iterations(), spec.warmupIterations(), spec.learningRate(), threads,
                progress);
    }

    /**
     * The images a spec trains and reports on: disjoint, class-stratified subsets of the source's
     * training split, and the transform made from the training subset's statistics.
     *
     * @param train     the training images
     * @param heldOut   the held-out images (for the accuracy report only)
     * @param transform resize, channels and normalisation, as a spec (stored in provenance)
     */
    public record SourceSplit(ImageDataset train, ImageDataset heldOut, TransformSpec transform) {}

    /**
     * The {@link SourceSplit} of {@code spec} on {@code source} (the training split of
     * {@code spec.dataset()}): the same images for every spec with the same dataset, counts and seed.
     *
     * @throws InvalidInputException if the dataset's class count differs from the model's, or it
     *     has fewer images than {@code samples + heldOut}, or a class is too small to split
     */
    public static SourceSplit split(PretrainSpec spec, ImageDataset source) {
        ModelSpec model = spec.model();
        if (source.classCount() != model.numClasses()) {
            throw new InvalidInputException(source.name() + " has " + source.classCount() + " classes but the model "
                    + model.label() + " has " + model.numClasses());
        }
        if ((long) spec.samples() + spec.heldOut() > source.size()) {
            throw new InvalidInputException("samples " + spec.samples() + " + held-out " + spec.heldOut()
                    + " exceed the " + source.size() + " images of " + source.name());
        }
        int[][] subsets = StratifiedSampler.disjoint(source, new int[] {spec.samples(), spec.heldOut()},
                Seeds.stream(spec.seed(), SUBSET_STREAM));
        ImageDataset train = source.subset(subsets[0], source.name() + " (pretraining)");
        ImageDataset heldOut = source.subset(subsets[1], source.name() + " (held out)");
        return new SourceSplit(train, heldOut, transformFor(train, model.resolution()));
    }

    /**
     * Trains every parameter of the unfolded {@code network} in place for {@code iterations} steps
     * on {@code split}'s training images (batch, shards, momentum, weight decay and data order of
     * {@code spec}; cosine schedule peaking at {@code learningRate} after {@code warmup} linear
     * steps), then measures its held-out accuracy. The pretraining of {@link #run}, and the
     * recovery fine-tuning of a pruned backbone.
     *
     * @throws InvalidInputException if {@code threads < 1} or the loss diverges
     */
    public static PretrainResult train(Network network, SourceSplit split, PretrainSpec spec, long iterations,
            long warmup, double learningRate, int threads, Progress progress) {
        if (threads < 1) {
            throw new InvalidInputException("threads must be >= 1, got " + threads);
        }
        ImageDataset train = split.train();
        ImageDataset heldOut = split.heldOut();
        TransformSpec transformSpec = split.transform();
        TensorTransform transform = TensorTransform.compile(train.shape(), transformSpec);
        TrainingConfig config = new TrainingConfig(iterations, spec.batchSize(), learningRate, spec.momentum(),
                spec.weightDecay(), warmup, 0, spec.batchSize(), spec.seed());
        CosineSchedule schedule = config.schedule();
        SgdOptimizer optimizer = new SgdOptimizer(network, spec.momentum(), spec.weightDecay());

        int batch = spec.batchSize();
        int[] order = new int[train.size()];
        int[] position = {order.length};
        SplitMix64 random = RunStreams.dataOrder(spec.seed());
        // Shards read the batch at order[position[0] + first ...]; only this thread moves it, between steps.
        DataParallelTrainer.ShardLoader trainingShard = (first, count, input, labels) -> {
            transform.apply(train, order, position[0] + first, count, input, 0);
            train.copyLabels(order, position[0] + first, count, labels, 0);
        };
        long window = Math.max(1, (iterations + LOSS_WINDOWS - 1) / LOSS_WINDOWS);
        List<PretrainResult.LossPoint> curve = new ArrayList<>();
        double windowLoss = 0;
        long windowSteps = 0;
        try (DataParallelTrainer trainer = new DataParallelTrainer(network, batch, spec.shards(), threads)) {
            long t0 = System.nanoTime();
            for (long t = 0; t < iterations; t++) {
                if (position[0] + batch > order.length) {
                    FineTuneRun.shuffle(order, random);
                    position[0] = 0;
                }
                optimizer.setLearningRate(schedule.rate(t));
                double loss = trainer.step(trainingShard, optimizer);
                position[0] += batch;
                if (!Double.isFinite(loss)) {
                    throw new InvalidInputException("training diverged at step " + (t + 1) + " (loss " + loss
                            + "): lower the learning rate " + learningRate);
                }
                windowLoss += loss;
                windowSteps++;
                if (windowSteps == window || t == iterations - 1) {
                    PretrainResult.LossPoint p = new PretrainResult.LossPoint(t + 1, windowSteps,
                            windowLoss / windowSteps);
                    curve.add(p);
                    progress.window(p, iterations);
                    windowLoss = 0;
                    windowSteps = 0;
                }
            }
            long t1 = System.nanoTime();
            double accuracy = heldOutAccuracy(trainer, heldOut, transform);
            long t2 = System.nanoTime();
            return new PretrainResult(network, curve, accuracy, iterations, transformSpec, t1 - t0, t2 - t1,
                    trainer.threads());
        }
    }

    /**
     * Top-1 accuracy of the unfolded {@code network} on {@code split}'s held-out images, with its
     * running batch-norm statistics, in batches of {@code spec}'s shard size on {@code threads}
     * threads (the network is not changed).
     */
    public static double heldOutAccuracy(Network network, SourceSplit split, PretrainSpec spec, int threads) {
        TensorTransform transform = TensorTransform.compile(split.train().shape(), split.transform());
        try (DataParallelTrainer trainer = new DataParallelTrainer(network, spec.batchSize(), spec.shards(), threads)) {
            return heldOutAccuracy(trainer, split.heldOut(), transform);
        }
    }

    private static double heldOutAccuracy(DataParallelTrainer trainer, ImageDataset heldOut,
            TensorTransform transform) {
        int[] all = new int[heldOut.size()];
        Arrays.setAll(all, i -> i);
        return trainer.accuracy(heldOut.size(), (first, count, input, labels) -> {
            transform.apply(heldOut, first, count, input, 0);
            heldOut.copyLabels(all, first, count, labels, 0);
        });
    }

    /**
     * Bilinear resize to {@code resolution}, three channels (grey repeated), normalised with
     * the per-channel pixel statistics of {@code images} (grey: the one channel's, repeated).
     */
    static TransformSpec transformFor(ImageDataset images, int resolution) {
        int channels = ModelSpec.IMAGE_CHANNELS;
        double[][] stats = images.channelStatistics();
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            int from = stats[0].length == 1 ? 0 : c;
            mean[c] = stats[0][from];
            // a constant channel has std 0; normalising by 1 keeps it finite
            std[c] = stats[1][from] > 0 ? stats[1][from] : 1.0;
        }
        if (images.shape().channels() != 1 && images.shape().channels() != channels) {
            throw new InvalidInputException(images.name() + " has " + images.shape().channels()
                    + " channels; the model needs 1 (repeated) or " + channels);
        }
        return new TransformSpec(resolution, resolution, ResizeMode.BILINEAR, channels, mean, std);
    }
}
