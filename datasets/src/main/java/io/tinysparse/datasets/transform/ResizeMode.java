package io.tinysparse.datasets.transform;

/** How an image is brought to the model's resolution. */
public enum ResizeMode {
    /** The image must already have the target size. */
    NONE,
    /**
     * Centre the image on a canvas of the target size filled with pixel value 0 (e.g. MNIST's
     * 28x28 to 32x32 with 2 pixels each side, as LeNet did). The target must be at least the image
     * size; an odd difference puts the extra pixel at the bottom/right.
     */
    PAD,
    /**
     * Bilinear interpolation with half-pixel centres and edge clamping (the convention of
     * OpenCV's {@code INTER_LINEAR} and PyTorch's {@code interpolate(align_corners=False)}),
     * without anti-aliasing when shrinking.
     */
    BILINEAR
}
