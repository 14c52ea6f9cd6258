package io.tinysparse.search;

import io.tinysparse.core.InvalidInputException;

/**
 * One coordinate of a {@link GenomeSpace}: a name (for messages and state files) and the number
 * of values it takes, {@code 0 .. cardinality-1}. Values are treated as ordered: mutation prefers
 * neighbouring values, so a space should order a gene's values meaningfully (ratios ascending,
 * bias depths ascending).
 *
 * @param name        non-blank identifier, unique within its space
 * @param cardinality number of values, at least 1
 */
public record Gene(String name, int cardinality) {
    public Gene {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("gene name must be non-blank, got '" + name + "'");
        }
        if (cardinality < 1) {
            throw new InvalidInputException("gene '" + name + "' cardinality must be >= 1, got " + cardinality);
        }
    }
}
