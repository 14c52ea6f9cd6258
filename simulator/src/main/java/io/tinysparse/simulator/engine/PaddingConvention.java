package io.tinysparse.simulator.engine;

import io.tinysparse.simulator.engine.kernels.Padding;
import io.tinysparse.simulator.model.ConvLayer;

/**
 * Where a network's convolutions put their zero padding, a property of its weights (like the
 * batch-norm epsilon): weights trained under one convention read the input shifted by a pixel
 * under the other wherever the two differ. They differ only for stride-2 convolutions on
 * even-sized inputs; the output sizes, the layer table and every memory figure are the same.
 */
public enum PaddingConvention {
    /** PyTorch (and tiny-training): {@code kernel / 2} on every side. The default. */
    SYMMETRIC(0),
    /**
     * TensorFlow / Keras: "same" padding, the odd pixel of an uneven total after the input
     * ({@link Padding#tfSame}); what Keras's {@code ZeroPadding2D(correct_pad)} before a
     * "valid" stride-2 convolution amounts to.
     */
    TF_SAME(1);

    private final int code;

    PaddingConvention(int code) {
        this.code = code;
    }

    /** The stable code stored in network files (never the ordinal). */
    public int code() {
        return code;
    }

    /**
     * The convention stored as {@code code}.
     *
     * @throws IllegalArgumentException for an unknown code
     */
    public static PaddingConvention ofCode(int code) {
        for (PaddingConvention p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown padding convention code " + code);
    }

    /** The padding of convolution {@code layer} under this convention. */
    public Padding padding(ConvLayer layer) {
        return switch (this) {
            case SYMMETRIC -> Padding.symmetric(layer.padding());
            case TF_SAME -> Padding.tfSame(layer.kernel(), layer.stride(), layer.inHeight(), layer.inWidth());
        };
    }
}
