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
 *
 * <p>JDK 17's C2 keeps vectors in registers only when no vector value flows through a
 * conditional or a non-inlined call; so stores are written out in both branches of the clamp
 * (a helper method here was not inlined into the large blocks and boxed every result, measured
 * at megabytes per training step).
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

    // A block's accumulators start from C, after the row initialiser (if any) was stored there:
    // a conditional store, not a vector chosen by a conditional (see the class comment).

    private static void block4x2(int k, float[] a, int a0, int a1, int a2, int a3, int as,
            float[] b, int bo, int bs, float[] c, int co, int cs, float[] init, int row, boolean relu6) {
        int c1 = co + cs;
        int c2 = c1 + cs;
        int c3 = c2 + cs;
        if (init != null) {
            FloatVector.broadcast(S, init[row]).intoArray(c, co);
            FloatVector.broadcast(S, init[row]).intoArray(c, co + L);
            FloatVector.broadcast(S, init[row + 1]).intoArray(c, c1);
            FloatVector.broadcast(S, init[row + 1]).intoArray(c, c1 + L);
            FloatVector.broadcast(S, init[row + 2]).intoArray(c, c2);
            FloatVector.broadcast(S, init[row + 2]).intoArray(c, c2 + L);
            FloatVector.broadcast(S, init[row + 3]).intoArray(c, c3);
            FloatVector.broadcast(S, init[row + 3]).intoArray(c, c3 + L);
        }
        FloatVector s00 = FloatVector.fromArray(S, c, co);
        FloatVector s01 = FloatVector.fromArray(S, c, co + L);
        FloatVector s10 = FloatVector.fromArray(S, c, c1);
        FloatVector s11 = FloatVector.fromArray(S, c, c1 + L);
        FloatVector s20 = FloatVector.fromArray(S, c, c2);
        FloatVector s21 = FloatVector.fromArray(S, c, c2 + L);
        FloatVector s30 = FloatVector.fromArray(S, c, c3);
        FloatVector s31 = FloatVector.fromArray(S, c, c3 + L);
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
        if (relu6) {
            s00.max(0f).min(6f).intoArray(c, co);
            s01.max(0f).min(6f).intoArray(c, co + L);
            s10.max(0f).min(6f).intoArray(c, c1);
            s11.max(0f).min(6f).intoArray(c, c1 + L);
            s20.max(0f).min(6f).intoArray(c, c2);
            s21.max(0f).min(6f).intoArray(c, c2 + L);
            s30.max(0f).min(6f).intoArray(c, c3);
            s31.max(0f).min(6f).intoArray(c, c3 + L);
        } else {
            s00.intoArray(c, co);
            s01.intoArray(c, co + L);
            s10.intoArray(c, c1);
            s11.intoArray(c, c1 + L);
            s20.intoArray(c, c2);
            s21.intoArray(c, c2 + L);
            s30.intoArray(c, c3);
            s31.intoArray(c, c3 + L);
        }
    }

    private static void block1x2(int k, float[] a, int a0, int as, float[] b, int bo, int bs,
            float[] c, int co, float[] init, int row, boolean relu6) {
        if (init != null) {
            FloatVector.broadcast(S, init[row]).intoArray(c, co);
            FloatVector.broadcast(S, init[row]).intoArray(c, co + L);
        }
        FloatVector s0 = FloatVector.fromArray(S, c, co);
        FloatVector s1 = FloatVector.fromArray(S, c, co + L);
        for (int l = 0, ao = a0, bl = bo; l < k; l++, ao += as, bl += bs) {
            FloatVector w = FloatVector.broadcast(S, a[ao]);
            s0 = w.fma(FloatVector.fromArray(S, b, bl), s0);
            s1 = w.fma(FloatVector.fromArray(S, b, bl + L), s1);
        }
        if (relu6) {
            s0.max(0f).min(6f).intoArray(c, co);
            s1.max(0f).min(6f).intoArray(c, co + L);
        } else {
            s0.intoArray(c, co);
            s1.intoArray(c, co + L);
        }
    }

    private static void block4x1(int k, float[] a, int a0, int a1, int a2, int a3, int as,
            float[] b, int bo, int bs, float[] c, int co, int cs, float[] init, int row, boolean relu6) {
        int c1 = co + cs;
        int c2 = c1 + cs;
        int c3 = c2 + cs;
        if (init != null) {
            FloatVector.broadcast(S, init[row]).intoArray(c, co);
            FloatVector.broadcast(S, init[row + 1]).intoArray(c, c1);
            FloatVector.broadcast(S, init[row + 2]).intoArray(c, c2);
            FloatVector.broadcast(S, init[row + 3]).intoArray(c, c3);
        }
        FloatVector s0 = FloatVector.fromArray(S, c, co);
        FloatVector s1 = FloatVector.fromArray(S, c, c1);
        FloatVector s2 = FloatVector.fromArray(S, c, c2);
        FloatVector s3 = FloatVector.fromArray(S, c, c3);
        for (int l = 0, ao = 0, bl = bo; l < k; l++, ao += as, bl += bs) {
            FloatVector x = FloatVector.fromArray(S, b, bl);
            s0 = FloatVector.broadcast(S, a[a0 + ao]).fma(x, s0);
            s1 = FloatVector.broadcast(S, a[a1 + ao]).fma(x, s1);
            s2 = FloatVector.broadcast(S, a[a2 + ao]).fma(x, s2);
            s3 = FloatVector.broadcast(S, a[a3 + ao]).fma(x, s3);
        }
        if (relu6) {
            s0.max(0f).min(6f).intoArray(c, co);
            s1.max(0f).min(6f).intoArray(c, c1);
            s2.max(0f).min(6f).intoArray(c, c2);
            s3.max(0f).min(6f).intoArray(c, c3);
        } else {
            s0.intoArray(c, co);
            s1.intoArray(c, c1);
            s2.intoArray(c, c2);
            s3.intoArray(c, c3);
        }
    }

    private static void block1x1(int k, float[] a, int a0, int as, float[] b, int bo, int bs,
            float[] c, int co, float[] init, int row, boolean relu6) {
        if (init != null) {
            FloatVector.broadcast(S, init[row]).intoArray(c, co);
        }
        FloatVector s = FloatVector.fromArray(S, c, co);
        for (int l = 0, ao = a0, bl = bo; l < k; l++, ao += as, bl += bs) {
            s = FloatVector.broadcast(S, a[ao]).fma(FloatVector.fromArray(S, b, bl), s);
        }
        if (relu6) {
            s.max(0f).min(6f).intoArray(c, co);
        } else {
            s.intoArray(c, co);
        }
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

    /**
     * The same product as {@link #multiply}, for a narrow {@code C} (few columns, e.g. the
     * 2x2 or 1x1 planes of small inputs), vectorised along the rows instead: {@code A} is given
     * transposed ({@code at[atOff + l * atRowStride + i] = A[i][l]}, contiguous in {@code i}).
     * Every element is the same fused multiply-add chain as in {@link #multiply}, so the two
     * give identical bits. {@code scratch} holds at least {@code m} floats.
     */
    public static void multiplyNarrow(int m, int n, int k,
            float[] at, int atOff, int atRowStride,
            float[] b, int bOff, int bRowStride,
            float[] c, int cOff, int cRowStride, float[] rowInit, boolean relu6, float[] scratch) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                scratch[i] = rowInit == null ? c[cOff + i * cRowStride + j] : rowInit[i];
            }
            int i = 0;
            for (; i + 2 * L <= m; i += 2 * L) {
                FloatVector s0 = FloatVector.fromArray(S, scratch, i);
                FloatVector s1 = FloatVector.fromArray(S, scratch, i + L);
                for (int l = 0, ao = atOff + i, bl = bOff + j; l < k; l++, ao += atRowStride, bl += bRowStride) {
                    FloatVector w = FloatVector.broadcast(S, b[bl]);
                    s0 = FloatVector.fromArray(S, at, ao).fma(w, s0);
                    s1 = FloatVector.fromArray(S, at, ao + L).fma(w, s1);
                }
                s0.intoArray(scratch, i);
                s1.intoArray(scratch, i + L);
            }
            for (; i + L <= m; i += L) {
                FloatVector s0 = FloatVector.fromArray(S, scratch, i);
                for (int l = 0, ao = atOff + i, bl = bOff + j; l < k; l++, ao += atRowStride, bl += bRowStride) {
                    s0 = FloatVector.fromArray(S, at, ao).fma(FloatVector.broadcast(S, b[bl]), s0);
                }
                s0.intoArray(scratch, i);
            }
            for (; i < m; i++) {
                float acc = scratch[i];
                for (int l = 0, ao = atOff + i, bl = bOff + j; l < k; l++, ao += atRowStride, bl += bRowStride) {
                    acc = Math.fma(at[ao], b[bl], acc);
                }
                scratch[i] = acc;
            }
            for (int r = 0; r < m; r++) {
                float v = scratch[r];
                c[cOff + r * cRowStride + j] = relu6 ? Math.min(Math.max(v, 0f), 6f) : v;
            }
        }
    }
}
