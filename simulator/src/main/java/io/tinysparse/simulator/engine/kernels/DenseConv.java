package io.tinysparse.simulator.engine.kernels;

import java.util.Arrays;

/**
 * A dense ({@code groups == 1}) k x k convolution with stride and zero padding, through an
 * explicit column matrix ({@code im2col}): row {@code (c, ky, kx)} of the
 * {@code C_in k^2 x (H_out W_out)} matrix holds the input pixels tap {@code (ky, kx)} of
 * channel {@code c} reads. Forward and gradients are then {@link Gemm} products; the input
 * gradient scatters the column gradient back ({@code col2im}). Meant for the stem
 * (3 input channels), where the column matrix is small.
 */
public final class DenseConv extends ConvKernel {
    private final int taps;
    private final int colRows;
    private final float[] col;
    private final int[] weightRows;
    private final int[] transposedRows;
    private final int[] selectedRows;
    private final float[] dOutTransposed;
    private final float[] sliceGradient;

    DenseConv(int inChannels, int outChannels, int kernel, int stride, Padding padding,
            int inHeight, int inWidth, int maxBatch) {
        super(inChannels, outChannels, kernel, stride, padding, inHeight, inWidth, maxBatch);
        taps = kernel * kernel;
        colRows = inChannels * taps;
        col = new float[colRows * outPlane];
        weightRows = rowOffsets(outChannels, colRows);
        transposedRows = rowOffsets(colRows, 1);
        selectedRows = new int[colRows];
        dOutTransposed = new float[outPlane * outChannels];
        sliceGradient = new float[colRows * outChannels];
    }

    @Override
    public void forward(float[] in, float[] w, float[] b, float[] skip, float[] out, int batch, boolean relu6) {
        checkBatch(batch);
        float[] rowInit = startRows(b, skip, out, batch);
        for (int n = 0; n < batch; n++) {
            toColumns(in, n * inChannels * inPlane);
            Gemm.multiply(outChannels, outPlane, colRows, w, weightRows, 1,
                    col, 0, outPlane, out, n * outChannels * outPlane, outPlane, rowInit, relu6);
        }
    }

    @Override
    public void backwardInput(float[] dOut, float[] w, float[] dIn, int batch) {
        checkBatch(batch);
        Arrays.fill(dIn, 0, batch * inChannels * inPlane, 0f);
        for (int n = 0; n < batch; n++) {
            Arrays.fill(col, 0f);
            Gemm.multiplyAdd(colRows, outPlane, outChannels, w, transposedRows, colRows,
                    dOut, n * outChannels * outPlane, outPlane, col, 0, outPlane, false);
            fromColumns(dIn, n * inChannels * inPlane);
        }
    }

    @Override
    public void weightGradient(float[] dOut, float[] in, int batch, int[] channels, int count, float[] dW) {
        checkBatch(batch);
        checkChannels(channels, count);
        int rows = count * taps;
        Arrays.fill(sliceGradient, 0, rows * outChannels, 0f);
        for (int n = 0; n < batch; n++) {
            toColumns(in, n * inChannels * inPlane);
            transpose(dOut, n * outChannels * outPlane, outChannels, outPlane, dOutTransposed);
            for (int j = 0; j < count; j++) {
                for (int t = 0; t < taps; t++) {
                    selectedRows[j * taps + t] = (channels[j] * taps + t) * outPlane;
                }
            }
            Gemm.multiplyAdd(rows, outChannels, outPlane, col, selectedRows, 1,
                    dOutTransposed, 0, outChannels, sliceGradient, 0, outChannels, false);
        }
        // sliceGradient is [j][t][co]; the slice layout is [j][co][t].
        for (int j = 0; j < count; j++) {
            for (int co = 0; co < outChannels; co++) {
                for (int t = 0; t < taps; t++) {
                    dW[(j * outChannels + co) * taps + t] = sliceGradient[(j * taps + t) * outChannels + co];
                }
            }
        }
    }

    private void toColumns(float[] in, int inOff) {
        moveColumns(in, inOff, true);
    }

    private void fromColumns(float[] dIn, int dInOff) {
        moveColumns(dIn, dInOff, false);
    }

    /**
     * Walks every (channel, tap, output row): gathers the input pixels into {@link #col} (zero
     * where the tap reads padding), or adds the column elements back onto the pixels. The
     * columns whose tap falls inside the input are {@code [x0, x1)}, found once per tap.
     */
    private void moveColumns(float[] tensor, int off, boolean gather) {
        for (int c = 0; c < inChannels; c++) {
            for (int ky = 0; ky < kernel; ky++) {
                for (int kx = 0; kx < kernel; kx++) {
                    int row = ((c * kernel + ky) * kernel + kx) * outPlane;
                    int shift = kx - padLeft;
                    int x0 = Math.min(outWidth, Math.max(0, ceilDiv(-shift, stride)));
                    int x1 = Math.max(x0, Math.min(outWidth, Math.floorDiv(inWidth - 1 - shift, stride) + 1));
                    for (int y = 0; y < outHeight; y++) {
                        int iy = y * stride + ky - padTop;
                        int o = row + y * outWidth;
                        if (iy < 0 || iy >= inHeight) {
                            if (gather) {
                                Arrays.fill(col, o, o + outWidth, 0f);
                            }
                            continue;
                        }
                        int t = off + (c * inHeight + iy) * inWidth + shift;
                        if (gather) {
                            Arrays.fill(col, o, o + x0, 0f);
                            for (int x = x0, ix = t + x0 * stride; x < x1; x++, ix += stride) {
                                col[o + x] = tensor[ix];
                            }
                            Arrays.fill(col, o + x1, o + outWidth, 0f);
                        } else {
                            for (int x = x0, ix = t + x0 * stride; x < x1; x++, ix += stride) {
                                tensor[ix] += col[o + x];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public int weightCount() {
        return outChannels * colRows;
    }

    @Override
    public int sliceRows() {
        return outChannels;
    }

    @Override
    public int sliceOffset(int channel, int row) {
        return sliceOffset(inChannels, taps, channel, row);
    }
}
