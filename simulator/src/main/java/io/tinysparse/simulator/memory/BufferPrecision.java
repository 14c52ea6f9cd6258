package io.tinysparse.simulator.memory;

import io.tinysparse.core.InvalidInputException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Bits per element of each {@link BufferKind} in the arena model. Every kind but
 * {@link BufferKind#WORKSPACE} has a precision in {1, 2, 4, 8, 16, 32, 64}; workspace buffers take
 * the precision of the tensor they hold.
 *
 * @param bits bits per element by kind (all kinds but WORKSPACE present)
 */
public record BufferPrecision(Map<BufferKind, Integer> bits) {

    /** The defaults of {@link BufferKind#defaultBits()}: int8 activations, 1-bit masks, fp32 gradients. */
    public static final BufferPrecision DEFAULT = new BufferPrecision(Map.of());

    public BufferPrecision {
        EnumMap<BufferKind, Integer> all = new EnumMap<>(BufferKind.class);
        for (BufferKind k : BufferKind.values()) {
            if (k != BufferKind.WORKSPACE) {
                all.put(k, k.defaultBits());
            }
        }
        for (Map.Entry<BufferKind, Integer> e : bits.entrySet()) {
            int b = e.getValue();
            if (e.getKey() == BufferKind.WORKSPACE) {
                throw new InvalidInputException("precision of workspace follows its tensor and cannot be set");
            }
            if (Integer.bitCount(b) != 1 || b > 64) {
                throw new InvalidInputException("precision of " + e.getKey().jsonName()
                        + " must be 1, 2, 4, 8, 16, 32 or 64 bits, got " + b);
            }
            all.put(e.getKey(), b);
        }
        bits = Map.copyOf(all);
    }

    /** Bits per element of {@code kind}. */
    public int of(BufferKind kind) {
        if (kind == BufferKind.WORKSPACE) {
            throw new IllegalArgumentException("workspace precision follows its tensor");
        }
        return bits.get(kind);
    }

    /** The same precisions with {@code kind} set to {@code newBits}. */
    public BufferPrecision with(BufferKind kind, int newBits) {
        EnumMap<BufferKind, Integer> m = new EnumMap<>(bits);
        m.put(kind, newBits);
        return new BufferPrecision(m);
    }

    /**
     * Parses {@code kind=bits[,kind=bits...]} (e.g. {@code activation-gradient=8,saved-input=8})
     * on top of the defaults; an empty string gives the defaults.
     */
    public static BufferPrecision parse(String spec) {
        EnumMap<BufferKind, Integer> m = new EnumMap<>(BufferKind.class);
        if (spec != null && !spec.isBlank()) {
            for (String part : spec.split(",")) {
                String[] kv = part.split("=", -1);
                if (kv.length != 2) {
                    throw new InvalidInputException("precision entry '" + part.trim() + "' must be kind=bits: memory's"
                            + " --precision sets buffer bit widths (e.g. trainable-weights=8); fp32/int8 arithmetic"
                            + " is run's or search's --precision");
                }
                try {
                    m.put(BufferKind.parse(kv[0]), Integer.parseInt(kv[1].trim()));
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("precision bits '" + kv[1].trim() + "' of " + kv[0].trim()
                            + " must be an integer");
                }
            }
        }
        return new BufferPrecision(m);
    }
}
