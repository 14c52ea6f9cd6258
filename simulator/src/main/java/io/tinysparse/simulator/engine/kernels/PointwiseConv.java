package io.tinysparse.simulator.engine.kernels;

import java.util.Arrays;

/**
 * A 1x1, stride-1 convolution as a matrix product per sample: {@code out = W * in} with
 * {@code W} of {@code C_out x C_in} and {@code in} of {@code C_in x (H W)}.
 *
 * <p>The input gradient is {@code W^T * dOut}; the weight gradient of selected input channels
 * {@code S} is {@code in[S] * dOut^T}, computed as a {@code |S| x C_out} product against the
 * transposed output gradient, so its cost is proportional to {@code |S|}. With fewer than
 * {@value #DOT_FORM_BELOW} output channels that product would be too narrow to vectorise, so
 * each weight's gradient is instead a dot product over the plane (deterministic 16-lane
 * reduction); the choice depends on the shape only, never on the CPU.
 */
public final class PointwiseConv extends ConvKernel {
    /** Output-channel count below which the weight gradient uses dot products. */
    static final int DOT_FORM_BELOW = 16;

    private final int[] weightRows;
    private final float[] dotLanes;
    /** Whether planes are narrower than a vector, so products run along the channels ({@link Gemm#multiplyNarrow}). */
    private final boolean narrow;
    private final float[] weightsTransposed;
    private final float[] narrowScratch;
    private final int[] transposedRows;
    private final int[] selectedRows;
    private final float[] dOutTransposed;

    PointwiseConv(int inChannels, int outChannels, int height, int width, int maxBatch) {
        super(inChannels, outChannels, 1, 1, Padding.NONE, height, width, maxBatch);
        weightRows = rowOffsets(outChannels, inChannels);
        transposedRows = rowOffsets(inChannels, 1);
        selectedRows = new int[inChannels];
        dOutTransposed = new float[outPlane * outChannels];
        narrow = inPlane < Lanes.WIDTH;
        weightsTransposed = narrow ? new float[inChannels * outChannels] : null;
        narrowScratch = narrow ? new float[Math.max(inChannels, outChannels)] : null;
        dotLanes = outChannels < DOT_FORM_BELOW ? new float[inChannels * outChannels * Lanes.REDUCTION_LANES] : null;
    }

    @Override
    public void forward(float[] in, float[] w, float[] b, float[] skip, float[] out, int batch, boolean relu6) {
        checkBatch(batch);
        float[] rowInit = startRows(b, skip, out, batch);
        if (narrow) {
            transposeWeights(w);
            for (int n = 0; n < batch; n++) {
                Gemm.multiplyNarrow(outChannels, inPlane, inChannels, weightsTransposed, 0, outChannels,
                        in, n * inChannels * inPlane, inPlane, out, n * outChannels * outPlane, outPlane, rowInit, relu6,
                        narrowScratch);
            }
            return;
        }
        for (int n = 0; n < batch; n++) {
            Gemm.multiply(outChannels, inPlane, inChannels, w, weightRows, 1,
                    in, n * inChannels * inPlane, inPlane, out, n * outChannels * outPlane, outPlane, rowInit, relu6);
        }
    }

    @Override
    public void backwardInput(float[] dOut, float[] w, float[] dIn, int batch) {
        checkBatch(batch);
        Arrays.fill(dIn, 0, batch * inChannels * inPlane, 0f);
        if (narrow) {
            for (int n = 0; n < batch; n++) {
                Gemm.multiplyNarrow(inChannels, inPlane, outChannels, w, 0, inChannels,
                        dOut, n * outChannels * outPlane, outPlane, dIn, n * inChannels * inPlane, inPlane, null, false,
                        narrowScratch);
            }
            return;
        }
        for (int n = 0; n < batch; n++) {
            Gemm.multiplyAdd(inChannels, inPlane, outChannels, w, transposedRows, inChannels,
                    dOut, n * outChannels * outPlane, outPlane, dIn, n * inChannels * inPlane, inPlane, false);
        }
    }

    @Override
    public void weightGradient(float[] dOut, float[] in, int batch, int[] channels, int count, float[] dW) {
        checkBatch(batch);
        checkChannels(channels, count);
        if (dotLanes != null) {
            weightGradientByDots(dOut, in, batch, channels, count, dW);
            return;
        }
        Arrays.fill(dW, 0, count * outChannels, 0f);
        for (int n = 0; n < batch; n++) {
            transpose(dOut, n * outChannels * outPlane, outChannels, outPlane, dOutTransposed);
            int base = n * inChannels * inPlane;
            for (int j = 0; j < count; j++) {
                selectedRows[j] = base + channels[j] * inPlane;
            }
            Gemm.multiplyAdd(count, outChannels, inPlane, in, selectedRows, 1,
                    dOutTransposed, 0, outChannels, dW, 0, outChannels, false);
        }
    }

    /** {@code weightsTransposed[ci][co] = w[co][ci]}. */
    private void transposeWeights(float[] w) {
        for (int co = 0; co < outChannels; co++) {
            for (int ci = 0, src = co * inChannels, dst = co; ci < inChannels; ci++, src++, dst += outChannels) {
                weightsTransposed[dst] = w[src];
            }
        }
    }

    private void weightGradientByDots(float[] dOut, float[] in, int batch, int[] channels, int count, float[] dW) {
        int lanes = Lanes.REDUCTION_LANES;
        Arrays.fill(dotLanes, 0, count * outChannels * lanes, 0f);
        for (int n = 0; n < batch; n++) {
            for (int j = 0; j < count; j++) {
                int x = (n * inChannels + channels[j]) * inPlane;
                for (int co = 0; co < outChannels; co++) {
                    Lanes.dotAccumulate(in, x, dOut, (n * outChannels + co) * outPlane, outPlane, dotLanes,
                            (j * outChannels + co) * lanes);
                }
            }
        }
        for (int e = 0; e < count * outChannels; e++) {
            dW[e] = Lanes.total(dotLanes, e * lanes);
        }
    }

    @Override
    public int weightCount() {
        return outChannels * inChannels;
    }

    @Override
    public int sliceRows() {
        return outChannels;
    }

    @Override
    public int sliceOffset(int channel, int row) {
        return sliceOffset(inChannels, 1, channel, row);
    }
}
