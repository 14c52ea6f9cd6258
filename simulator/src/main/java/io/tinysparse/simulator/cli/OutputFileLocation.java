package io.tinysparse.simulator.cli;

import io.tinysparse.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a command can write the output file an option names, checked before any work: the
 * file's nearest existing directory must take a new file (the file and its missing directories are
 * created there when it is written). Found only when the file is written, a bad path would fail
 * after minutes of work with an exception naming neither the option nor the cause.
 *
 * <p>The directory is probed by creating and deleting a hidden empty file rather than asking
 * {@link Files#isWritable}: for root, access() reports directories such as {@code /proc} writable
 * although nothing can be created in them. Nothing is left behind by the check.
 */
final class OutputFileLocation {
    private OutputFileLocation() {}

    /**
     * Bad input naming {@code option} and {@code file} if {@code file} is a directory or cannot be
     * created (its nearest existing ancestor is not a directory, or takes no new file).
     */
    static void requireWritable(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(option + " " + file + " is a directory; give a file name");
        }
        Path ancestor = file.toAbsolutePath().getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null || !Files.isDirectory(ancestor)) {
            throw new InvalidInputException(option + " " + file + " cannot be written: " + ancestor
                    + " is not a directory");
        }
        try {
            Files.delete(Files.createTempFile(ancestor, ".tinysparse-write-check", ".tmp"));
        } catch (IOException e) {
            throw new InvalidInputException(option + " " + file + " cannot be written: " + ancestor
                    + " takes no new file (" + e + ")", e);
        }
    }
}
