package io.tinysparse.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.IVersionProvider;

/** Provenance of this build: the jar's implementation version and the git commit of the sources. */
public final class BuildInfo implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"tinysparse " + version() + " (" + gitCommit() + ")"};
    }

    /** The jar's implementation version, or {@code dev} when run from classes. */
    public static String version() {
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * The git commit of the working directory's checkout ({@code git rev-parse HEAD}), or
     * {@code unknown} outside one (e.g. a cluster driver running the submitted jar).
     */
    public static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                return out;
            }
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
