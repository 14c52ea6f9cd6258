package io.tinysparse.datasets.install;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@link SystemCommands} that really run processes, with standard input from {@code /dev/null}
 * (so nothing waits for a prompt) and their output collected for error messages.
 */
public final class ProcessCommands implements SystemCommands {

    @Override
    public Result run(List<String> command, Path workDir, Map<String, String> extraEnv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(extraEnv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
            }
        }
        try {
            return new Result(p.waitFor(), out.toString());
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + String.join(" ", command), e);
        }
    }

    @Override
    public boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isRoot() {
        if (!onPath("id")) {
            return false;
        }
        try {
            Result r = run(List.of("id", "-u"), Path.of(System.getProperty("user.dir")),
                    Map.of());
            return r.exitCode() == 0 && r.output().strip().equals("0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
