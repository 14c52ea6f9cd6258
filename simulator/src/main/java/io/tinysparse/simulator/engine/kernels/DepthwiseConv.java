package io.tinysparse.simulator.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A depthwise k x k convolution ({@code groups == C_in == C_out}): channel {@code c} is
 * filtered by its own {@code k x k} kernel {@code W[c, 0, :, :]}.
 *
 * <p>To vectorise any stride with unit-stride loads, each input plane is zero-padded and split
 * into {@code stride^2} phase planes (even/odd rows and columns for stride 2), each
 * {@code wq = ceil((W + pad_left + pad_right) / stride)} wide (uneven padding only moves where
 * the input lands in that layout). In that layout every tap {@code (ky, kx)} reads
 * its phase plane at a constant offset from the output position {@code q = y * wq + x}, so the
 * convolution becomes a sum of shifted vectors over a flat index ({@code wq - W_out} columns
 * per row are computed and discarded). The input gradient runs the same scheme backwards, and
 * the weight gradient is one dot product per tap over the flat index (with the deterministic
 * {@link Lanes} reduction).
 */
public final class DepthwiseConv extends ConvKernel {
    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = Lanes.WIDTH;

    /** Test hook: whether 3x3 weight gradients take the fused nine-tap pass (when the vector width allows). */
    static boolean fusedTapDots = true;

    private final int taps;
    private final int wq;
    /** Output positions in the flat (phase-plane-wide) index, rounded up to 16. */
    private final int flatLen;
    /** Elements of one phase plane (with zero slack for over-reads). */
    private final int planeLen;
    /** Flat positions of the phase planes that the input gradient computes, rounded up to 16. */
    private final int gradLen;
    /** Leading zeros of {@link #flatGrad}, so that backward taps may read before position 0. */
    private final int lead;
    private final int[] tapOffset;
    private final int[] tapShift;
    private final int[][] planeTaps;
    /** Position in {@link #phases} of each input pixel. */
    private final int[] inputMap;
    private final float[] phases;
    private final float[] flatOut;
    private final float[] flatGrad;
    private final float[] phaseGrad;
    private final float[] tapLanes;

    DepthwiseConv(int channels, int kernel, int stride, Padding padding, int inHeight, int inWidth, int maxBatch) {
        super(channels, channels, kernel, stride, padding, inHeight, inWidth, maxBatch);
        taps = kernel * kernel;
        int hp = inHeight + padding.top() + padding.bottom();
        int wp = inWidth + padding.left() + padding.right();
        wq = (wp + stride - 1) / stride;
        int hq = (hp + stride - 1) / stride;
        int reach = (kernel - 1) / stride;
        int maxShift = reach * wq + reach;
        flatLen = Lanes.roundUp16(outHeight * wq);
        gradLen = Lanes.roundUp16(hq * wq);
        planeLen = Lanes.roundUp16(Math.max(hq * wq, flatLen + maxShift));
        lead = Lanes.roundUp16(maxShift);
        tapOffset = new int[taps];
        tapShift = new int[taps];
        int[] perPlane = new int[stride * stride];
        for (int ky = 0; ky < kernel; ky++) {
            for (int kx = 0; kx < kernel; kx++) {
                int t = ky * kernel + kx;
                int plane = (ky % stride) * stride + kx % stride;
                tapShift[t] = (ky / stride) * wq + kx / stride;
                tapOffset[t] = plane * planeLen + tapShift[t];
                perPlane[plane]++;
            }
        }
        planeTaps = new int[stride * stride][];
        for (int p = 0; p < planeTaps.length; p++) {
            planeTaps[p] = new int[perPlane[p]];
            perPlane[p] = 0;
        }
        for (int t = 0; t < taps; t++) {
            int plane = ((t / kernel) % stride) * stride + (t % kernel) % stride;
            planeTaps[plane][perPlane[plane]++] = t;
        }
        inputMap = new int[inPlane];
        for (int iy = 0; iy < inHeight; iy++) {
            for (int ix = 0; ix < inWidth; ix++) {
                int r = iy + padTop;
                int c = ix + padLeft;
                inputMap[iy * inWidth + ix] = ((r % stride) * stride + c % stride) * planeLen + (r / stride) * wq + c / stride;
            }
        }
        phases = new float[stride * stride * planeLen];
        flatOut = new float[flatLen];
        flatGrad = new float[lead + Math.max(flatLen, gradLen) + 16];
        phaseGrad = new float[stride * stride * planeLen];
        tapLanes = new float[taps * Lanes.REDUCTION_LANES];
    }

    @Override
    public void forward(float[] in, float[] w, float[] b, float[] skip, float[] out, int batch, boolean relu6) {
        checkBatch(batch);
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < inChannels; c++) {
                int plane = n * inChannels + c;
                loadPhases(in, plane * inPlane);
                convolveFlat(w, c * taps, b == null ? 0f : b[c]);
                int o = plane * outPlane;
                for (int y = 0; y < outHeight; y++) {
                    storeRow(flatOut, y * wq, skip, out, o + y * outWidth, relu6);
                }
            }
        }
    }

    @Override
    public void backwardInput(float[] dOut, float[] w, float[] dIn, int batch) {
        checkBatch(batch);
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < inChannels; c++) {
                int plane = n * inChannels + c;
                loadGradient(dOut, plane * outPlane);
                for (int p = 0; p < planeTaps.length; p++) {
                    transposedFlat(w, c * taps, planeTaps[p], p * planeLen);
                }
                int d = plane * inPlane;
                if (stride == 1) {
                    for (int iy = 0; iy < inHeight; iy++) {
                        System.arraycopy(phaseGrad, inputMap[iy * inWidth], dIn, d + iy * inWidth, inWidth);
                    }
                } else {
                    for (int i = 0; i < inPlane; i++) {
                        dIn[d + i] = phaseGrad[inputMap[i]];
                    }
                }
            }
        }
    }

    @Override
    public void weightGradient(float[] dOut, float[] in, int batch, int[] channels, int count, float[] dW) {
        checkBatch(batch);
        checkChannels(channels, count);
        for (int j = 0; j < count; j++) {
            int c = channels[j];
            Arrays.fill(tapLanes, 0f);
            for (int n = 0; n < batch; n++) {
                loadPhases(in, (n * inChannels + c) * inPlane);
                loadGradient(dOut, (n * inChannels + c) * outPlane);
                if (fusedTapDots && taps == 9 && L == Lanes.REDUCTION_LANES) {
                    tapDots9();
                } else {
                    for (int t = 0; t < taps; t++) {
                        Lanes.dotAccumulate(flatGrad, lead, phases, tapOffset[t], flatLen, tapLanes,
                                t * Lanes.REDUCTION_LANES);
                    }
                }
            }
            for (int t = 0; t < taps; t++) {
                dW[j * taps + t] = Lanes.total(tapLanes, t * Lanes.REDUCTION_LANES);
            }
        }
    }

    /** {@code out[d + x] = clamp(flat[f + x] (+ skip[d + x]))} for one output row. */
    private void storeRow(float[] flat, int f, float[] skip, float[] out, int d, boolean relu6) {
        int x = 0;
        for (; x + L <= outWidth; x += L) {
            // Branches around whole statements: a vector chosen by a conditional would be boxed by C2.
            FloatVector v = FloatVector.fromArray(S, flat, f + x);
            if (skip == null && !relu6) {
                v.intoArray(out, d + x);
            } else if (skip == null) {
                v.max(0f).min(6f).intoArray(out, d + x);
            } else if (!relu6) {
                v.add(FloatVector.fromArray(S, skip, d + x)).intoArray(out, d + x);
            } else {
                v.add(FloatVector.fromArray(S, skip, d + x)).max(0f).min(6f).intoArray(out, d + x);
            }
        }
        for (; x < outWidth; x++) {
            float v = skip == null ? flat[f + x] : flat[f + x] + skip[d + x];
            out[d + x] = relu6 ? Math.min(Math.max(v, 0f), 6f) : v;
        }
    }

    /**
     * The nine {@link Lanes#dotAccumulate} calls of a 3x3 weight gradient in one pass over the
     * gradient, when a vector is exactly the 16 reduction lanes (same bits as the calls).
     */
    private void tapDots9() {
        float[] x = phases;
        float[] lanes = tapLanes;
        FloatVector a0 = FloatVector.fromArray(S, lanes, 0);
        FloatVector a1 = FloatVector.fromArray(S, lanes, 16);
        FloatVector a2 = FloatVector.fromArray(S, lanes, 32);
        FloatVector a3 = FloatVector.fromArray(S, lanes, 48);
        FloatVector a4 = FloatVector.fromArray(S, lanes, 64);
        FloatVector a5 = FloatVector.fromArray(S, lanes, 80);
        FloatVector a6 = FloatVector.fromArray(S, lanes, 96);
        FloatVector a7 = FloatVector.fromArray(S, lanes, 112);
        FloatVector a8 = FloatVector.fromArray(S, lanes, 128);
        int o0 = tapOffset[0];
        int o1 = tapOffset[1];
        int o2 = tapOffset[2];
        int o3 = tapOffset[3];
        int o4 = tapOffset[4];
        int o5 = tapOffset[5];
        int o6 = tapOffset[6];
        int o7 = tapOffset[7];
        int o8 = tapOffset[8];
        for (int q = 0; q < flatLen; q += 16) {
            FloatVector d = FloatVector.fromArray(S, flatGrad, lead + q);
            a0 = FloatVector.fromArray(S, x, q + o0).fma(d, a0);
            a1 = FloatVector.fromArray(S, x, q + o1).fma(d, a1);
            a2 = FloatVector.fromArray(S, x, q + o2).fma(d, a2);
            a3 = FloatVector.fromArray(S, x, q + o3).fma(d, a3);
            a4 = FloatVector.fromArray(S, x, q + o4).fma(d, a4);
            a5 = FloatVector.fromArray(S, x, q + o5).fma(d, a5);
            a6 = FloatVector.fromArray(S, x, q + o6).fma(d, a6);
            a7 = FloatVector.fromArray(S, x, q + o7).fma(d, a7);
            a8 = FloatVector.fromArray(S, x, q + o8).fma(d, a8);
        }
        a0.intoArray(lanes, 0);
        a1.intoArray(lanes, 16);
        a2.intoArray(lanes, 32);
        a3.intoArray(lanes, 48);
        a4.intoArray(lanes, 64);
        a5.intoArray(lanes, 80);
        a6.intoArray(lanes, 96);
        a7.intoArray(lanes, 112);
        a8.intoArray(lanes, 128);
    }

    /** Scatters one input plane into the phase planes; padding positions stay zero from construction. */
    private void loadPhases(float[] in, int off) {
        if (stride == 1) {
            for (int iy = 0; iy < inHeight; iy++) {
                System.arraycopy(in, off + iy * inWidth, phases, inputMap[iy * inWidth], inWidth);
            }
        } else {
            for (int i = 0; i < inPlane; i++) {
                phases[inputMap[i]] = in[off + i];
            }
        }
    }

    /** Copies one output-gradient plane into the flat layout; the discarded columns stay zero. */
    private void loadGradient(float[] dOut, int off) {
        for (int y = 0; y < outHeight; y++) {
            System.arraycopy(dOut, off + y * outWidth, flatGrad, lead + y * wq, outWidth);
        }
    }

    /** {@code flatOut[q] = bias + sum_t w[t] * phases[q + tapOffset[t]]}. */
    private void convolveFlat(float[] w, int wOff, float bias) {
        int q = 0;
        if (taps == 9) {
            q = convolveFlat9(w, wOff, bias);
        }
        for (; q + L <= flatLen; q += L) {
            FloatVector acc = FloatVector.broadcast(S, bias);
            for (int t = 0; t < taps; t++) {
                acc = FloatVector.broadcast(S, w[wOff + t]).fma(FloatVector.fromArray(S, phases, q + tapOffset[t]), acc);
            }
            acc.intoArray(flatOut, q);
        }
        for (; q < flatLen; q++) {
            float acc = bias;
            for (int t = 0; t < taps; t++) {
                acc = Math.fma(w[wOff + t], phases[q + tapOffset[t]], acc);
            }
            flatOut[q] = acc;
        }
    }

    /** {@link #convolveFlat} for 3x3 kernels, taps kept in registers; returns where it stopped. */
    private int convolveFlat9(float[] w, int wOff, float bias) {
        FloatVector w0 = FloatVector.broadcast(S, w[wOff]);
        FloatVector w1 = FloatVector.broadcast(S, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(S, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(S, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(S, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(S, w[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(S, w[wOff + 8]);
        int o0 = tapOffset[0];
        int o1 = tapOffset[1];
        int o2 = tapOffset[2];
        int o3 = tapOffset[3];
        int o4 = tapOffset[4];
        int o5 = tapOffset[5];
        int o6 = tapOffset[6];
        int o7 = tapOffset[7];
        int o8 = tapOffset[8];
        float[] x = phases;
        FloatVector b = FloatVector.broadcast(S, bias);
        int q = 0;
        for (; q + L <= flatLen; q += L) {
            FloatVector acc = w0.fma(FloatVector.fromArray(S, x, q + o0), b);
            acc = w1.fma(FloatVector.fromArray(S, x, q + o1), acc);
            acc = w2.fma(FloatVector.fromArray(S, x, q + o2), acc);
            acc = w3.fma(FloatVector.fromArray(S, x, q + o3), acc);
            acc = w4.fma(FloatVector.fromArray(S, x, q + o4), acc);
            acc = w5.fma(FloatVector.fromArray(S, x, q + o5), acc);
            acc = w6.fma(FloatVector.fromArray(S, x, q + o6), acc);
            acc = w7.fma(FloatVector.fromArray(S, x, q + o7), acc);
            acc = w8.fma(FloatVector.fromArray(S, x, q + o8), acc);
            acc.intoArray(flatOut, q);
        }
        return q;
    }

    /** {@code phaseGrad[base + r] = sum over the plane's taps t of w[t] * flatGrad[lead + r - tapShift[t]]}. */
    private void transposedFlat(float[] w, int wOff, int[] planeTapList, int base) {
        int r = 0;
        for (; r + L <= gradLen; r += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int t : planeTapList) {
                acc = FloatVector.broadcast(S, w[wOff + t]).fma(FloatVector.fromArray(S, flatGrad, lead + r - tapShift[t]), acc);
            }
            acc.intoArray(phaseGrad, base + r);
        }
        for (; r < gradLen; r++) {
            float acc = 0f;
            for (int t : planeTapList) {
                acc = Math.fma(w[wOff + t], flatGrad[lead + r - tapShift[t]], acc);
            }
            phaseGrad[base + r] = acc;
        }
    }

    @Override
    public int weightCount() {
        return inChannels * taps;
    }

    @Override
    public int sliceRows() {
        return 1;
    }

    @Override
    public int sliceOffset(int channel, int row) {
        return sliceOffset(1, taps, channel, row);
    }
}
