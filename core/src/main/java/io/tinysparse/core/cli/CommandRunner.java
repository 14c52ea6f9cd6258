package io.tinysparse.core.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Runs a picocli command with the project's exit-code contract: 0 success, 2 bad input (a
 * one-line reason naming the offending value), 1 anything else.
 *
 * <p>Bad input is a picocli {@link CommandLine.ParameterException} or any
 * {@link IllegalArgumentException} (which includes
 * {@link io.tinysparse.core.InvalidInputException}) thrown by the command: records validate
 * their fields in their constructors and throw it with a message that names the field and value.
 *
 * <p>Arguments may come from {@code @FILE} (picocli's argument files, one argument or option
 * per line) and defaults from a properties file ({@link OptionDefaults}).
 */
public final class CommandRunner {
    /** Exit code for success. */
    public static final int OK = 0;
    /** Exit code for an unexpected failure. */
    public static final int FAILURE = 1;
    /** Exit code for bad input. */
    public static final int BAD_INPUT = 2;

    private CommandRunner() {}

    /**
     * Builds the picocli command line with the project's error handling and option defaults
     * ({@link OptionDefaults}: {@code --defaults FILE} on every command, {@code $TINYSPARSE_DEFAULTS})
     * installed.
     */
    public static CommandLine commandLine(Object command) {
        return commandLine(command, System.getenv(OptionDefaults.ENVIRONMENT));
    }

    /** {@link #commandLine(Object)} with {@code defaultsFile} (null: none) in place of {@code $TINYSPARSE_DEFAULTS}. */
    static CommandLine commandLine(Object command, String defaultsFile) {
        CommandLine cl = new CommandLine(command);
        OptionDefaults.install(cl, defaultsFile);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("tinysparse: error: " + oneLine(badInputMessage(ex, args)));
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof IllegalArgumentException) {
                err.println("tinysparse: error: " + oneLine(ex.getMessage()));
                err.flush();
                return BAD_INPUT;
            }
            err.println("tinysparse: failed: " + oneLine(withCauses(ex)));
            if (System.getenv("TINYSPARSE_DEBUG") != null) {
                ex.printStackTrace(err);
            } else {
                err.println("(set TINYSPARSE_DEBUG=1 for the stack trace)");
            }
            err.flush();
            return FAILURE;
        });
        return cl;
    }

    /**
     * What a parse error says: an argument file that does not exist by its name (picocli takes a
     * missing {@code @FILE} for an unmatched argument), a bad value from a defaults file with the
     * file and the key ({@link OptionDefaults#sourceOf}), else picocli's message.
     */
    static String badInputMessage(CommandLine.ParameterException ex, String[] args) {
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
            for (String arg : unmatched.getUnmatched()) {
                if (arg.length() > 1 && arg.startsWith("@") && !Files.exists(Path.of(arg.substring(1)))) {
                    return "argument file " + arg.substring(1) + " does not exist (from '" + arg + "')";
                }
            }
        }
        String source = OptionDefaults.sourceOf(ex, args);
        return source == null ? ex.getMessage() : source + ": " + ex.getMessage();
    }

    /**
     * {@code ex} and, where its message does not already say them, its causes: an unexpected
     * failure's reason is often its cause (a commit that failed because the disk is full).
     */
    static String withCauses(Throwable ex) {
        StringBuilder line = new StringBuilder(String.valueOf(ex));
        Throwable seen = ex;
        for (Throwable c = ex.getCause(); c != null && c != seen; seen = c, c = c.getCause()) {
            if (!line.toString().contains(String.valueOf(c.getMessage()))) {
                // the first line only: a Spark job failure's message carries the executor's stack trace
                line.append(" (cause: ").append(String.valueOf(c).lines().findFirst().orElse("")).append(')');
            }
        }
        return line.toString();
    }

    /** Parses, runs, and returns the exit code without exiting the JVM (for tests). */
    public static int execute(Object command, String... args) {
        return commandLine(command).execute(args);
    }

    /** Parses, runs, and exits the JVM with the command's exit code. */
    public static void main(Object command, String... args) {
        System.exit(execute(command, args));
    }

    /** {@code message} on one line (line breaks and the space around them become one space), as errors are printed. */
    public static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
