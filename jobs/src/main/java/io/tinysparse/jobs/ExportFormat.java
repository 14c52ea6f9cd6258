package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@code tinysparse export} writes: see {@link ExportCommand}. */
enum ExportFormat {
    /** tinysparse's own policy file ({@code PolicyJson.write}). */
    JSON("json"),
    /** tiny-training's {@code backward_config} section, YAML ({@code TinyTrainingYaml}). */
    TINY_TRAINING("tiny-training"),
    /** A C header for an MCU training loop ({@code CHeader}). */
    C_HEADER("c-header");

    private final String cliName;

    ExportFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line. */
    String cliName() {
        return cliName;
    }

    /** Parses a {@link #cliName()}; bad input naming the value and the known names otherwise. */
    static ExportFormat parse(String name) {
        for (ExportFormat f : values()) {
            if (f.cliName.equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new InvalidInputException("--format '" + name + "' is not one of "
                + Arrays.stream(values()).map(ExportFormat::cliName).collect(Collectors.joining(", ")));
    }
}
