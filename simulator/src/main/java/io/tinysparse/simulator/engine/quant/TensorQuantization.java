package io.tinysparse.simulator.engine.quant;

/**
 * The affine int8 code of one activation tensor (per tensor, asymmetric):
 * {@code real = scale * (q - zeroPoint)}, {@code q} in {@code [-128, 127]}.
 *
 * @param scale     real value of one step, &gt; 0
 * @param zeroPoint the code of real 0, in {@code [-128, 127]}
 */
public record TensorQuantization(float scale, int zeroPoint) {
    /** Smallest int8 code. */
    public static final int MIN = -128;
    /** Largest int8 code. */
    public static final int MAX = 127;

    public TensorQuantization {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
        if (zeroPoint < MIN || zeroPoint > MAX) {
            throw new IllegalArgumentException("zero point " + zeroPoint + " outside [-128, 127]");
        }
    }

    /**
     * The code covering {@code [lo, hi]} widened to hold 0 (so that zero padding and ReLU's floor
     * are exact): 255 steps across the range, the zero point rounded. A range of width 0 gets
     * scale 1 (all values 0).
     */
    public static TensorQuantization ofRange(double lo, double hi) {
        double min = Math.min(lo, 0);
        double max = Math.max(hi, 0);
        if (!(max > min)) {
            return new TensorQuantization(1f, 0);
        }
        float scale = (float) ((max - min) / (MAX - MIN));
        long zero = Math.round(MIN - min / scale);
        return new TensorQuantization(scale, (int) Math.max(MIN, Math.min(MAX, zero)));
    }

    /** The int8 code of {@code real} minus the zero point ({@code real / scale} in float, rounded half up, saturated to int8). */
    public int centred(float real) {
        int q = Math.round(real / scale) + zeroPoint;
        return Math.max(MIN, Math.min(MAX, q)) - zeroPoint;
    }

    /** The real value of a centred code {@code q - zeroPoint}. */
    public float real(int centred) {
        return scale * centred;
    }
}
