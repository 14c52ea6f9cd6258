package io.tinysparse.simulator.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply-accumulate, {@code C += A * B}, the work-horse of 1x1 and
 * dense convolutions (forward, input gradient and per-channel weight gradient).
 *
 * <p>{@code A} is read one scalar at a time (broadcast), so it may have any layout: row
 * {@code i} starts at {@code aRows[i]} and consecutive columns are {@code aColStride} apart.
 * That lets one routine read {@code W}, {@code W}<sup>T</sup> and a selected subset of input
 * channels without copying. {@code B} and {@code C} are row-major with unit column stride;
 * {@code C}'s columns are processed in vectors.
 *
 * <p>Every element of {@code C} is the fused multiply-add chain
 * {@code c = fma(a[i][l], b[l][j], c)} over {@code l = 0 .. k-1}, in that order, whatever the
 * vector width or the column block an element falls in; so results are identical on any CPU.
 * Register blocking: 4 rows x 2 vectors of columns.
 */
public final class Gemm {
    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = Lanes.WIDTH;

    private Gemm() {}

    /**
     * {@code C[i][j] = clamp(C[i][j] + sum_l A[i][l] * B[l][j])} for {@code i < m}, {@code j < n}.
     *
     * @param aRows      offset in {@code a} of row {@code i}, for each {@code i < m}
     * @param aColStride distance in {@code a} between columns {@code l} and {@code l + 1}
     * @param bOff       offset of {@code B[0][0]}
     * @param bRowStride distance between rows of {@code B} (at least {@code n})
     * @param cOff       offset of {@code C[0][0]}
     * @param cRowStride distance between rows of {@code C} (at least {@code n})
     * @param relu6      whether to clamp each result to [0, 6] as it is stored
     */
    public static void multiplyAdd(int m, int n, int k,
            float[] a, int[] aRows, int aColStride,
            float[] b, int bOff, int bRowStride,
            float[] c, int cOff, int cRowStride, boolean relu6) {
        multiply(m, n, k, a, aRows, aColStride, b, bOff, bRowStride, c, cOff, cRowStride, null, relu6);
    }

    /**
     * {@code C[i][j] = clamp(rowInit[i] + sum_l A[i][l] * B[l][j])}: like {@link #multiplyAdd}
     * but starting every row from {@code rowInit[i]} (a bias) instead of reading {@code C}; with
     * {@code rowInit == null} it is {@link #multiplyAdd}.
     */
    public static void multiply(int m, int n, int k,
            float[] a, int[] aRows, int aColStride,
            float[] b, int bOff, int bRowStride,
            float[] c, int cOff, int cRowStride, float[] rowInit, boolean relu6) {
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                block4x2(k, a, aRows[i], aRows[i + 1], aRows[i + 2], aRows[i + 3], aColStride,
                        b, bOff + j, bRowStride, c, cOff + i * cRowStride + j, cRowStride, rowInit, i, relu6);
            }
            for (; i < m; i++) {
                block1x2(k, a, aRows[i], aColStride, b, bOff + j, bRowStride, c, cOff + i * cRowStride + j, rowInit, i,
                        relu6);
            }
        }
        for (; j + L <= n; j += L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                block4x1(k, a, aRows[i], aRows[i + 1], aRows[i + 2], aRows[i + 3], aColStride,
                        b, bOff + j, bRowStride, c, cOff + i * cRowStride + j, cRowStride, rowInit, i, relu6);
            }
            for (; i < m; i++) {
                block1x1(k, a, aRows[i], aColStride, b, bOff + j, bRowStride, c, cOff + i * cRowStride + j, rowInit, i,
                        relu6);
            }
        }
        if (j < n) {
            scalarColumns(m, j, n, k, a, aRows, aColStride, b, bOff, bRowStride, c, cOff, cRowStride, rowInit, relu6);
        }
    }

    /**
     * The starting accumulator of a block: {@code C} itself, or the row initialiser stored into
     * {@code C} first (a conditional store rather than a conditional vector value, because C2
     * in JDK 17 cannot keep a vector that merges two definitions in a register: it would box it).
     */
    private static FloatVector start(float[] c, int off, float[] rowInit, int row) {
        if (rowInit != null) {
            FloatVector.broadcast(S, rowInit[row]).intoArray(c, off);
        }
        return FloatVector.fromArray(S, c, off);
    }

    private static void block4x2(int k, float[] a, int a0, int a1, int a2, int a3, int as,
            float[] b, int bo, int bs, float[] c, int co, int cs, float[] init, int row, boolean relu6) {
        int c1 = co + cs;
        int c2 = c1 + cs;
        int c3 = c2 + cs;
        FloatVector s00 = start(c, co, init, row);
        FloatVector s01 = start(c, co + L, init, row);
        FloatVector s10 = start(c, c1, init, row + 1);
        FloatVector s11 = start(c, c1 + L, init, row + 1);
        FloatVector s20 = start(c, c2, init, row + 2);
        FloatVector s21 = start(c, c2 + L, init, row + 2);
        FloatVector s30 = start(c, c3, init, row + 3);
        FloatVector s31 = start(c, c3 + L, init, row + 3);
        for (int l = 0, ao = 0, bl = bo; l < k; l++, ao += as, bl += bs) {
            FloatVector x0 = FloatVector.fromArray(S, b, bl);
            FloatVector x1 = FloatVector.fromArray(S, b, bl + L);
            FloatVector w = FloatVector.broadcast(S, a[a0 + ao]);
            s00 = w.fma(x0, s00);
            s01 = w.fma(x1, s01);
            w = FloatVector.broadcast(S, a[a1 + ao]);
            s10 = w.fma(x0, s10);
            s11 = w.fma(x1, s11);
            w = FloatVector.broadcast(S, a[a2 + ao]);
            s20 = w.fma(x0, s20);
            s21 = w.fma(x1, s21);
            w = FloatVector.broadcast(S, a[a3 + ao]);
            s30 = w.fma(x0, s30);
            s31 = w.fma(x1, s31);
        }
        store(s00, c, co, relu6);
        store(s01, c, co + L, relu6);
        store(s10, c, c1, relu6);
        store(s11, c, c1 + L, relu6);
        store(s20, c, c2, relu6);
        store(s21, c, c2 + L, relu6);
        store(s30, c, c3, relu6);
        store(s31, c, c3 + L, relu6);
    }

    private static void block1x2(int k, float[] a, int a0, int as, float[] b, int bo, int bs,
            float[] c, int co, float[] init, int row, boolean relu6) {
        FloatVector s0 = start(c, co, init, row);
        FloatVector s1 = start(c, co + L, init, row);
        for (int l = 0, ao = a0, bl = bo; l < k; l++, ao += as, bl += bs) {
            FloatVector w = FloatVector.broadcast(S, a[ao]);
            s0 = w.fma(FloatVector.fromArray(S, b, bl), s0);
            s1 = w.fma(FloatVector.fromArray(S, b, bl + L), s1);
        }
        store(s0, c, co, relu6);
        store(s1, c, co + L, relu6);
    }

    private static void block4x1(int k, float[] a, int a0, int a1, int a2, int a3, int as,
            float[] b, int bo, int bs, float[] c, int co, int cs, float[] init, int row, boolean relu6) {
        int c1 = co + cs;
        int c2 = c1 + cs;
        int c3 = c2 + cs;
        FloatVector s0 = start(c, co, init, row);
        FloatVector s1 = start(c, c1, init, row + 1);
        FloatVector s2 = start(c, c2, init, row + 2);
        FloatVector s3 = start(c, c3, init, row + 3);
        for (int l = 0, ao = 0, bl = bo; l < k; l++, ao += as, bl += bs) {
            FloatVector x = FloatVector.fromArray(S, b, bl);
            s0 = FloatVector.broadcast(S, a[a0 + ao]).fma(x, s0);
            s1 = FloatVector.broadcast(S, a[a1 + ao]).fma(x, s1);
            s2 = FloatVector.broadcast(S, a[a2 + ao]).fma(x, s2);
            s3 = FloatVector.broadcast(S, a[a3 + ao]).fma(x, s3);
        }
        store(s0, c, co, relu6);
        store(s1, c, c1, relu6);
        store(s2, c, c2, relu6);
        store(s3, c, c3, relu6);
    }

    private static void block1x1(int k, float[] a, int a0, int as, float[] b, int bo, int bs,
            float[] c, int co, float[] init, int row, boolean relu6) {
        FloatVector s = start(c, co, init, row);
        for (int l = 0, ao = a0, bl = bo; l < k; l++, ao += as, bl += bs) {
            s = FloatVector.broadcast(S, a[ao]).fma(FloatVector.fromArray(S, b, bl), s);
        }
        store(s, c, co, relu6);
    }

    /** Columns {@code [j0, n)} one element at a time, in the same fma order as the vector blocks. */
    private static void scalarColumns(int m, int j0, int n, int k, float[] a, int[] aRows, int as,
            float[] b, int bOff, int bs, float[] c, int cOff, int cs, float[] init, boolean relu6) {
        for (int i = 0; i < m; i++) {
            int a0 = aRows[i];
            int ci = cOff + i * cs;
            for (int j = j0; j < n; j++) {
                float s = init == null ? c[ci + j] : init[i];
                for (int l = 0, ao = a0, bl = bOff + j; l < k; l++, ao += as, bl += bs) {
                    s = Math.fma(a[ao], b[bl], s);
                }
                c[ci + j] = relu6 ? Math.min(Math.max(s, 0f), 6f) : s;
            }
        }
    }

    private static void store(FloatVector v, float[] c, int off, boolean relu6) {
        (relu6 ? v.max(0f).min(6f) : v).intoArray(c, off);
    }
}
