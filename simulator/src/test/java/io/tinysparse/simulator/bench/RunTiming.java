package io.tinysparse.simulator.bench;

/** Development aid: repeated wall-clock timing of {@link FineTuneRunBench}'s run. */
public final class RunTiming {
    public static void main(String[] args) {
        for (String sel : new String[] {"importance", "magnitude", "importance", "magnitude"}) {
            FineTuneRunBench b = new FineTuneRunBench();
            b.selection = sel;
            b.cache = true;
            b.setUp();
            for (int i = 0; i < 6; i++) {
                long t0 = System.nanoTime();
                var r = b.run();
                System.out.printf("%s %.0f ms (train %.0f eval %.0f)%n", sel, (System.nanoTime() - t0) / 1e6,
                        r.trainNanos() / 1e6, r.evaluationNanos() / 1e6);
            }
        }
    }
}
