package io.tinysparse.simulator.engine.quant;

/**
 * How one int8 convolution turns its int32 accumulators into int8 codes, in integers only.
 *
 * <p>For output channel {@code o}, accumulator {@code acc} (the int32 sum of centred input codes
 * times int8 weights, plus the int32 bias) and, at a residual block's end, the centred code
 * {@code s} of the shortcut at the same position, the code before the clamp is
 * <pre>
 *   v = outZero + ((acc * accMultiplier[o] + s * skipMultiplier + 2^(shift-1)) &gt;&gt; shift)
 * </pre>
 * in 64-bit arithmetic ({@code >>} is the arithmetic shift, so the rounding is half up), and the
 * output code is {@code clamp(v, low, high)}. The multipliers are the real rescaling factors
 * {@code s_in * s_w[o] / s_out} and {@code s_skip / s_out} in fixed point with {@code shift}
 * fraction bits, one exponent per layer chosen so that the largest multiplier uses 31 bits:
 * the residual add is fused into the projection's requantization (one rounding, one clamp, as
 * the arena model assumes the add done in place with one mask). ReLU6 is the clamp:
 * {@code low} is the code of 0 and {@code high} that of 6 (or 127), both saturated to int8.
 *
 * @param accMultiplier  per output channel, &gt;= 0
 * @param skipMultiplier the shortcut's multiplier (0 without a shortcut)
 * @param shift          fraction bits, in {@code [1, 62]}
 * @param outZero        zero point of the output tensor
 * @param low            smallest output code
 * @param high           largest output code
 */
public record Requantization(long[] accMultiplier, long skipMultiplier, int shift, int outZero, int low, int high) {
    public Requantization {
        if (shift < 1 || shift > 62) {
            throw new IllegalArgumentException("shift " + shift + " outside [1, 62]");
        }
        if (low > high || low < TensorQuantization.MIN || high > TensorQuantization.MAX) {
            throw new IllegalArgumentException("clamp [" + low + ", " + high + "] is not a range of int8 codes");
        }
    }

    /**
     * The fixed-point form of real multipliers {@code accScales} (per channel) and
     * {@code skipScale} (0 for none).
     *
     * @throws IllegalArgumentException if a multiplier is negative, not finite or 2^29 or more
     */
    public static Requantization of(double[] accScales, double skipScale, int outZero, int low, int high) {
        double largest = skipScale;
        for (double m : accScales) {
            if (!(m >= 0) || Double.isInfinite(m)) {
                throw new IllegalArgumentException("multiplier " + m + " must be finite and >= 0");
            }
            largest = Math.max(largest, m);
        }
        if (!(skipScale >= 0) || largest >= (1 << 29)) {
            throw new IllegalArgumentException("multipliers up to " + largest + " outside [0, 2^29)");
        }
        // 2^(e+1) > largest, so largest * 2^shift < 2^31 and |acc| < 2^32 keeps every product in 63 bits.
        int e = largest > 0 ? Math.getExponent(largest) : 0;
        int shift = Math.max(1, Math.min(62, 30 - e));
        long[] acc = new long[accScales.length];
        for (int o = 0; o < acc.length; o++) {
            acc[o] = Math.round(Math.scalb(accScales[o], shift));
        }
        return new Requantization(acc, Math.round(Math.scalb(skipScale, shift)), shift, outZero, low, high);
    }

    /** The code before the clamp of channel {@code o} for accumulator {@code acc} and centred shortcut code {@code skip}. */
    public long unclamped(int o, long acc, int skip) {
        return outZero + ((acc * accMultiplier[o] + skip * skipMultiplier + (1L << (shift - 1))) >> shift);
    }

    /** {@code v} clamped to {@code [low, high]}. */
    public int clamp(long v) {
        return (int) Math.max(low, Math.min(high, v));
    }
}
