package io.tinysparse.core;

/**
 * Input that a user gave us is wrong: a corrupt or truncated file, a value out of range, a
 * malformed policy. The message is one line that names the offending value (and file, where
 * there is one), because the command line prints it as is and exits with code 2
 * ({@link io.tinysparse.core.cli.CommandRunner#BAD_INPUT}).
 *
 * <p>It extends {@link IllegalArgumentException} so that validating constructors of records
 * can throw it without a checked-exception signature.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
