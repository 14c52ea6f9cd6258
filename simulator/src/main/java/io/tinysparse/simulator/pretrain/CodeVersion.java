package io.tinysparse.simulator.pretrain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The version of the running code, for provenance: the jar's {@code Implementation-Version}
 * ({@code dev} when running from classes) and the git commit of the working directory
 * ({@code unknown} when git or a repository is not there). Looked up once per JVM.
 */
public final class CodeVersion {
    private static final String VERSION = implementationVersion();
    private static volatile String commit;

    private CodeVersion() {}

    /** The jar's {@code Implementation-Version}, or {@code dev}. */
    public static String version() {
        return VERSION;
    }

    /** {@code git rev-parse HEAD} of the working directory, or {@code unknown}. */
    public static String gitCommit() {
        String c = commit;
        if (c == null) {
            c = runGit();
            commit = c;
        }
        return c;
    }

    private static String implementationVersion() {
        String v = CodeVersion.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }

    private static String runGit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            // a hung git (a network file system, a lock) must not hold up pretraining
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40,64}") ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
