package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;

/**
 * Tells a failure of the query the user wrote (bad input: exit 2 with Spark's one-line reason)
 * from a failure of Spark or the warehouse (exit 1), by the error Spark raised.
 *
 * <p>The user's failures are every {@link AnalysisException} (parse errors among them) and every
 * {@link SparkThrowable} whose SQLSTATE class says the statement or its data is at fault: 07
 * (dynamic SQL, e.g. an unbound parameter), 0A (feature not supported), 21 (cardinality, e.g. a
 * scalar subquery with several rows), 22 (data exception: division by zero, invalid cast,
 * overflow under ANSI mode), 23 (constraint violation), 42 (syntax or access rule) and P0
 * ({@code raise_error}). The cause chain is searched, because an error raised in a task reaches
 * the driver wrapped in a {@code SparkException} ("Job aborted due to stage failure") of no SQLSTATE.
 */
final class UserQueryError {
    private static final Set<String> USER_SQLSTATE_CLASSES = Set.of("07", "0A", "21", "22", "23", "42", "P0");

    private UserQueryError() {}

    /** The user's error in {@code failure}'s cause chain, as a one-line bad-input error, if there is one. */
    static Optional<InvalidInputException> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AnalysisException a) {
                // the simple message leaves out the analysed plan that getMessage() appends
                return Optional.of(new InvalidInputException("sql: " + firstLine(a.getSimpleMessage()), failure));
            }
            if (t instanceof SparkThrowable s && isUsers(s.getSqlState())) {
                return Optional.of(new InvalidInputException("sql: " + firstLine(t.getMessage()), failure));
            }
        }
        return Optional.empty();
    }

    private static boolean isUsers(String sqlState) {
        return sqlState != null && sqlState.length() >= 2 && USER_SQLSTATE_CLASSES.contains(sqlState.substring(0, 2));
    }

    /**
     * The reason without the query context Spark appends on the following lines (the statement
     * echoed with a caret under the fault), which the user has just typed.
     */
    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String stripped = message.strip();
        int end = stripped.indexOf('\n');
        return (end < 0 ? stripped : stripped.substring(0, end)).strip();
    }
}
