package io.tinysparse.simulator.engine.kernels;

import java.util.Arrays;

/**
 * One convolution's forward and backward arithmetic for a fixed geometry and a maximum batch,
 * fp32, NCHW tensors starting at offset 0 ({@code [N][C][H][W]}), weights
 * {@code [C_out][C_in / groups][k][k]} (the PyTorch and DL4J layout).
 *
 * <p>The backward pass is split so that a sparse update computes only what it needs:
 * {@link #backwardInput} (the dense input gradient, to reach earlier layers),
 * {@link #weightGradient} for a given list of input channels only (never computed densely and
 * masked), and {@link #biasGradient}. A channel {@code c}'s weight slice is {@code W[:, c, :, :]}
 * ({@link #sliceRows()} rows of {@code k*k} taps) for a dense convolution and the filter
 * {@code W[c, 0, :, :]} (one row) for a depthwise one.
 *
 * <p>Padding is zero, possibly uneven ({@link Padding}):
 * {@code H_out = (H + pad_top + pad_bottom - k) / stride + 1}. Every scratch buffer is
 * allocated in the constructor, so the methods allocate nothing; an instance is therefore not
 * thread-safe (give each thread its own). All results are deterministic and independent of the
 * CPU's vector width.
 */
public abstract sealed class ConvKernel permits PointwiseConv, DepthwiseConv, DenseConv {
    protected final int inChannels;
    protected final int outChannels;
    protected final int kernel;
    protected final int stride;
    /** Zero rows above the input. */
    protected final int padTop;
    /** Zero columns left of the input. */
    protected final int padLeft;
    /** The whole padding (bottom and right only matter for the output size and the phase layout). */
    protected final Padding padding;
    protected final int inHeight;
    protected final int inWidth;
    protected final int outHeight;
    protected final int outWidth;
    protected final int maxBatch;
    /** {@code inHeight * inWidth}. */
    protected final int inPlane;
    /** {@code outHeight * outWidth}. */
    protected final int outPlane;
    private final float[] lanes = new float[Lanes.REDUCTION_LANES];
    private final float[] zeroBias;

    ConvKernel(int inChannels, int outChannels, int kernel, int stride, Padding padding,
            int inHeight, int inWidth, int maxBatch) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding == null
                || inHeight < 1 || inWidth < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("bad convolution geometry: C_in=" + inChannels + " C_out=" + outChannels
                    + " k=" + kernel + " stride=" + stride + " pad=" + padding + " H=" + inHeight + " W=" + inWidth
                    + " batch=" + maxBatch);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.padTop = padding.top();
        this.padLeft = padding.left();
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.outHeight = Math.floorDiv(inHeight + padding.top() + padding.bottom() - kernel, stride) + 1;
        this.outWidth = Math.floorDiv(inWidth + padding.left() + padding.right() - kernel, stride) + 1;
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("kernel " + kernel + " does not fit input " + inHeight + "x" + inWidth
                    + " with padding " + padding);
        }
        this.maxBatch = maxBatch;
        this.inPlane = inHeight * inWidth;
        this.outPlane = outHeight * outWidth;
        this.zeroBias = new float[outChannels];
    }

    /**
     * The kernel for a convolution with {@code padding} zeros on every side; see
     * {@link #create(int, int, int, int, Padding, int, int, int, int)}.
     */
    public static ConvKernel create(int inChannels, int outChannels, int kernel, int stride, int padding, int groups,
            int inHeight, int inWidth, int maxBatch) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        return create(inChannels, outChannels, kernel, stride, Padding.symmetric(padding), groups, inHeight, inWidth,
                maxBatch);
    }

    /**
     * The kernel for a convolution: {@link PointwiseConv} for 1x1 stride 1 without padding,
     * {@link DepthwiseConv} for {@code groups == C_in == C_out}, {@link DenseConv} for other
     * {@code groups == 1} convolutions.
     *
     * @throws IllegalArgumentException for other groupings
     */
    public static ConvKernel create(int inChannels, int outChannels, int kernel, int stride, Padding padding,
            int groups, int inHeight, int inWidth, int maxBatch) {
        if (groups == 1 && kernel == 1 && stride == 1 && padding.isNone()) {
            return new PointwiseConv(inChannels, outChannels, inHeight, inWidth, maxBatch);
        }
        if (groups == 1) {
            return new DenseConv(inChannels, outChannels, kernel, stride, padding, inHeight, inWidth, maxBatch);
        }
        if (groups == inChannels && groups == outChannels) {
            return new DepthwiseConv(inChannels, kernel, stride, padding, inHeight, inWidth, maxBatch);
        }
        throw new IllegalArgumentException("unsupported convolution: groups " + groups + " with C_in " + inChannels
                + " and C_out " + outChannels + " (only dense and depthwise)");
    }

    /**
     * {@code out = clamp(conv(in, w) + b + skip)} for {@code batch} samples.
     *
     * @param b     per-output-channel bias, or null for none
     * @param skip  a tensor shaped like {@code out} to add (the residual), or null
     * @param relu6 whether to clamp to [0, 6]
     */
    public abstract void forward(float[] in, float[] w, float[] b, float[] skip, float[] out, int batch, boolean relu6);

    /** {@code dIn = dL/d(in)} given {@code dOut = dL/d(out)} (before any activation), overwriting {@code dIn}. */
    public abstract void backwardInput(float[] dOut, float[] w, float[] dIn, int batch);

    /**
     * The weight gradient of the slices of input channels {@code channels[0 .. count)} only,
     * summed over the batch: {@code dW[j * weightsPerChannel() + r * k*k + t]} is the gradient of
     * row {@code r}, tap {@code t} of channel {@code channels[j]}'s slice. Overwrites
     * {@code dW[0 .. count * weightsPerChannel())}.
     */
    public abstract void weightGradient(float[] dOut, float[] in, int batch, int[] channels, int count, float[] dW);

    /** {@code db[c] = sum over samples and positions of dOut[n][c]}, overwriting {@code db}. */
    public final void biasGradient(float[] dOut, int batch, float[] db) {
        for (int c = 0; c < outChannels; c++) {
            Arrays.fill(lanes, 0f);
            for (int n = 0; n < batch; n++) {
                Lanes.sumAccumulate(dOut, (n * outChannels + c) * outPlane, outPlane, lanes, 0);
            }
            db[c] = Lanes.total(lanes, 0);
        }
    }

    /** Input channels whose weights can be selected (for depthwise: the channels). */
    public int inChannels() {
        return inChannels;
    }

    /** Output channels. */
    public int outChannels() {
        return outChannels;
    }

    /** The zero padding around the input. */
    public Padding padding() {
        return padding;
    }

    /** Output height. */
    public int outHeight() {
        return outHeight;
    }

    /** Output width. */
    public int outWidth() {
        return outWidth;
    }

    /** Elements of one input sample, {@code C_in * H * W}. */
    public int inputSize() {
        return inChannels * inPlane;
    }

    /** Elements of one output sample, {@code C_out * H_out * W_out}. */
    public int outputSize() {
        return outChannels * outPlane;
    }

    /** Number of weights. */
    public abstract int weightCount();

    /** Rows of one channel's weight slice: {@code C_out} for dense convolutions, 1 for depthwise. */
    public abstract int sliceRows();

    /** Weights in one channel's slice: {@code sliceRows() * k * k}. */
    public final int weightsPerChannel() {
        return sliceRows() * kernel * kernel;
    }

    /** Index in the weight array of row {@code r}, tap 0 of channel {@code c}'s slice. */
    public abstract int sliceOffset(int channel, int row);

    /**
     * Index in a {@code [C_out][C_in / groups][k][k]} weight array of row {@code row}, tap 0 of
     * input channel {@code channel}'s slice: {@code (row * C_in/groups + channel) * k*k}. For a
     * depthwise convolution ({@code C_in/groups == 1}, one row) that is {@code channel * k*k}.
     */
    public static int sliceOffset(int inChannelsPerGroup, int taps, int channel, int row) {
        return (row * inChannelsPerGroup + channel) * taps;
    }

    /** Multiply-accumulates of {@link #forward} for {@code batch} samples. */
    public final long forwardMacs(int batch) {
        return (long) batch * outPlane * weightCount();
    }

    /** Multiply-accumulates of {@link #backwardInput} for {@code batch} samples. */
    public final long backwardInputMacs(int batch) {
        return forwardMacs(batch);
    }

    /** Multiply-accumulates of {@link #weightGradient} for {@code count} channels and {@code batch} samples. */
    public final long weightGradientMacs(int batch, int count) {
        return (long) batch * outPlane * count * weightsPerChannel();
    }

    final void checkBatch(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch " + batch + " outside [1, " + maxBatch + "]");
        }
    }

    final void checkChannels(int[] channels, int count) {
        if (count < 0 || count > inChannels) {
            throw new IllegalArgumentException("channel count " + count + " outside [0, " + inChannels + "]");
        }
        for (int j = 0; j < count; j++) {
            if (channels[j] < 0 || channels[j] >= inChannels) {
                throw new IllegalArgumentException("channel " + channels[j] + " outside [0, " + inChannels + ")");
            }
        }
    }

    /**
     * How a GEMM-based forward pass starts its output rows: from the bias alone when there is
     * no skip (returned as the GEMM's row initialiser; zeros without bias), else from
     * {@code bias + skip} written into {@code out} (returns null: accumulate onto {@code out}).
     */
    final float[] startRows(float[] b, float[] skip, float[] out, int batch) {
        if (skip == null) {
            return b == null ? zeroBias : b;
        }
        initOutput(b, skip, out, batch);
        return null;
    }

    /** {@code out[n][c][p] = b[c] + skip[n][c][p]} (either term optional). */
    final void initOutput(float[] b, float[] skip, float[] out, int batch) {
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < outChannels; c++) {
                int o = (n * outChannels + c) * outPlane;
                float bias = b == null ? 0f : b[c];
                if (skip == null) {
                    Arrays.fill(out, o, o + outPlane, bias);
                } else {
                    for (int p = 0; p < outPlane; p++) {
                        out[o + p] = bias + skip[o + p];
                    }
                }
            }
        }
    }

    /** {@code {0, stride, 2 stride, ...}}: {@code rows} row offsets for {@link Gemm}. */
    static int[] rowOffsets(int rows, int stride) {
        int[] offsets = new int[rows];
        for (int i = 0; i < rows; i++) {
            offsets[i] = i * stride;
        }
        return offsets;
    }

    /** {@code dst[p][c] = src[srcOff + c * plane + p]}: one sample's {@code C x P} gradient, transposed. */
    static void transpose(float[] src, int srcOff, int channels, int plane, float[] dst) {
        for (int c = 0; c < channels; c++) {
            int s = srcOff + c * plane;
            for (int p = 0, d = c; p < plane; p++, d += channels) {
                dst[d] = src[s + p];
            }
        }
    }
}
