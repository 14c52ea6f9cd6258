package io.tinysparse.simulator.engine.selection;

import io.tinysparse.core.random.SplitMix64;
import java.util.Arrays;

/**
 * A fresh uniform random subset every {@code period} iterations (TraDy-style re-drawing),
 * from a seeded generator: the sequence of subsets is a function of the seed alone.
 */
public final class DynamicRandomSelector extends PeriodicSelector {
    private final SplitMix64 random;
    private final int[] pool;

    /** {@code count} of {@code channels} channels, re-drawn from {@code random} every {@code period} iterations. */
    public DynamicRandomSelector(int channels, int count, int period, SplitMix64 random) {
        super(channels, count, period);
        this.random = random;
        this.pool = new int[channels];
        for (int c = 0; c < channels; c++) {
            pool[c] = c;
        }
    }

    @Override
    void choose(long window, int[] out) {
        drawSubset(random, pool, count, out);
    }

    /**
     * A uniform random {@code count}-subset of {@code pool}'s values (partial Fisher-Yates; the
     * pool is permuted in place), sorted into {@code out}.
     */
    static void drawSubset(SplitMix64 random, int[] pool, int count, int[] out) {
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(pool.length - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        System.arraycopy(pool, 0, out, 0, count);
        Arrays.sort(out, 0, count);
    }
}
