package io.tinysparse.simulator.engine;

/**
 * Receives each parameter gradient as soon as the backward pass has computed it, in the order
 * the pass produces them: the classifier first, then the convolutions from the last to the
 * earliest one that needs a gradient. An optimizer applies the update right away, in place (as
 * a microcontroller does, so no gradient buffer outlives its layer); an oracle records a copy.
 *
 * <p>The arrays passed in are the executor's scratch buffers: valid only during the call. The
 * executor has already used the current weights for everything that depends on them (the input
 * gradient of the same layer), so the sink may change the parameters it is given.
 */
public interface GradientSink {
    /**
     * The weight gradient of convolution {@code layer}, for input channels
     * {@code channels[0 .. count)} only: {@code gradient[j * slice + r * k*k + t]} is the gradient
     * of the weight at {@code ConvKernel.sliceOffset(C_in/groups, k*k, channels[j], r) + t}, with
     * {@code slice = (C_out/groups) * k*k}.
     */
    void convWeights(int layer, int[] channels, int count, float[] gradient);

    /** The bias gradient of (folded) convolution {@code layer}, one value per output channel. */
    void convBias(int layer, float[] gradient);

    /** The gradients of the batch-norm scale and shift after convolution {@code layer} (unfolded networks). */
    void batchNorm(int layer, float[] gammaGradient, float[] betaGradient);

    /** The classifier's weight ({@code [classes][features]}) and bias gradients. */
    void classifier(float[] weightGradient, float[] biasGradient);
}
