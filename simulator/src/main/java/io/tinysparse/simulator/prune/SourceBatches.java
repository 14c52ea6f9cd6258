package io.tinysparse.simulator.prune;

import io.tinysparse.core.random.Seeds;
import io.tinysparse.core.random.SplitMix64;
import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.transform.TensorTransform;
import io.tinysparse.simulator.engine.train.FineTuneRun;
import io.tinysparse.simulator.pretrain.DataParallelTrainer;
import io.tinysparse.simulator.pretrain.Pretrainer;

/**
 * Successive mini-batches of a pruning's source training images, transformed as in pretraining,
 * in an order drawn from one seed stream: a shuffled pass over the images, reshuffled whenever
 * the next batch would run past its end (the tail of a pass is skipped, as pretraining does).
 * The same split, batch size, seed and stream give the same batches. Not thread-safe to
 * {@link #advance}; {@link #load} may run on several threads between two advances.
 */
final class SourceBatches implements DataParallelTrainer.ShardLoader {
    private final ImageDataset train;
    private final TensorTransform transform;
    private final int batch;
    private final int[] order;
    private final SplitMix64 random;
    private int position;

    /** Batches of {@code batch} images of {@code split}'s training images, ordered by stream {@code stream} of {@code seed}. */
    SourceBatches(Pretrainer.SourceSplit split, int batch, long seed, long stream) {
        this.train = split.train();
        this.transform = TensorTransform.compile(train.shape(), split.transform());
        this.batch = batch;
        this.order = new int[train.size()];
        this.random = new SplitMix64(Seeds.stream(seed, stream), SplitMix64.IntDraw.SPLITTABLE_RANDOM);
        this.position = order.length; // past the end: the first advance shuffles
    }

    /** Moves to the next batch (the first call moves to the first one). */
    void advance() {
        position += batch;
        if (position + batch > order.length) {
            FineTuneRun.shuffle(order, random);
            position = 0;
        }
    }

    /** Loads images {@code [first, first + count)} of the current batch and their labels. */
    @Override
    public void load(int first, int count, float[] input, int[] labels) {
        transform.apply(train, order, position + first, count, input, 0);
        train.copyLabels(order, position + first, count, labels, 0);
    }

    /** Loads the current batch's images (all {@code batch} of them) into {@code input} from 0. */
    void loadImages(float[] input) {
        transform.apply(train, order, position, batch, input, 0);
    }
}
