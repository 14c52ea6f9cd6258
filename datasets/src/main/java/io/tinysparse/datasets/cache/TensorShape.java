package io.tinysparse.datasets.cache;

import io.tinysparse.core.InvalidInputException;
import java.util.Arrays;

/**
 * The dimensions of a float tensor, outermost first (e.g. {@code [samples, channels, height,
 * width]}), each at least 1, with at most {@link #MAX_ELEMENTS} elements so that it fits one
 * {@code float[]}. Immutable.
 */
public final class TensorShape {
    /** Largest element count a Java array can hold on common JVMs. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final int[] dims;
    private final long elements;

    private TensorShape(int[] dims) {
        if (dims.length == 0) {
            throw new InvalidInputException("a tensor shape needs at least one dimension");
        }
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 1) {
                throw new InvalidInputException("tensor dimension " + i + " must be at least 1, got " + dims[i]
                        + " in " + Arrays.toString(dims));
            }
            n *= dims[i];
            if (n > MAX_ELEMENTS) {
                throw new InvalidInputException("tensor shape " + Arrays.toString(dims) + " has more than "
                        + MAX_ELEMENTS + " elements");
            }
        }
        this.dims = dims;
        this.elements = n;
    }

    /** A shape with these dimensions, outermost first. */
    public static TensorShape of(int... dims) {
        return new TensorShape(dims.clone());
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code i}. */
    public int dim(int i) {
        return dims[i];
    }

    /** The dimensions, outermost first (a copy). */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements, the product of the dimensions; fits an {@code int}. */
    public int elementCount() {
        return (int) elements;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorShape t && Arrays.equals(dims, t.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** E.g. {@code [60000, 16, 16, 16]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
