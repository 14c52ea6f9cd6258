package io.tinysparse.datasets.image;

import io.tinysparse.core.InvalidInputException;

/**
 * The shape of one image: channels, height and width, each at least 1.
 *
 * <p>Pixels of one image are laid out channel-major (CHW): all of channel 0 row by row, then
 * channel 1, and so on; {@link #pixels()} is the number of bytes (uint8 pixels) one image takes.
 */
public record ImageShape(int channels, int height, int width) {
    public ImageShape {
        positive("channels", channels);
        positive("height", height);
        positive("width", width);
        if ((long) channels * height * width > Integer.MAX_VALUE) {
            throw new InvalidInputException("image shape " + channels + "x" + height + "x" + width
                    + " has more than " + Integer.MAX_VALUE + " pixels");
        }
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new InvalidInputException("image " + field + " must be at least 1, got " + value);
        }
    }

    /** Number of pixel values of one image (channels x height x width), i.e. bytes at uint8. */
    public int pixels() {
        return channels * height * width;
    }

    /** Number of pixels of one channel plane (height x width). */
    public int planeSize() {
        return height * width;
    }

    /** Human-readable form, e.g. {@code 28x28, 1 channel}. */
    public String describe() {
        return height + "x" + width + ", " + channels + (channels == 1 ? " channel" : " channels");
    }
}
