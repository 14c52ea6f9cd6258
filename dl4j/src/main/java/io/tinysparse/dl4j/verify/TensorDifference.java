package io.tinysparse.dl4j.verify;

/**
 * How far one gradient tensor of the engine is from the reference's.
 *
 * @param name               tensor name ({@code conv27.W}, {@code fc.b}, ...)
 * @param elements           number of elements compared
 * @param maxAbsDifference   {@code max |engine - reference|}
 * @param maxAbsReference    {@code max |reference|}
 * @param relativeDifference {@code maxAbsDifference / max(maxAbsReference, floor)}, where the
 *                           floor (see {@link #of}) keeps a tensor whose exact gradient is 0
 *                           (for example a batch-norm shift that a later batch norm cancels)
 *                           from turning rounding noise into an infinite relative error
 */
public record TensorDifference(String name, int elements, double maxAbsDifference, double maxAbsReference,
        double relativeDifference) {

    /**
     * Compares {@code engine[0 .. reference.length)} with {@code reference}; differences are
     * relative to {@code max(max |reference|, floor)}.
     */
    public static TensorDifference of(String name, float[] engine, double[] reference, double floor) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < reference.length; i++) {
            diff = Math.max(diff, Math.abs(engine[i] - reference[i]));
            scale = Math.max(scale, Math.abs(reference[i]));
        }
        double denominator = Math.max(scale, floor);
        double rel = denominator == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : diff / denominator;
        return new TensorDifference(name, reference.length, diff, scale, rel);
    }
}
