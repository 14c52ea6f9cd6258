package io.tinysparse.simulator.engine.kernels;

import java.util.Arrays;

/**
 * A 1x1, stride-1 convolution as a matrix product per sample: {@code out = W * in} with
 * {@code W} of {@code C_out x C_in} and {@code in} of {@code C_in x (H W)}.
 *
 * <p>The input gradient is {@code W^T * dOut}; the weight gradient of selected input channels
 * {@code S} is {@code in[S] * dOut^T}, computed as a {@code |S| x C_out} product against the
 * transposed output gradient, so its cost is proportional to {@code |S|}.
 */
public final class PointwiseConv extends ConvKernel {
    private final int[] weightRows;
    private final int[] transposedRows;
    private final int[] selectedRows;
    private final float[] dOutTransposed;

    PointwiseConv(int inChannels, int outChannels, int height, int width, int maxBatch) {
        super(inChannels, outChannels, 1, 1, 0, height, width, maxBatch);
        weightRows = rowOffsets(outChannels, inChannels);
        transposedRows = rowOffsets(inChannels, 1);
        selectedRows = new int[inChannels];
        dOutTransposed = new float[outPlane * outChannels];
    }

    @Override
    public void forward(float[] in, float[] w, float[] b, float[] skip, float[] out, int batch, boolean relu6) {
        checkBatch(batch);
        initOutput(b, skip, out, batch);
        for (int n = 0; n < batch; n++) {
            Gemm.multiplyAdd(outChannels, inPlane, inChannels, w, weightRows, 1,
                    in, n * inChannels * inPlane, inPlane, out, n * outChannels * outPlane, outPlane, relu6);
        }
    }

    @Override
    public void backwardInput(float[] dOut, float[] w, float[] dIn, int batch) {
        checkBatch(batch);
        Arrays.fill(dIn, 0, batch * inChannels * inPlane, 0f);
        for (int n = 0; n < batch; n++) {
            Gemm.multiplyAdd(inChannels, inPlane, outChannels, w, transposedRows, inChannels,
                    dOut, n * outChannels * outPlane, outPlane, dIn, n * inChannels * inPlane, inPlane, false);
        }
    }

    @Override
    public void weightGradient(float[] dOut, float[] in, int batch, int[] channels, int count, float[] dW) {
        checkBatch(batch);
        checkChannels(channels, count);
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
