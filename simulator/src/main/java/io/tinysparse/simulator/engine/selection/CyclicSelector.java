package io.tinysparse.simulator.engine.selection;

import java.util.Arrays;

/**
 * Round-robin windows: window {@code w = iteration / period} is the {@code count} consecutive
 * channels starting at {@code (w * count) mod channels} (wrapping around), so every channel
 * is selected within {@code ceil(channels / count)} windows.
 */
public final class CyclicSelector extends PeriodicSelector {
    /** {@code count} of {@code channels} channels, the window advancing every {@code period} iterations. */
    public CyclicSelector(int channels, int count, int period) {
        super(channels, count, period);
    }

    @Override
    void choose(long window, int[] out) {
        long start = Math.floorMod(window * count, (long) channels);
        for (int i = 0; i < count; i++) {
            out[i] = (int) ((start + i) % channels);
        }
        Arrays.sort(out, 0, count);
    }
}
