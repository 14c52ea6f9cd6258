package io.tinysparse.simulator.engine.quant;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.engine.StepOptimizer;
import io.tinysparse.simulator.engine.kernels.ConvKernel;
import io.tinysparse.simulator.engine.train.SgdOptimizer;
import io.tinysparse.simulator.model.ConvLayer;

/**
 * SGD on the int8 weights and int32 biases of a {@link QuantizedNetwork}, applied the moment
 * each gradient arrives, the parameters stored back as integers: no fp32 master copy.
 *
 * <p>The backward pass delivers gradients with respect to real values ({@code G}); the
 * gradient with respect to a code is {@code G * s} ({@code s}: {@code s_w[o]} for a weight,
 * {@code s_in * s_w[o]} for a bias). Without QAS the code moves by {@code lr * G * s}; with QAS
 * (quantization-aware scaling, Lin et al. 2022; tiny-training's {@code SGDScale.pre_step} divides
 * the weight gradient by {@code s_w^2} and the bias gradient by {@code (s_in * s_w)^2}) by
 * {@code lr * G / s}, which is the fp32 step {@code lr * G} measured in steps of the code. With
 * momentum {@code mu} the velocity ({@code v = mu * v + g}, fp32, per trained code, kept across
 * steps) replaces the gradient. The new code is {@code round(code - lr * step)} (half up),
 * saturated to {@code [-127, 127]} for weights and to int32 for biases: a step smaller than half
 * a code is lost. (tiny-training's simulation keeps its weights as floats and rounds them in the
 * forward pass only, so sub-step updates add up there; a device that stores int8 loses them.)
 * The classifier is fp32, updated by {@link SgdOptimizer} as in an fp32 run.
 */
public final class Int8Sgd implements StepOptimizer {
    private final QuantizedNetwork network;
    private final boolean qas;
    private final float momentum;
    /** The fp32 classifier's optimizer: plain fp32 SGD on the live view, as an fp32 run updates it. */
    private final SgdOptimizer classifier;
    private final float[][] weightVelocity;
    private final float[][] biasVelocity;
    private double rate;
    private long steps;
    private long changed;

    /**
     * @param qas whether to scale gradients by {@code 1 / s^2}
     * @param momentum SGD momentum in {@code [0, 1)}
     */
    public Int8Sgd(QuantizedNetwork network, boolean qas, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InvalidInputException("momentum must be in [0, 1), got " + momentum);
        }
        this.network = network;
        this.qas = qas;
        this.momentum = (float) momentum;
        int n = network.layers().convCount();
        weightVelocity = new float[n][];
        biasVelocity = new float[n][];
        classifier = new SgdOptimizer(network.view(), momentum, 0);
    }

    @Override
    public void setLearningRate(double learningRate) {
        rate = learningRate;
        classifier.setLearningRate(learningRate);
    }

    /** Code updates attempted so far (weights and biases whose gradient arrived). */
    public long attemptedUpdates() {
        return steps;
    }

    /** Of {@link #attemptedUpdates()}, those that changed the stored code. */
    public long changedCodes() {
        return changed;
    }

    @Override
    public void convWeights(int layer, int[] channels, int count, float[] gradient) {
        ConvLayer c = network.layers().conv(layer);
        byte[] codes = network.weights(layer);
        float[] v = velocity(weightVelocity, layer, codes.length);
        int taps = c.kernel() * c.kernel();
        int rows = c.outChannels() / c.groups();
        int inPerGroup = c.inChannels() / c.groups();
        boolean depthwise = c.groups() > 1;
        for (int j = 0; j < count; j++) {
            for (int r = 0; r < rows; r++) {
                int o = depthwise ? channels[j] : r;
                double s = network.weightScale(layer, o);
                int p = ConvKernel.sliceOffset(inPerGroup, taps, channels[j], r);
                int g = (j * rows + r) * taps;
                for (int t = 0; t < taps; t++) {
                    double step = step(v, p + t, gradient[g + t], s);
                    long code = Math.round(codes[p + t] - rate * step);
                    int saturated = (int) Math.max(-127, Math.min(127, code));
                    record(saturated != codes[p + t]);
                    network.setWeight(layer, p + t, o, saturated);
                }
            }
        }
    }

    @Override
    public void convBias(int layer, float[] gradient) {
        int[] codes = network.biases(layer);
        float[] v = velocity(biasVelocity, layer, codes.length);
        for (int o = 0; o < codes.length; o++) {
            double step = step(v, o, gradient[o], network.biasScale(layer, o));
            long code = Math.round(codes[o] - rate * step);
            int saturated = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, code));
            record(saturated != codes[o]);
            network.setBias(layer, o, saturated);
        }
    }

    /** The step of one code with real gradient {@code g} and code scale {@code s}, through the velocity if any. */
    private double step(float[] v, int index, float g, double s) {
        double codeGradient = qas ? g / s : g * s;
        if (v == null) {
            return codeGradient;
        }
        v[index] = (float) (momentum * v[index] + codeGradient);
        return v[index];
    }

    private void record(boolean changedCode) {
        steps++;
        if (changedCode) {
            changed++;
        }
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

    @Override
    public void batchNorm(int layer, float[] gammaGradient, float[] betaGradient) {
        throw new IllegalStateException("a quantized network has no batch norm (it is folded)");
    }

    @Override
    public void classifier(float[] weightGradient, float[] biasGradient) {
        classifier.classifier(weightGradient, biasGradient);
    }
}
