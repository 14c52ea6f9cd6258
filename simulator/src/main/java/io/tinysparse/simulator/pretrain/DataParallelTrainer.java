package io.tinysparse.simulator.pretrain;

import io.tinysparse.simulator.engine.BatchNormParameters;
import io.tinysparse.simulator.engine.GradientRequest;
import io.tinysparse.simulator.engine.GradientSink;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.kernels.BatchNorm;
import io.tinysparse.simulator.model.LayerTable;

/**
 * Dense training steps of an unfolded network (every parameter, batch norm with batch
 * statistics), data-parallel: each mini-batch is split into a fixed number of shards, each shard
 * runs forward and backward on its own {@link NetworkExecutor}, and a team of threads shares
 * the shards out.
 *
 * <p><b>Bit-identical for any thread count.</b> Everything that combines shards does it in
 * shard order: per-channel batch-norm moments and backward sums (double), the weight gradients
 * (float) and the losses. The threads only decide who computes a shard, never how
 * results are added, so the network after a step depends on the shard count, not on the
 * thread count. With one shard a step computes exactly what the engine's single-executor step
 * ({@code SparseTrainer} with its dense policy) computes.
 *
 * <p><b>Batch norm is synchronised</b>, not per shard ("ghost" batch norm): each layer's batch
 * mean and variance are the whole batch's (each shard's sum and squared deviations from its own
 * mean are combined, {@link BatchNorm#combineMoments}, before any shard normalises), and so are
 * the two per-channel sums of its backward pass. The shard count therefore changes only the
 * rounding, not what is trained: the same statistics as one executor on the whole batch, and the
 * running statistics updated once per step from them (PyTorch's rule, see
 * {@link NetworkExecutor}). The price is two waits per convolution per step (one forward, one
 * backward), small next to the convolutions when the threads have cores to run on.
 *
 * <p>Each shard's executor, gradient buffers and partial sums are allocated once and only ever
 * touched by the thread that owns the shard (shards are dealt out in contiguous blocks); the
 * reduced gradients are handed to the {@link GradientSink} (an optimiser) on the calling thread
 * after the step, so the parameters do not change while any shard still reads them. Steady
 * steps allocate nothing in the training arithmetic. Not thread-safe itself: one caller.
 */
public final class DataParallelTrainer implements AutoCloseable {
    /** Fills one shard: images into {@code input} from 0, labels into {@code labels} from 0. */
    @FunctionalInterface
    public interface ShardLoader {
        /** Loads samples {@code [first, first + count)} of the current batch. */
        void load(int first, int count, float[] input, int[] labels);
    }

    private final Network network;
    private final LayerTable layers;
    private final int convCount;
    private final int batch;
    private final int[] shardFirst;
    private final int[] shardSize;
    private final ThreadTeam team;
    private final int[] ownedFrom;
    private final int[] ownedTo;
    private final GradientRequest request;
    private final NetworkExecutor[] executors;
    private final ShardGradients[] gradients;
    private final int[][] labels;
    /** Per layer parity, per shard: the shard's batch-norm moments (sums, squared deviations). */
    private final double[][][] valueSums;
    private final double[][][] squareSums;
    private final long[][] shardValues;
    private final double[][][] gradientSums;
    private final double[][][] gradientXhatSums;
    private final double[] shardLoss;
    /** Per member: the whole batch's statistics and backward sums of the current layer. */
    private final double[][] mean;
    private final double[][] squares;
    private final double[][] invStd;
    private final double[][] totalG;
    private final double[][] totalGx;
    /** Member 0's: the batch norms' shift and scale gradients of the step, per layer. */
    private final float[][] betaGradient;
    private final float[][] gammaGradient;
    private final long[] valuesPerChannel;
    private final int[] allInputs;
    private ShardLoader loader;

    /**
     * Steps of {@code batch} samples in {@code shards} shards over {@code threads} threads (at
     * most one per shard: extra threads would have nothing to do).
     *
     * @throws IllegalArgumentException if the network is folded, or {@code shards} is not in
     *     {@code [1, batch]}, or {@code threads < 1}
     */
    public DataParallelTrainer(Network network, int batch, int shards, int threads) {
        if (network.isFolded()) {
            throw new IllegalArgumentException("data-parallel training needs an unfolded network (batch norm)");
        }
        if (shards < 1 || shards > batch) {
            throw new IllegalArgumentException("shards must be in [1, " + batch + "], got " + shards);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.network = network;
        this.layers = network.layers();
        this.convCount = layers.convCount();
        this.batch = batch;
        shardFirst = new int[shards];
        shardSize = new int[shards];
        for (int s = 0, first = 0; s < shards; s++) {
            shardSize[s] = batch / shards + (s < batch % shards ? 1 : 0);
            shardFirst[s] = first;
            first += shardSize[s];
        }
        int members = Math.min(threads, shards);
        ownedFrom = new int[members];
        ownedTo = new int[members];
        for (int m = 0; m < members; m++) {
            ownedFrom[m] = (int) ((long) m * shards / members);
            ownedTo[m] = (int) ((long) (m + 1) * shards / members);
        }
        int maxChannels = 0;
        valuesPerChannel = new long[convCount];
        for (int i = 0; i < convCount; i++) {
            maxChannels = Math.max(maxChannels, layers.conv(i).outChannels());
            valuesPerChannel[i] = (long) batch * layers.conv(i).outHeight() * layers.conv(i).outWidth();
        }
        request = GradientRequest.dense(layers);
        executors = new NetworkExecutor[shards];
        gradients = new ShardGradients[shards];
        labels = new int[shards][];
        valueSums = new double[2][shards][maxChannels];
        squareSums = new double[2][shards][maxChannels];
        shardValues = new long[convCount][shards];
        for (int i = 0; i < convCount; i++) {
            for (int s = 0; s < shards; s++) {
                shardValues[i][s] = (long) shardSize[s] * layers.conv(i).outHeight() * layers.conv(i).outWidth();
            }
        }
        gradientSums = new double[2][shards][maxChannels];
        gradientXhatSums = new double[2][shards][maxChannels];
        shardLoss = new double[shards];
        for (int s = 0; s < shards; s++) {
            executors[s] = new NetworkExecutor(network, shardSize[s]);
            gradients[s] = new ShardGradients(network);
            labels[s] = new int[shardSize[s]];
        }
        mean = new double[members][maxChannels];
        squares = new double[members][maxChannels];
        invStd = new double[members][maxChannels];
        totalG = new double[members][maxChannels];
        totalGx = new double[members][maxChannels];
        betaGradient = new float[convCount][];
        gammaGradient = new float[convCount][];
        for (int i = 0; i < convCount; i++) {
            betaGradient[i] = new float[layers.conv(i).outChannels()];
            gammaGradient[i] = new float[layers.conv(i).outChannels()];
        }
        int maxInputs = 0;
        for (int i = 0; i < convCount; i++) {
            maxInputs = Math.max(maxInputs, GradientRequest.selectableChannels(layers.conv(i)));
        }
        allInputs = new int[maxInputs];
        for (int c = 0; c < maxInputs; c++) {
            allInputs[c] = c;
        }
        team = new ThreadTeam(members, "pretrain");
    }

    /** Threads actually used ({@code min(threads, shards)}). */
    public int threads() {
        return team.size();
    }

    /** Shards per batch. */
    int shards() {
        return executors.length;
    }

    /**
     * One step: loads the batch shard by shard with {@code load} (on the shards' threads),
     * runs forward and backward, updates the batch norms' running statistics, and hands the
     * batch's gradients, summed over the shards in shard order, to {@code sink} (on this
     * thread, once per parameter tensor). Returns the batch's mean loss (before the update).
     */
    public double step(ShardLoader load, GradientSink sink) {
        this.loader = load;
        team.run(this::stepShards);
        deliver(sink);
        double loss = shardLoss[0];
        for (int s = 1; s < shardLoss.length; s++) {
            loss += shardLoss[s];
        }
        return loss;
    }

    /** What member {@code m} does in a step: its shards, in lockstep with the others at each batch-norm sum. */
    private void stepShards(int m) {
        int from = ownedFrom[m];
        int to = ownedTo[m];
        for (int s = from; s < to; s++) {
            loader.load(shardFirst[s], shardSize[s], executors[s].input(0), labels[s]);
        }
        double[] mu = mean[m];
        double[] sq = squares[m];
        double[] inv = invStd[m];
        for (int i = 0; i < convCount; i++) {
            int channels = layers.conv(i).outChannels();
            long count = valuesPerChannel[i];
            // alternate buffers: a fast member writes layer i+1's moments while a slow one still reads layer i's
            double[][] sums = valueSums[i & 1];
            double[][] deviations = squareSums[i & 1];
            for (int s = from; s < to; s++) {
                executors[s].convolveAndMoments(i, shardSize[s], sums[s], deviations[s]);
            }
            team.sync();
            BatchNorm.combineMoments(sums, deviations, shardValues[i], channels, mu, sq);
            for (int c = 0; c < channels; c++) {
                inv[c] = BatchNorm.inverseStd(sq[c], count, network.batchNormEpsilon());
            }
            if (m == 0) {
                BatchNormParameters bn = network.batchNorm(i);
                BatchNorm.updateRunning(bn.runningMean(), bn.runningVar(), channels,
                        NetworkExecutor.BATCH_NORM_MOMENTUM, mu, sq, count);
            }
            for (int s = from; s < to; s++) {
                executors[s].normalise(i, shardSize[s], mu, inv);
            }
        }
        for (int s = from; s < to; s++) {
            executors[s].classify(shardSize[s]);
            shardLoss[s] = executors[s].loss(labels[s], 0, batch);
            executors[s].backwardHead(request, gradients[s]);
        }
        double[] g = totalG[m];
        double[] gx = totalGx[m];
        for (int i = convCount - 1; i >= 0; i--) {
            // alternate buffers: a fast member writes layer i-1's sums while a slow one still reads layer i's
            double[][] gs = gradientSums[i & 1];
            double[][] gxs = gradientXhatSums[i & 1];
            for (int s = from; s < to; s++) {
                executors[s].gradientSums(i, gs[s], gxs[s]);
            }
            team.sync();
            int channels = layers.conv(i).outChannels();
            sumShards(gs, channels, g);
            sumShards(gxs, channels, gx);
            if (m == 0) {
                for (int c = 0; c < channels; c++) {
                    betaGradient[i][c] = (float) g[c];
                    gammaGradient[i][c] = (float) gx[c];
                }
            }
            for (int s = from; s < to; s++) {
                executors[s].backwardLayer(i, i > 0, g, gx, valuesPerChannel[i], request, gradients[s]);
            }
        }
    }

    /** {@code total[c] = parts[0][c] + parts[1][c] + ...}, in shard order. */
    private static void sumShards(double[][] parts, int channels, double[] total) {
        System.arraycopy(parts[0], 0, total, 0, channels);
        for (int s = 1; s < parts.length; s++) {
            double[] p = parts[s];
            for (int c = 0; c < channels; c++) {
                total[c] += p[c];
            }
        }
    }

    /** Sums the shards' gradients into shard 0's buffers, in shard order, and hands them to {@code sink}. */
    private void deliver(GradientSink sink) {
        ShardGradients total = gradients[0];
        for (int s = 1; s < gradients.length; s++) {
            total.add(gradients[s]);
        }
        sink.classifier(total.classifierWeights, total.classifierBias);
        for (int i = convCount - 1; i >= 0; i--) {
            sink.convWeights(i, allInputs, GradientRequest.selectableChannels(layers.conv(i)), total.conv[i]);
            sink.batchNorm(i, gammaGradient[i], betaGradient[i]);
        }
    }

    /**
     * Top-1 accuracy on {@code count} samples with the running batch-norm statistics
     * (inference), the threads sharing the batches; {@code load} fills each batch like a shard.
     */
    public double accuracy(int count, ShardLoader load) {
        int evalBatch = shardSize[shardSize.length - 1]; // the smallest shard: every executor takes it
        int batches = (count + evalBatch - 1) / evalBatch;
        int[] correct = new int[team.size()];
        team.run(m -> {
            NetworkExecutor executor = executors[ownedFrom[m]];
            int[] batchLabels = labels[ownedFrom[m]];
            for (int b = m; b < batches; b += team.size()) {
                int first = b * evalBatch;
                int n = Math.min(evalBatch, count - first);
                load.load(first, n, executor.input(0), batchLabels);
                executor.forward(0, n, false);
                correct[m] += executor.correct(batchLabels, 0);
            }
        });
        long all = 0;
        for (int c : correct) {
            all += c;
        }
        return (double) all / count;
    }

    /** Stops the threads. */
    @Override
    public void close() {
        team.close();
    }

    /** One shard's gradients of every parameter tensor, copied out of its executor's scratch. */
    private static final class ShardGradients implements GradientSink {
        final float[][] conv;
        final float[] classifierWeights;
        final float[] classifierBias;

        ShardGradients(Network network) {
            conv = new float[network.convCount()][];
            for (int i = 0; i < conv.length; i++) {
                conv[i] = new float[network.weights(i).length];
            }
            classifierWeights = new float[network.classifierWeights().length];
            classifierBias = new float[network.classifierBias().length];
        }

        void add(ShardGradients other) {
            for (int i = 0; i < conv.length; i++) {
                addInto(conv[i], other.conv[i]);
            }
            addInto(classifierWeights, other.classifierWeights);
            addInto(classifierBias, other.classifierBias);
        }

        private static void addInto(float[] total, float[] part) {
            for (int e = 0; e < total.length; e++) {
                total[e] += part[e];
            }
        }

        @Override
        public void convWeights(int layer, int[] channels, int count, float[] gradient) {
            // a dense request: every channel, in order, so the gradient is the whole tensor
            System.arraycopy(gradient, 0, conv[layer], 0, conv[layer].length);
        }

        @Override
        public void convBias(int layer, float[] gradient) {
            throw new IllegalStateException("a folded network has no place in data-parallel pretraining");
        }

        @Override
        public void batchNorm(int layer, float[] gammaGradient, float[] betaGradient) {
            throw new IllegalStateException("batch-norm gradients are the whole batch's, not a shard's");
        }

        @Override
        public void classifier(float[] weightGradient, float[] biasGradient) {
            System.arraycopy(weightGradient, 0, classifierWeights, 0, classifierWeights.length);
            System.arraycopy(biasGradient, 0, classifierBias, 0, classifierBias.length);
        }
    }
}
