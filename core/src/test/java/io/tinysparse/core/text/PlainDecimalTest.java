package io.tinysparse.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PlainDecimalTest {
    @Test
    void shortestDigitsWithoutTrailingZerosOrExponent() {
        assertEquals("0.25", PlainDecimal.of(0.25));
        assertEquals("0", PlainDecimal.of(0.0));
        assertEquals("1", PlainDecimal.of(1.0));
        assertEquals("0.0001", PlainDecimal.of(1e-4));
        assertEquals("0.000000001", PlainDecimal.of(1e-9));
        assertEquals("100", PlainDecimal.of(100.0));
    }
}
