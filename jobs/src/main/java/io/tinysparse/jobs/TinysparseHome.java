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
        return io.tinysparse.datasets.catalog.DataDirectory.home();
    }

    /** The default warehouse of result tables. */
    public static String warehouse() {
        return home().resolve("warehouse").toString();
    }
}
