package io.tinysparse.simulator.engine;

import io.tinysparse.simulator.engine.kernels.BatchNorm;
import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.engine.kernels.FullyConnected;
import io.tinysparse.simulator.engine.kernels.GlobalAveragePool;
import io.tinysparse.simulator.engine.kernels.Relu6;
import io.tinysparse.simulator.engine.kernels.SoftmaxCrossEntropy;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link Network} forward and backward for batches of up to {@code maxBatch} samples.
 * Kernels and their scratch are allocated in the constructor; activation and gradient buffers
 * the first time a layer runs (and again only if a later batch is larger), so that a run from a
 * frozen prefix's cut never holds the prefix's activations and a training step in the steady
 * state allocates nothing.
 *
 * <p>Activations: {@link #input(int) input(i)} is the tensor entering convolution {@code i}
 * ({@code input(0)} is the image batch, {@code input(convCount)} the last convolution's
 * output); a residual add is part of the layer that ends the block. To run from a frozen
 * prefix, write the cut activations into {@code input(cut)} and call {@link #forward} from
 * {@code cut}.
 *
 * <p>A folded network runs {@code clamp(conv + bias [+ skip])}; an unfolded one runs
 * {@code conv -> batch norm [+ skip] -> ReLU6}, with batch statistics when training (and the
 * running statistics updated) and running statistics otherwise; with
 * {@link #setRunningStatistics} on, training uses (and leaves alone) the running statistics too,
 * and back-propagates through them as constants.
 *
 * <p>The backward pass ({@link #backward}) computes exactly the gradients a
 * {@link GradientRequest} asks for: it stops at the request's earliest layer, computes weight
 * gradients only for the requested channels, and hands each gradient to a {@link GradientSink}
 * as soon as it exists, after the layer's input gradient (which needs the old weights) has been
 * computed. Not thread-safe: one executor per thread.
 *
 * <p>One batch can also run as several shards, one executor each, with batch norm normalising
 * by the whole batch's statistics (synchronised batch norm): a driver calls the training pass
 * in pieces ({@link #convolveAndMoments}, {@link #normalise},
 * {@link #classify}, {@link #loss(int[], int, int)}, {@link #backwardHead},
 * {@link #gradientSums}, {@link #backwardLayer}) and combines the shards' per-channel moments
 * and sums between them. With a single shard the pieces compute exactly what {@link #forward} and
 * {@link #backward} compute.
 */
public final class NetworkExecutor implements TrainingExecutor {
    private final Network network;
    private final LayerTable table;
    private final int convCount;
    private final int maxBatch;
    private final boolean folded;
    private final ConvKernel[] kernels;
    private final float[][] activations;
    private final float[][] gradients;
    private final float[][] preNorm;
    private final float[][] batchMean;
    private final float[][] batchInvStd;
    private final int[][] residualConsumers;
    private final int features;
    private final int classes;
    private final float[] pooled;
    private final float[] logits;
    private final float[] logitGradient;
    private final float[] pooledGradient;
    private final float[] weightGradient;
    private final float[] biasGradient;
    private final float[] gammaGradient;
    private final float[] betaGradient;
    private float[] normGradient;
    private final float[] classifierWeightGradient;
    private final float[] classifierBiasGradient;
    private int forwardBatch;
    private boolean runningStatistics;
    private OutputMask outputMask;

    /**
     * Where the gradient at a convolution's output passes, in place of ReLU6's mask: for a
     * forward pass computed elsewhere (the int8 forward of {@code quant.QuantizedExecutor}), whose
     * clamps this executor did not see.
     */
    public interface OutputMask {
        /** Zeroes {@code gradient[0 .. length)} where the forward clamp of {@code layer}'s output cut it off. */
        void apply(int layer, float[] gradient, int length);
    }

    /**
     * Makes the backward pass of a folded network mask each convolution's output gradient with
     * {@code mask} instead of ReLU6's (null: ReLU6 again).
     */
    public void setOutputMask(OutputMask mask) {
        if (mask != null && !folded) {
            throw new IllegalStateException("an output mask needs a folded network");
        }
        this.outputMask = mask;
    }

    /** Buffers for {@code network} and batches of up to {@code maxBatch} samples. */
    public NetworkExecutor(Network network, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.network = network;
        this.table = network.layers();
        this.convCount = table.convCount();
        this.maxBatch = maxBatch;
        this.folded = network.isFolded();
        kernels = new ConvKernel[convCount];
        activations = new float[convCount + 1][];
        gradients = new float[convCount + 1][];
        preNorm = new float[convCount][];
        batchMean = new float[convCount][];
        batchInvStd = new float[convCount][];
        int maxWeights = 0;
        int maxChannels = 0;
        List<List<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i <= convCount; i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < convCount; i++) {
            ConvLayer c = table.conv(i);
            kernels[i] = ConvKernel.create(c.inChannels(), c.outChannels(), c.kernel(), c.stride(),
                    network.paddingConvention().padding(c), c.groups(), c.inHeight(), c.inWidth(), maxBatch);
            if (kernels[i].outHeight() != c.outHeight() || kernels[i].outWidth() != c.outWidth()) {
                throw new IllegalStateException("layer " + i + ": kernel output " + kernels[i].outHeight() + "x"
                        + kernels[i].outWidth() + " differs from the layer table's " + c.outHeight() + "x" + c.outWidth());
            }
            if (!folded) {
                batchMean[i] = new float[c.outChannels()];
                batchInvStd[i] = new float[c.outChannels()];
            }
            maxWeights = Math.max(maxWeights, (int) c.weightCount());
            maxChannels = Math.max(maxChannels, c.outChannels());
            if (c.residualAdd()) {
                consumers.get(c.residualFrom() + 1).add(i);
            }
        }
        residualConsumers = new int[convCount + 1][];
        for (int a = 0; a <= convCount; a++) {
            residualConsumers[a] = consumers.get(a).stream().mapToInt(Integer::intValue).toArray();
        }
        features = table.classifier().inFeatures();
        classes = table.classifier().outFeatures();
        pooled = new float[maxBatch * features];
        pooledGradient = new float[maxBatch * features];
        logits = new float[maxBatch * classes];
        logitGradient = new float[maxBatch * classes];
        weightGradient = new float[maxWeights];
        biasGradient = new float[maxChannels];
        gammaGradient = new float[maxChannels];
        betaGradient = new float[maxChannels];
        normGradient = new float[0];
        classifierWeightGradient = new float[features * classes];
        classifierBiasGradient = new float[classes];
    }

    /**
     * Whether training passes of an unfolded network normalise with the running statistics
     * (held fixed; only the batch norms' scale and shift learn) instead of the batch's. Off by
     * default. Batch statistics of one sample are those of one image's plane (16 values per
     * channel in the last stage at 128x128), which a batch of 1 cannot estimate well.
     */
    public void setRunningStatistics(boolean on) {
        this.runningStatistics = on;
    }

    /** The network whose (live) parameters this executor reads. */
    public Network network() {
        return network;
    }

    /** The largest batch this executor accepts. */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * The buffer of the tensor entering convolution {@code layer} ({@code [maxBatch][C][H][W]};
     * {@code layer == convCount} is the last convolution's output). Write a batch here before a
     * {@link #forward} that starts at {@code layer}.
     */
    public float[] input(int layer) {
        return ensure(activations, layer, maxBatch * inputSize(layer));
    }

    /**
     * {@code buffers[index]}, (re)allocated to at least {@code length} elements. Buffers grow
     * only the first time a layer is run with a larger batch: they exist only for the layers a
     * run actually uses (a run from a frozen prefix's cut never allocates the prefix's
     * activations), and the steady state allocates nothing.
     */
    private static float[] ensure(float[][] buffers, int index, int length) {
        float[] b = buffers[index];
        if (b == null || b.length < length) {
            b = new float[length];
            buffers[index] = b;
        }
        return b;
    }

    /** Elements of one sample of {@link #input(int) input(layer)}. */
    public int inputSize(int layer) {
        return layer < convCount ? kernels[layer].inputSize() : kernels[convCount - 1].outputSize();
    }

    /** The kernel of convolution {@code layer}. */
    public ConvKernel kernel(int layer) {
        return kernels[layer];
    }

    /** The logits of the last forward pass, {@code [batch][classes]}. */
    public float[] logits() {
        return logits;
    }

    /**
     * Runs convolutions {@code [fromLayer, toLayer)} on the batch in {@code input(fromLayer)},
     * leaving the result in {@code input(toLayer)}.
     *
     * @param training for unfolded networks: batch statistics (and running-statistics updates)
     *                 rather than running statistics; ignored for folded networks
     */
    public void runLayers(int fromLayer, int toLayer, int batch, boolean training) {
        checkBatch(batch);
        if (fromLayer < 0 || toLayer > convCount || fromLayer > toLayer) {
            throw new IllegalArgumentException("layers [" + fromLayer + ", " + toLayer + ") outside [0, " + convCount + "]");
        }
        for (int i = fromLayer; i < toLayer; i++) {
            ConvLayer c = table.conv(i);
            float[] skip = c.residualAdd() ? activations[c.residualFrom() + 1] : null;
            float[] in = activations[i];
            if (in == null) {
                throw new IllegalStateException("no input for layer " + i + ": write it with input(" + i + ") first");
            }
            int outLen = batch * kernels[i].outputSize();
            float[] out = ensure(activations, i + 1, outLen);
            if (folded) {
                kernels[i].forward(in, network.weights(i), network.bias(i), skip, out, batch, c.relu6());
                continue;
            }
            BatchNormParameters bn = network.batchNorm(i);
            int plane = c.outHeight() * c.outWidth();
            ensure(preNorm, i, outLen);
            kernels[i].forward(in, network.weights(i), null, null, preNorm[i], batch, false);
            if (training && !runningStatistics) {
                BatchNorm.forwardTraining(preNorm[i], out, batch, c.outChannels(), plane, bn.gamma(), bn.beta(),
                        network.batchNormEpsilon(), BATCH_NORM_MOMENTUM, bn.runningMean(), bn.runningVar(),
                        batchMean[i], batchInvStd[i]);
            } else {
                BatchNorm.forwardInference(preNorm[i], out, batch, c.outChannels(), plane, bn.gamma(), bn.beta(),
                        network.batchNormEpsilon(), bn.runningMean(), bn.runningVar());
                if (training) {
                    // The statistics the backward pass holds constant.
                    for (int ch = 0; ch < c.outChannels(); ch++) {
                        batchMean[i][ch] = bn.runningMean()[ch];
                        batchInvStd[i][ch] = (float) (1.0 / Math.sqrt(bn.runningVar()[ch] + (double) network.batchNormEpsilon()));
                    }
                }
            }
            addSkipAndClamp(i, batch, out);
        }
    }

    /** PyTorch's batch-norm momentum for the running statistics. */
    public static final float BATCH_NORM_MOMENTUM = 0.1f;

    /**
     * Runs convolutions {@code [fromLayer, convCount)}, global average pooling and the
     * classifier on the batch in {@code input(fromLayer)}; the logits are in {@link #logits()}.
     */
    public void forward(int fromLayer, int batch, boolean training) {
        runLayers(fromLayer, convCount, batch, training);
        classify(batch);
    }

    /**
     * Global average pooling and the classifier on the last convolution's output
     * ({@code input(convCount)}); the logits are in {@link #logits()}. The end of {@link #forward}.
     */
    public void classify(int batch) {
        checkBatch(batch);
        ConvLayer last = table.conv(convCount - 1);
        GlobalAveragePool.forward(activations[convCount], batch, features, last.outHeight() * last.outWidth(), pooled);
        FullyConnected.forward(pooled, network.classifierWeights(), network.classifierBias(), logits, batch, features,
                classes);
        forwardBatch = batch;
    }

    private void checkBatch(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch " + batch + " outside [1, " + maxBatch + "]");
        }
    }

    /**
     * Training pass, synchronised batch statistics, first piece for convolution {@code layer}:
     * runs the convolution on the shard in {@code input(layer)} and writes the per-channel
     * {@link BatchNorm#channelMoments} of its output (before batch norm) into {@code sums} and
     * {@code squaredDeviations}. Unfolded networks with batch statistics only.
     */
    public void convolveAndMoments(int layer, int batch, double[] sums, double[] squaredDeviations) {
        requireBatchStatistics();
        checkBatch(batch);
        ConvLayer c = table.conv(layer);
        if (activations[layer] == null) {
            throw new IllegalStateException("no input for layer " + layer + ": write it with input(" + layer + ") first");
        }
        float[] z = ensure(preNorm, layer, batch * kernels[layer].outputSize());
        kernels[layer].forward(activations[layer], network.weights(layer), null, null, z, batch, false);
        BatchNorm.channelMoments(z, batch, c.outChannels(), c.outHeight() * c.outWidth(), sums, squaredDeviations);
    }

    /**
     * Second piece: batch norm with the whole batch's {@code mean} and {@code invStd}, the residual
     * add and ReLU6, leaving the shard's output in {@code input(layer + 1)}. The running
     * statistics are the driver's to update (once per batch, not per shard).
     */
    public void normalise(int layer, int batch, double[] mean, double[] invStd) {
        ConvLayer c = table.conv(layer);
        BatchNormParameters bn = network.batchNorm(layer);
        float[] out = ensure(activations, layer + 1, batch * kernels[layer].outputSize());
        BatchNorm.normalise(preNorm[layer], out, batch, c.outChannels(), c.outHeight() * c.outWidth(), bn.gamma(),
                bn.beta(), mean, invStd, batchMean[layer], batchInvStd[layer]);
        addSkipAndClamp(layer, batch, out);
    }

    private void requireBatchStatistics() {
        if (folded || runningStatistics) {
            throw new IllegalStateException("synchronised batch statistics need an unfolded network trained with "
                    + "batch statistics");
        }
    }

    private void addSkipAndClamp(int layer, int batch, float[] out) {
        ConvLayer c = table.conv(layer);
        int len = batch * kernels[layer].outputSize();
        if (c.residualAdd()) {
            float[] skip = activations[c.residualFrom() + 1];
            for (int e = 0; e < len; e++) {
                out[e] += skip[e];
            }
        }
        if (c.relu6()) {
            Relu6.forward(out, 0, len);
        }
    }

    /**
     * The mean softmax cross-entropy of the last forward pass against
     * {@code labels[labelsOff .. labelsOff + batch)}; also prepares the logit gradient for
     * {@link #backward}.
     */
    public double loss(int[] labels, int labelsOff) {
        return loss(labels, labelsOff, forwardBatch);
    }

    /**
     * The summed softmax cross-entropy of the last forward pass divided by {@code meanOver}
     * (the whole batch's size when this executor runs one shard of it), with the logit gradient
     * scaled to match: the shards' losses and gradients add up to the batch's.
     */
    public double loss(int[] labels, int labelsOff, int meanOver) {
        return SoftmaxCrossEntropy.lossAndGradient(logits, labels, labelsOff, forwardBatch, classes, logitGradient,
                meanOver);
    }

    /** How many samples of the last forward pass have their label as the top logit. */
    public int correct(int[] labels, int labelsOff) {
        int ok = 0;
        for (int n = 0; n < forwardBatch; n++) {
            if (SoftmaxCrossEntropy.argmax(logits, n, classes) == labels[labelsOff + n]) {
                ok++;
            }
        }
        return ok;
    }

    /**
     * Backpropagates the loss of the last {@link #loss} call, computing only what
     * {@code request} asks for and handing each gradient to {@code sink} as soon as it exists.
     * Stops at {@code request.earliestLayer()}: that layer's input gradient is not computed.
     * The forward pass must have started at or before that layer.
     */
    public void backward(GradientRequest request, GradientSink sink) {
        int stop = request.earliestLayer();
        backwardHead(request, sink);
        for (int i = convCount - 1; i >= stop; i--) {
            backwardLayer(i, i > stop, forwardBatch, request, sink);
        }
    }

    /**
     * The start of {@link #backward}: the classifier's gradients (to {@code sink}, if requested)
     * and, if any convolution needs a gradient, the gradient entering the last convolution's
     * output. Needs a {@link #loss} call after the forward pass.
     */
    public void backwardHead(GradientRequest request, GradientSink sink) {
        int batch = forwardBatch;
        if (request.earliestLayer() < convCount) {
            ConvLayer last = table.conv(convCount - 1);
            FullyConnected.backwardInput(logitGradient, network.classifierWeights(), pooledGradient, batch, features,
                    classes);
            GlobalAveragePool.backward(pooledGradient, batch, features, last.outHeight() * last.outWidth(),
                    ensure(gradients, convCount, batch * kernels[convCount - 1].outputSize()));
        }
        if (request.classifier()) {
            FullyConnected.parameterGradient(logitGradient, pooled, classifierWeightGradient, classifierBiasGradient,
                    batch, features, classes);
            sink.classifier(classifierWeightGradient, classifierBiasGradient);
        }
    }

    /**
     * Backward, synchronised batch statistics, first piece for convolution {@code layer} (the
     * layers in {@link #backward}'s order, after {@link #backwardHead}): applies the ReLU6 mask to
     * the gradient at the layer's output and writes the shard's {@link BatchNorm#gradientSums}
     * into {@code sumG} and {@code sumGx}. The whole batch's sums are the batch norm's shift and
     * scale gradients.
     */
    public void gradientSums(int layer, double[] sumG, double[] sumGx) {
        requireBatchStatistics();
        ConvLayer c = table.conv(layer);
        float[] g = maskedOutputGradient(layer, forwardBatch);
        BatchNorm.gradientSums(g, preNorm[layer], forwardBatch, c.outChannels(), c.outHeight() * c.outWidth(),
                batchMean[layer], batchInvStd[layer], sumG, sumGx);
    }

    /**
     * Backward, second piece: with the whole batch's {@code sumG} and {@code sumGx} over
     * {@code count} values per channel, the gradient through the batch norm, the layer's input
     * gradient (if {@code inputGradient}) and its requested weight gradient, handed to
     * {@code sink}. The batch norm's own gradients are the driver's to deliver.
     */
    public void backwardLayer(int layer, boolean inputGradient, double[] sumG, double[] sumGx, long count,
            GradientRequest request, GradientSink sink) {
        ConvLayer c = table.conv(layer);
        int batch = forwardBatch;
        float[] dZ = normGradient(batch * kernels[layer].outputSize());
        BatchNorm.inputGradient(gradients[layer + 1], preNorm[layer], batch, c.outChannels(),
                c.outHeight() * c.outWidth(), network.batchNorm(layer).gamma(), batchMean[layer], batchInvStd[layer],
                sumG, sumGx, count, dZ);
        convolutionBackward(layer, inputGradient, batch, dZ, request, sink);
    }

    /** The gradient at convolution {@code layer}'s output, ReLU6's mask applied in place. */
    private float[] maskedOutputGradient(int layer, int batch) {
        float[] g = gradients[layer + 1];
        if (outputMask != null) {
            outputMask.apply(layer, g, batch * kernels[layer].outputSize());
        } else if (table.conv(layer).relu6()) {
            Relu6.backward(activations[layer + 1], g, 0, batch * kernels[layer].outputSize());
        }
        return g;
    }

    private float[] normGradient(int length) {
        if (normGradient.length < length) {
            normGradient = new float[length];
        }
        return normGradient;
    }

    private void backwardLayer(int i, boolean inputGradient, int batch, GradientRequest request, GradientSink sink) {
        ConvLayer c = table.conv(i);
        ConvKernel k = kernels[i];
        float[] g = maskedOutputGradient(i, batch);
        int len = batch * k.outputSize();
        float[] convGradient = g;
        if (!folded) {
            BatchNormParameters bn = network.batchNorm(i);
            float[] dZ = normGradient(len);
            if (runningStatistics) {
                BatchNorm.backwardRunning(g, preNorm[i], batch, c.outChannels(), c.outHeight() * c.outWidth(),
                        bn.gamma(), batchMean[i], batchInvStd[i], dZ, gammaGradient, betaGradient);
            } else {
                BatchNorm.backward(g, preNorm[i], batch, c.outChannels(), c.outHeight() * c.outWidth(), bn.gamma(),
                        batchMean[i], batchInvStd[i], dZ, gammaGradient, betaGradient);
            }
            convGradient = dZ;
        }
        convolutionBackward(i, inputGradient, batch, convGradient, request, sink);
        if (request.bias(i)) {
            if (folded) {
                k.biasGradient(convGradient, batch, biasGradient);
                sink.convBias(i, biasGradient);
            } else {
                sink.batchNorm(i, gammaGradient, betaGradient);
            }
        }
    }

    /** The input gradient (with the residual branches' gradients) and the requested weight gradient of layer {@code i}. */
    private void convolutionBackward(int i, boolean inputGradient, int batch, float[] convGradient,
            GradientRequest request, GradientSink sink) {
        ConvKernel k = kernels[i];
        if (inputGradient) {
            float[] dIn = ensure(gradients, i, batch * k.inputSize());
            k.backwardInput(convGradient, network.weights(i), dIn, batch);
            int inLen = batch * k.inputSize();
            for (int j : residualConsumers[i]) {
                float[] skipGradient = gradients[j + 1];
                for (int e = 0; e < inLen; e++) {
                    dIn[e] += skipGradient[e];
                }
            }
        }
        int count = request.channelCount(i);
        if (count > 0) {
            int[] channels = request.channels(i);
            k.weightGradient(convGradient, activations[i], batch, channels, count, weightGradient);
            sink.convWeights(i, channels, count, weightGradient);
        }
    }
}
