package io.tinysparse.jobs;

import java.nio.file.Path;

/**
 * Default locations under the tinysparse home directory: {@code $TINYSPARSE_HOME}, else
 * {@code ~/.tinysparse}.
 */
public final class TinysparseHome {
    private TinysparseHome() {}

    /** The home directory. */
    public static Path home() {
        String env = System.getenv("TINYSPARSE_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".tinysparse");
    }

    /** The default warehouse of result tables. */
    public static String warehouse() {
        return home().resolve("warehouse").toString();
    }
}
