package io.tinysparse.jobs;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.cli.CommandRunner;

/**
 * A run that failed inside a Spark task, carrying its run id to the driver: Spark hands the
 * task's exception back as the cause of its job failure, whose own message holds the executor's
 * stack trace. On the driver, {@link #reported} turns the job failure into one line with the run
 * id and the cause's message, bad input (exit 2) when the run failed on bad input.
 */
final class ExecutorRunFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean badInput;

    /** The failure of run {@code runId} by {@code cause}, as thrown in the task. */
    ExecutorRunFailure(String runId, Throwable cause) {
        super("run " + runId + ": " + CommandRunner.oneLine(cause instanceof IllegalArgumentException
                ? cause.getMessage() : String.valueOf(cause)), cause);
        this.badInput = cause instanceof IllegalArgumentException;
    }

    /**
     * What the driver throws for a failed job of generation {@code generation}: the first run
     * failure in {@code jobFailure}'s causes, on one line, or the first line of Spark's message
     * when no run failed (an executor lost, for instance).
     */
    static RuntimeException reported(Throwable jobFailure, int generation) {
        return reported(jobFailure, "generation " + generation);
    }

    /**
     * The same for the failed job of {@code what} (a generation, a steady-state search's commit),
     * which starts the line.
     */
    static RuntimeException reported(Throwable jobFailure, String what) {
        for (Throwable t = jobFailure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ExecutorRunFailure f) {
                String line = what + " failed on an executor: " + f.getMessage();
                return f.badInput ? new InvalidInputException(line, f) : new IllegalStateException(line, f);
            }
        }
        String message = String.valueOf(jobFailure.getMessage());
        return new IllegalStateException(what + " failed on Spark: " + message.lines().findFirst().orElse(message),
                jobFailure);
    }
}
