package io.tinysparse.datasets.install;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The operating-system commands that installing datasets needs ({@code npm}, {@code apt-get}),
 * behind an interface so that installation logic is tested without a network or root.
 */
public interface SystemCommands {
    /**
     * What a finished command did.
     *
     * @param exitCode its exit status
     * @param output its standard output and standard error, interleaved
     */
    record Result(int exitCode, String output) {
        public Result {
            java.util.Objects.requireNonNull(output, "output");
        }

        /** The last non-blank line of the output, for a one-line error message ("" if none). */
        public String lastLine() {
            String[] lines = output.strip().split("\\R");
            return lines.length == 0 ? "" : lines[lines.length - 1].strip();
        }
    }

    /** Runs {@code command} in {@code workDir} with {@code extraEnv} added to the environment, and waits for it. */
    Result run(List<String> command, Path workDir, Map<String, String> extraEnv) throws IOException;

    /** Whether an executable named {@code program} is on the {@code PATH}. */
    boolean onPath(String program);

    /** Whether this process runs as root (user id 0). */
    boolean isRoot();
}
