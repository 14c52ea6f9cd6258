package io.tinysparse.simulator.engine;

/**
 * What a training loop needs of an executor: batches in, a forward pass from any layer, the
 * loss, the backward pass of a {@link GradientRequest}, top-1 counts. {@link NetworkExecutor}
 * runs it in fp32; {@code quant.QuantizedExecutor} runs the forward pass in int8 and the backward
 * pass in fp32 from it. Buffers and layers are indexed as in {@link NetworkExecutor}: input(i)
 * is the tensor entering convolution i, input(convCount) the last convolution's output.
 * Implementations are not thread-safe.
 */
public interface TrainingExecutor {
    /** The float buffer of the tensor entering convolution {@code layer}, room for {@link #maxBatch()} samples. */
    float[] input(int layer);

    /** Elements of one sample of {@link #input(int) input(layer)}. */
    int inputSize(int layer);

    /** The largest batch this executor runs. */
    int maxBatch();

    /**
     * Runs convolutions {@code [fromLayer, toLayer)} on the batch in {@code input(fromLayer)},
     * leaving the result in {@code input(toLayer)}.
     */
    void runLayers(int fromLayer, int toLayer, int batch, boolean training);

    /** The whole network from {@code fromLayer} to the logits. */
    void forward(int fromLayer, int batch, boolean training);

    /** Mean softmax cross-entropy of the last forward pass; prepares the backward pass. */
    double loss(int[] labels, int labelsOff);

    /** Samples of the last forward pass whose label is the top logit. */
    int correct(int[] labels, int labelsOff);

    /** Back-propagates the last {@link #loss}, computing what {@code request} asks for only. */
    void backward(GradientRequest request, GradientSink sink);
}
