package io.tinysparse.simulator.model;

/**
 * The kinds of operator whose multiply-accumulates are costed separately on a device: the
 * three convolution kinds and the linear classifier.
 */
public enum OpKind {
    CONV, DEPTHWISE, POINTWISE, LINEAR;

    /** The op kind of a convolution. */
    public static OpKind of(LayerKind kind) {
        return switch (kind) {
            case CONV -> CONV;
            case DEPTHWISE -> DEPTHWISE;
            case POINTWISE -> POINTWISE;
        };
    }

    /** Lower-case name used in JSON and on command lines. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
