package io.tinysparse.simulator.engine.selection;

/**
 * A dynamic selector that re-chooses its channels at the start of every window of
 * {@code period} iterations and keeps them for the rest of the window.
 */
abstract class PeriodicSelector implements ChannelSelector {
    protected final int channels;
    protected final int count;
    private final int period;
    private final int[] current;
    private long window = -1;

    PeriodicSelector(int channels, int count, int period) {
        if (count < 1 || count > channels) {
            throw new IllegalArgumentException("channel count " + count + " outside [1, " + channels + "]");
        }
        if (period < 1) {
            throw new IllegalArgumentException("refresh period must be >= 1, got " + period);
        }
        this.channels = channels;
        this.count = count;
        this.period = period;
        this.current = new int[count];
    }

    /** Writes window {@code window}'s {@code count} channels into {@code out}, ascending. */
    abstract void choose(long window, int[] out);

    @Override
    public final int channels() {
        return channels;
    }

    @Override
    public final int count() {
        return count;
    }

    @Override
    public final boolean dynamic() {
        return true;
    }

    @Override
    public final void select(long iteration, int[] out) {
        long w = iteration / period;
        if (w != window) {
            window = w;
            choose(w, current);
        }
        System.arraycopy(current, 0, out, 0, count);
    }
}
