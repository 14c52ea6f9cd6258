package io.tinysparse.simulator.engine.selection;

import java.util.Arrays;

/** The same channels every iteration: a static mask chosen before training (or all channels). */
final class FixedSelector implements ChannelSelector {
    private final int channels;
    private final int[] chosen;

    /** Selects {@code chosen} (copied and sorted) out of {@code channels}. */
    FixedSelector(int channels, int[] chosen) {
        this.channels = channels;
        this.chosen = chosen.clone();
        Arrays.sort(this.chosen);
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int count() {
        return chosen.length;
    }

    @Override
    public boolean dynamic() {
        return false;
    }

    @Override
    public void select(long iteration, int[] out) {
        System.arraycopy(chosen, 0, out, 0, chosen.length);
    }
}
