package io.tinysparse.simulator.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vectorised routines give exactly the bits of a scalar emulation that does not depend on
 * the CPU's vector width: the GEMM is one fused multiply-add chain per element, the reductions
 * use 16 fixed virtual lanes. This is what makes runs bit-reproducible across machines.
 */
class DeterminismTest {
    @Test
    void gemmEqualsTheScalarFmaChainBitForBit() {
        Random r = new Random(7);
        for (int[] s : new int[][] {{7, 45, 13}, {4, 32, 5}, {9, 3, 17}, {16, 64, 24}}) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = Reference.randomFloats(r, m * k, 1);
            float[] b = Reference.randomFloats(r, k * n, 1);
            float[] c = Reference.randomFloats(r, m * n, 1);
            float[] expected = c.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float acc = expected[i * n + j];
                    for (int l = 0; l < k; l++) {
                        acc = Math.fma(a[i * k + l], b[l * n + j], acc);
                    }
                    expected[i * n + j] = acc;
                }
            }
            int[] rows = new int[m];
            for (int i = 0; i < m; i++) {
                rows[i] = i * k;
            }
            Gemm.multiplyAdd(m, n, k, a, rows, 1, b, 0, n, c, 0, n, false);
            for (int i = 0; i < m * n; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(c[i]), "element " + i);
            }
        }
    }

    @Test
    void reductionsEqualTheSixteenLaneScalarEmulationBitForBit() {
        Random r = new Random(8);
        for (int len : new int[] {1, 15, 16, 17, 64, 100, 333}) {
            float[] a = Reference.randomFloats(r, len + 3, 1);
            float[] b = Reference.randomFloats(r, len + 5, 1);
            float[] lanes = new float[Lanes.REDUCTION_LANES + 2];
            float[] emulated = new float[Lanes.REDUCTION_LANES];
            for (int round = 0; round < 2; round++) {
                Lanes.dotAccumulate(a, 3, b, 5, len, lanes, 2);
                for (int i = 0; i < len; i++) {
                    emulated[i % 16] = Math.fma(a[3 + i], b[5 + i], emulated[i % 16]);
                }
            }
            for (int l = 0; l < 16; l++) {
                assertEquals(Float.floatToIntBits(emulated[l]), Float.floatToIntBits(lanes[2 + l]), "dot lane " + l);
            }
            float[] sums = new float[Lanes.REDUCTION_LANES];
            float[] emulatedSums = new float[Lanes.REDUCTION_LANES];
            Lanes.sumAccumulate(a, 1, len, sums, 0);
            for (int i = 0; i < len; i++) {
                emulatedSums[i % 16] += a[1 + i];
            }
            for (int l = 0; l < 16; l++) {
                assertEquals(Float.floatToIntBits(emulatedSums[l]), Float.floatToIntBits(sums[l]), "sum lane " + l);
            }
        }
    }

    @Test
    void fusedNineTapWeightGradientEqualsTheOneTapAtATimeReductionBitForBit() {
        Random r = new Random(9);
        for (int stride : new int[] {1, 2}) {
            DepthwiseConv k = new DepthwiseConv(6, 3, stride, Padding.symmetric(1), 9, 7, 2);
            float[] in = Reference.randomFloats(r, 2 * k.inputSize(), 1);
            float[] dOut = Reference.randomFloats(r, 2 * k.outputSize(), 1);
            int[] channels = {0, 2, 5};
            float[] fused = new float[27];
            float[] plain = new float[27];
            k.weightGradient(dOut, in, 2, channels, 3, fused);
            DepthwiseConv.fusedTapDots = false;
            try {
                k.weightGradient(dOut, in, 2, channels, 3, plain);
            } finally {
                DepthwiseConv.fusedTapDots = true;
            }
            for (int i = 0; i < 27; i++) {
                assertEquals(Float.floatToIntBits(plain[i]), Float.floatToIntBits(fused[i]), "stride " + stride + " tap " + i);
            }
        }
    }

    @Test
    void narrowProductAlongTheRowsEqualsTheColumnVectorisedOneBitForBit() {
        Random r = new Random(10);
        for (int[] shape : new int[][] {{40, 4, 24}, {336, 1, 56}, {7, 3, 9}, {33, 2, 100}}) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            float[] a = Reference.randomFloats(r, m * k, 1);
            float[] at = new float[k * m];
            for (int i = 0; i < m; i++) {
                for (int l = 0; l < k; l++) {
                    at[l * m + i] = a[i * k + l];
                }
            }
            float[] b = Reference.randomFloats(r, k * n, 1);
            float[] init = Reference.randomFloats(r, m, 1);
            float[] wide = new float[m * n];
            float[] narrow = new float[m * n];
            int[] rows = new int[m];
            for (int i = 0; i < m; i++) {
                rows[i] = i * k;
            }
            Gemm.multiply(m, n, k, a, rows, 1, b, 0, n, wide, 0, n, init, true);
            Gemm.multiplyNarrow(m, n, k, at, 0, m, b, 0, n, narrow, 0, n, init, true, new float[m]);
            for (int i = 0; i < m * n; i++) {
                assertEquals(Float.floatToIntBits(wide[i]), Float.floatToIntBits(narrow[i]), "element " + i);
            }
        }
    }
}
