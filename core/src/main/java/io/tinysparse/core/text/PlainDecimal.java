package io.tinysparse.core.text;

import java.math.BigDecimal;

/** Numbers as users write them in names, labels and messages. */
public final class PlainDecimal {
    private PlainDecimal() {}

    /**
     * {@code x} with its shortest decimal digits, no trailing zeros and never in scientific
     * notation: {@code 0.25}, {@code 0}, {@code 1}, {@code 0.0001} (not {@code 1.0E-4}).
     */
    public static String of(double x) {
        return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }
}
