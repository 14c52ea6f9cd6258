package io.tinysparse.simulator.engine.train;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.GradientRequest;
import io.tinysparse.simulator.engine.GradientSink;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.NetworkExecutor;
import io.tinysparse.simulator.engine.StepOptimizer;
import io.tinysparse.simulator.engine.TrainingExecutor;
import io.tinysparse.simulator.engine.quant.Int8Sgd;
import io.tinysparse.simulator.engine.quant.QuantizedExecutor;
import io.tinysparse.simulator.engine.quant.QuantizedNetwork;
import io.tinysparse.simulator.engine.selection.ChannelSelector;
import io.tinysparse.simulator.engine.selection.SelectionTarget;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * One network being trained under a {@link SparseUpdatePolicy}, one step at a time, the way a
 * device does it: the biases of the last {@code biasLayers} convolutions, the weights of the
 * policy's layers restricted to the channels their {@link ChannelSelector} picks for the
 * iteration, and the classifier; everything else frozen, bit for bit.
 *
 * <p>Each step runs the forward pass from the {@link #entryLayer()} (the frozen prefix's cut),
 * the backward pass down to the earliest trained layer only, and applies each update in place
 * as soon as its gradient exists ({@link SgdOptimizer}). An unfolded network (batch norm) is
 * trained with batch statistics (or, with {@link TrainingConfig#runningStatistics()}, its
 * running statistics held fixed), its batch-norm scale and shift standing for the biases:
 * that is dense pretraining when the policy is {@link #densePolicy}.
 *
 * <p>Randomness (the selectors') derives from the seed only. Not thread-safe.
 */
public final class SparseTrainer {
    private final Network network;
    private final LayerTable layers;
    private final TrainingExecutor executor;
    private final StepOptimizer optimizer;
    private final GradientRequest request;
    private final ChannelSelector[] selectors;
    private final int[][] selected;
    private final boolean[][] everSelected;
    private final int entryLayer;
    private final GradientSink sink;
    private final long updatableWeights;

    /**
     * Trains {@code network}'s live parameters in place.
     *
     * @param maxBatch the largest batch {@link #step} and evaluations will use
     * @throws InvalidInputException if the policy does not fit the network or trains nothing
     */
    public SparseTrainer(Network network, SparseUpdatePolicy policy, TrainingConfig config, int maxBatch) {
        this(network, null, false, policy, config, maxBatch);
    }

    /**
     * Trains {@code network}'s int8 weights, int32 biases and fp32 classifier in place: the
     * forward pass in int8 ({@link QuantizedExecutor}), the backward pass in fp32 from it, the
     * updates by {@link Int8Sgd} (with quantization-aware scaling if {@code qas}). The trained
     * parameters' fp32 view is {@link #network()}.
     *
     * @throws InvalidInputException also if the config asks for weight decay (int8 SGD has none)
     */
    public static SparseTrainer quantized(QuantizedNetwork network, boolean qas, SparseUpdatePolicy policy,
            TrainingConfig config, int maxBatch) {
        if (config.weightDecay() != 0) {
            throw new InvalidInputException("int8 training has no weight decay, got " + config.weightDecay());
        }
        return new SparseTrainer(network.view(), network, qas, policy, config, maxBatch);
    }

    private SparseTrainer(Network network, QuantizedNetwork quantized, boolean qas, SparseUpdatePolicy policy,
            TrainingConfig config, int maxBatch) {
        this.network = network;
        this.layers = network.layers();
        policy.validate(layers);
        int n = layers.convCount();
        request = new GradientRequest(layers).setClassifier(policy.trainClassifier());
        for (int i = policy.firstBiasLayer(n); i < n; i++) {
            request.setBias(i, true);
        }
        selectors = new ChannelSelector[n];
        selected = new int[n][];
        everSelected = new boolean[n][];
        long updatable = 0;
        for (WeightUpdate w : policy.weights()) {
            int i = w.layer();
            ConvLayer c = layers.conv(i);
            int count = w.channelsOf(GradientRequest.selectableChannels(c));
            selectors[i] = policy.selection().newSelector(new SelectionTarget(c, network.weights(i), count,
                    RunStreams.selection(config.seed(), i)));
            selected[i] = new int[count];
            everSelected[i] = new boolean[GradientRequest.selectableChannels(c)];
            request.setChannels(i, selected[i], count);
            updatable += c.weightCount();
        }
        updatableWeights = updatable;
        int earliest = request.earliestLayer();
        if (earliest == n && !request.classifier()) {
            throw new InvalidInputException("policy '" + policy.describe() + "' trains no parameter");
        }
        entryLayer = FrozenPrefix.cutBefore(layers, earliest);
        if (quantized == null) {
            NetworkExecutor fp32 = new NetworkExecutor(network, maxBatch);
            fp32.setRunningStatistics(config.runningStatistics());
            executor = fp32;
            optimizer = new SgdOptimizer(network, config.momentum(), config.weightDecay());
        } else {
            executor = new QuantizedExecutor(quantized, maxBatch);
            optimizer = new Int8Sgd(quantized, qas, config.momentum());
        }
        sink = new FeedbackSink();
    }

    /**
     * Every parameter of {@code layers}: all biases (batch norms), all channels of every
     * convolution, the classifier.
     */
    public static SparseUpdatePolicy densePolicy(LayerTable layers) {
        List<WeightUpdate> all = new ArrayList<>();
        for (int i = 0; i < layers.convCount(); i++) {
            all.add(WeightUpdate.full(i));
        }
        return new SparseUpdatePolicy(layers.convCount(), all, ChannelSelection.DEFAULT, true);
    }

    /** The optimizer applying the updates (an {@link Int8Sgd} for an int8 network). */
    public StepOptimizer optimizer() {
        return optimizer;
    }

    /** The network being trained (live; of an int8 network, its fp32 view). */
    public Network network() {
        return network;
    }

    /** The executor (its buffers, its {@code input(layer)} for loading batches). */
    public TrainingExecutor executor() {
        return executor;
    }

    /** The gradient request, as rewritten by the selectors for the last step. */
    public GradientRequest request() {
        return request;
    }

    /** The frozen prefix's cut: every step's forward pass starts at or before this layer. */
    public int entryLayer() {
        return entryLayer;
    }

    /**
     * One training step on the batch already in {@code executor().input(fromLayer)}, labels
     * {@code labels[labelsOff .. labelsOff + batch)}, with learning rate {@code learningRate}.
     * Returns the batch's mean loss (before the update).
     *
     * @param iteration 0-based, increasing by one per call (the selectors' clock)
     */
    public double step(long iteration, int fromLayer, int batch, int[] labels, int labelsOff, double learningRate) {
        if (fromLayer > entryLayer) {
            throw new IllegalArgumentException("forward from layer " + fromLayer + " skips trained layers (cut "
                    + entryLayer + ")");
        }
        selectChannels(iteration);
        optimizer.setLearningRate(learningRate);
        executor.forward(fromLayer, batch, !network.isFolded());
        double loss = executor.loss(labels, labelsOff);
        executor.backward(request, sink);
        return loss;
    }

    /**
     * Lets every selector choose its channels for {@code iteration} and writes them into the
     * {@link #request()} ({@link #step} does this first; call it directly to inspect a
     * selection without training).
     */
    public void selectChannels(long iteration) {
        for (int i = 0; i < selectors.length; i++) {
            if (selectors[i] != null) {
                selectors[i].select(iteration, selected[i]);
                boolean[] seen = everSelected[i];
                for (int c : selected[i]) {
                    seen[c] = true;
                }
            }
        }
    }

    /** Conv weights updated in the last step over all conv weights (the paper's "2 %"). */
    public double updatedWeightFraction() {
        return (double) request.requestedWeights() / network.convWeightCount();
    }

    /** Conv weights of the policy's weight layers updated at least once so far, over all of theirs (0 without any). */
    public double coverage() {
        return updatableWeights == 0 ? 0 : (double) touchedWeights() / updatableWeights;
    }

    /** Conv weights updated at least once so far, over all conv weights. */
    public double touchedWeightFraction() {
        return (double) touchedWeights() / network.convWeightCount();
    }

    private long touchedWeights() {
        long touched = 0;
        for (int i = 0; i < selectors.length; i++) {
            if (selectors[i] != null) {
                ConvLayer c = layers.conv(i);
                long perChannel = c.weightCount() / GradientRequest.selectableChannels(c);
                for (boolean s : everSelected[i]) {
                    if (s) {
                        touched += perChannel;
                    }
                }
            }
        }
        return touched;
    }

    /** Shows selectors that want it their channels' gradients, then lets the optimiser apply them. */
    private final class FeedbackSink implements GradientSink {
        @Override
        public void convWeights(int layer, int[] channels, int count, float[] gradient) {
            ChannelSelector s = selectors[layer];
            if (s != null && s.wantsFeedback()) {
                ConvLayer c = layers.conv(layer);
                s.observe(channels, count, gradient, (int) (c.weightCount() / GradientRequest.selectableChannels(c)));
            }
            optimizer.convWeights(layer, channels, count, gradient);
        }

        @Override
        public void convBias(int layer, float[] gradient) {
            optimizer.convBias(layer, gradient);
        }

        @Override
        public void batchNorm(int layer, float[] gammaGradient, float[] betaGradient) {
            optimizer.batchNorm(layer, gammaGradient, betaGradient);
        }

        @Override
        public void classifier(float[] weightGradient, float[] biasGradient) {
            optimizer.classifier(weightGradient, biasGradient);
        }
    }
}
