package io.tinysparse.simulator.pretrain;

import io.tinysparse.datasets.image.ImageDataset;
import io.tinysparse.datasets.image.ImageShape;
import java.util.List;
import java.util.SplittableRandom;

/** A learnable synthetic image task for tests: the class is the quadrant holding a bright square. */
final class SyntheticImages {
    static final int CLASSES = 4;
    static final int SIZE = 12;

    private SyntheticImages() {}

    /** {@code n} grey {@code SIZE x SIZE} images, labels cycling through the classes, noise from {@code seed}. */
    static ImageDataset quadrants(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int half = SIZE / 2;
        byte[] pixels = new byte[n * SIZE * SIZE];
        short[] labels = new short[n];
        for (int i = 0; i < n; i++) {
            int label = i % CLASSES;
            labels[i] = (short) label;
            int oy = (label / 2) * half;
            int ox = (label % 2) * half;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    boolean inside = y >= oy + 1 && y < oy + half - 1 && x >= ox + 1 && x < ox + half - 1;
                    int v = (inside ? 170 : 20) + r.nextInt(60);
                    pixels[i * SIZE * SIZE + y * SIZE + x] = (byte) v;
                }
            }
        }
        return new ImageDataset("quadrants", new ImageShape(1, SIZE, SIZE), pixels, labels, CLASSES, List.of());
    }
}
