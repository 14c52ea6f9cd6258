package io.tinysparse.simulator.engine.train;

import io.tinysparse.simulator.engine.BatchNormParameters;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.StepOptimizer;
import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.model.ConvLayer;

/**
 * Stochastic gradient descent that applies each gradient to the network in place the moment
 * the backward pass delivers it (PyTorch's SGD: {@code g += wd * p}; with momentum
 * {@code v = mu * v + g}, {@code p -= lr * v}; without, {@code p -= lr * g}).
 *
 * <p>Only the parameters whose gradient arrives are touched: a channel slice that was not
 * selected in an iteration keeps its weights and its momentum (the device never loads them).
 * Momentum buffers are allocated the first time a parameter is updated, so steady-state
 * steps allocate nothing. Arithmetic is float32, deterministic.
 */
public final class SgdOptimizer implements StepOptimizer {
    private final Network network;
    private final float momentum;
    private final float weightDecay;
    private final float[][] weightVelocity;
    private final float[][] biasVelocity;
    private final float[][] gammaVelocity;
    private final float[][] betaVelocity;
    private float[] classifierWeightVelocity;
    private float[] classifierBiasVelocity;
    private float rate;

    /** An optimiser of {@code network}'s live parameters. */
    public SgdOptimizer(Network network, double momentum, double weightDecay) {
        this.network = network;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        int n = network.convCount();
        weightVelocity = new float[n][];
        biasVelocity = new float[n][];
        gammaVelocity = new float[n][];
        betaVelocity = new float[n][];
    }

    @Override
    public void setLearningRate(double learningRate) {
        this.rate = (float) learningRate;
    }

    @Override
    public void convWeights(int layer, int[] channels, int count, float[] gradient) {
        ConvLayer c = network.layers().conv(layer);
        float[] w = network.weights(layer);
        float[] v = null;
        if (momentum != 0) {
            if (weightVelocity[layer] == null) {
                weightVelocity[layer] = new float[w.length];
            }
            v = weightVelocity[layer];
        }
        int taps = c.kernel() * c.kernel();
        int rows = c.outChannels() / c.groups();
        int inPerGroup = c.inChannels() / c.groups();
        for (int j = 0; j < count; j++) {
            for (int r = 0; r < rows; r++) {
                int p = ConvKernel.sliceOffset(inPerGroup, taps, channels[j], r);
                update(w, v, p, gradient, (j * rows + r) * taps, taps);
            }
        }
    }

    @Override
    public void convBias(int layer, float[] gradient) {
        float[] b = network.bias(layer);
        update(b, velocity(biasVelocity, layer, b.length), 0, gradient, 0, b.length);
    }

    @Override
    public void batchNorm(int layer, float[] gammaGradient, float[] betaGradient) {
        BatchNormParameters bn = network.batchNorm(layer);
        int c = bn.channels();
        update(bn.gamma(), velocity(gammaVelocity, layer, c), 0, gammaGradient, 0, c);
        update(bn.beta(), velocity(betaVelocity, layer, c), 0, betaGradient, 0, c);
    }

    @Override
    public void classifier(float[] weightGradient, float[] biasGradient) {
        float[] w = network.classifierWeights();
        float[] b = network.classifierBias();
        if (momentum != 0 && classifierWeightVelocity == null) {
            classifierWeightVelocity = new float[w.length];
            classifierBiasVelocity = new float[b.length];
        }
        update(w, classifierWeightVelocity, 0, weightGradient, 0, w.length);
        update(b, classifierBiasVelocity, 0, biasGradient, 0, b.length);
    }

    private float[] velocity(float[][] store, int layer, int length) {
        if (momentum == 0) {
            return null;
        }
        if (store[layer] == null) {
            store[layer] = new float[length];
        }
        return store[layer];
    }

    /** {@code p[pOff + i] -= lr * step(g[gOff + i])} for {@code i < n}; {@code v} null without momentum. */
    private void update(float[] p, float[] v, int pOff, float[] g, int gOff, int n) {
        for (int i = 0; i < n; i++) {
            int pi = pOff + i;
            float step = g[gOff + i] + weightDecay * p[pi];
            if (v != null) {
                v[pi] = momentum * v[pi] + step;
                step = v[pi];
            }
            p[pi] -= rate * step;
        }
    }
}
