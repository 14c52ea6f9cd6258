package io.tinysparse.simulator.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width the kernels use, and reductions whose result does not depend on it.
 *
 * <p>Element-wise kernels (GEMM, depthwise taps) compute every output element with the same
 * sequence of fused multiply-adds whatever the vector width, so they use the widest species
 * the CPU offers. A reduction would normally change its rounding with the vector width; the
 * ones here instead accumulate into {@value #REDUCTION_LANES} fixed "virtual lanes" (element
 * {@code i} of a sum goes to lane {@code i % 16}) and add the lanes in a fixed order, so a run
 * gives the same bits on a 128-, 256- or 512-bit machine. That is what makes a search
 * reproducible bit for bit on a heterogeneous cluster.
 */
final class Lanes {
    /** The preferred float species of this CPU (16 lanes with AVX-512, 8 with AVX2). */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Lanes of {@link #SPECIES}. */
    static final int WIDTH = SPECIES.length();
    /** Virtual lanes of the deterministic reductions. */
    static final int REDUCTION_LANES = 16;

    private static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;

    private Lanes() {}

    /** {@code n} rounded up to a multiple of 16 (which is a multiple of every species width used). */
    static int roundUp16(int n) {
        return (n + 15) & ~15;
    }

    /**
     * {@code lanes[lanesOff + i % 16] += a[aOff + i] * b[bOff + i]} (fused) for {@code i} in
     * {@code [0, len)}, in increasing {@code i}.
     */
    static void dotAccumulate(float[] a, int aOff, float[] b, int bOff, int len, float[] lanes, int lanesOff) {
        int i = 0;
        int full = len & ~15;
        if (WIDTH == 16) {
            FloatVector acc = FloatVector.fromArray(S16, lanes, lanesOff);
            for (; i < full; i += 16) {
                acc = FloatVector.fromArray(S16, a, aOff + i).fma(FloatVector.fromArray(S16, b, bOff + i), acc);
            }
            acc.intoArray(lanes, lanesOff);
        } else if (WIDTH == 8 || WIDTH == 32 || WIDTH == 64) {
            FloatVector acc0 = FloatVector.fromArray(S8, lanes, lanesOff);
            FloatVector acc1 = FloatVector.fromArray(S8, lanes, lanesOff + 8);
            for (; i < full; i += 16) {
                acc0 = FloatVector.fromArray(S8, a, aOff + i).fma(FloatVector.fromArray(S8, b, bOff + i), acc0);
                acc1 = FloatVector.fromArray(S8, a, aOff + i + 8).fma(FloatVector.fromArray(S8, b, bOff + i + 8), acc1);
            }
            acc0.intoArray(lanes, lanesOff);
            acc1.intoArray(lanes, lanesOff + 8);
        }
        for (; i < len; i++) {
            int l = lanesOff + (i & 15);
            lanes[l] = Math.fma(a[aOff + i], b[bOff + i], lanes[l]);
        }
    }

    /** {@code lanes[lanesOff + i % 16] += a[aOff + i]} for {@code i} in {@code [0, len)}, in increasing {@code i}. */
    static void sumAccumulate(float[] a, int aOff, int len, float[] lanes, int lanesOff) {
        int i = 0;
        int full = len & ~15;
        if (WIDTH == 16) {
            FloatVector acc = FloatVector.fromArray(S16, lanes, lanesOff);
            for (; i < full; i += 16) {
                acc = acc.add(FloatVector.fromArray(S16, a, aOff + i));
            }
            acc.intoArray(lanes, lanesOff);
        } else if (WIDTH == 8 || WIDTH == 32 || WIDTH == 64) {
            FloatVector acc0 = FloatVector.fromArray(S8, lanes, lanesOff);
            FloatVector acc1 = FloatVector.fromArray(S8, lanes, lanesOff + 8);
            for (; i < full; i += 16) {
                acc0 = acc0.add(FloatVector.fromArray(S8, a, aOff + i));
                acc1 = acc1.add(FloatVector.fromArray(S8, a, aOff + i + 8));
            }
            acc0.intoArray(lanes, lanesOff);
            acc1.intoArray(lanes, lanesOff + 8);
        }
        for (; i < len; i++) {
            int l = lanesOff + (i & 15);
            lanes[l] += a[aOff + i];
        }
    }

    /** The sum of the 16 lanes at {@code off}, in a fixed pairwise order. */
    static float total(float[] lanes, int off) {
        float s0 = (lanes[off] + lanes[off + 8]) + (lanes[off + 4] + lanes[off + 12]);
        float s1 = (lanes[off + 2] + lanes[off + 10]) + (lanes[off + 6] + lanes[off + 14]);
        float s2 = (lanes[off + 1] + lanes[off + 9]) + (lanes[off + 5] + lanes[off + 13]);
        float s3 = (lanes[off + 3] + lanes[off + 11]) + (lanes[off + 7] + lanes[off + 15]);
        return (s0 + s1) + (s2 + s3);
    }
}
