package io.tinysparse.simulator.export;

import java.util.Locale;

/** What the search measured of an exported member, in one line for a file's header comment. */
final class Measurements {
    private Measurements() {}

    /** E.g. {@code validation accuracy 0.8120, test accuracy 0.8010; SRAM of one step 120,336 bytes (arena), ...}. */
    static String line(ExportedPolicy e) {
        StringBuilder s = new StringBuilder();
        if (e.validationAccuracy() != null) {
            s.append(String.format(Locale.ROOT, "validation accuracy %.4f, ", e.validationAccuracy()));
        }
        s.append(String.format(Locale.ROOT, "test accuracy %.4f; SRAM of one step %,d bytes (arena)", e.testAccuracy(),
                e.arenaBytes()));
        if (e.lin2022Bytes() != null) {
            s.append(String.format(Locale.ROOT, ", %,d bytes (lin2022)", e.lin2022Bytes()));
        }
        s.append(String.format(Locale.ROOT, ", budget %,d bytes", e.budgetBytes()));
        return s.toString();
    }
}
