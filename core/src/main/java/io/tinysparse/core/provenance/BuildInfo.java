package io.tinysparse.core.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tinysparse.core.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The code that is running, as stamped into the core jar when it was built: the project version
 * and the git commit of the sources (read by a Maven plugin at build time, so it is right
 * wherever the jar runs, a cluster executor included, and never runs {@code git}).
 *
 * @param version the Maven project version, e.g. {@code 0.1.0-SNAPSHOT}; never blank
 * @param commit  the full commit id (40 or 64 lower-case hex digits), or {@link #UNKNOWN} when
 *                the sources were built outside a git checkout
 * @param dirty   whether the checkout had uncommitted changes when it was built (the code is
 *                then not exactly {@code commit}); false when the commit is unknown
 */
public record BuildInfo(
        @JsonProperty("version") String version,
        @JsonProperty("commit") String commit,
        @JsonProperty("dirty") boolean dirty) {

    /** The commit (or version) of a build that could not tell. */
    public static final String UNKNOWN = "unknown";

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final String RESOURCE = "build.properties";
    private static final BuildInfo CURRENT = load();

    public BuildInfo {
        if (version == null || version.isBlank()) {
            throw new InvalidInputException("build version must not be blank, got '" + version + "'");
        }
        if (commit == null || !(commit.equals(UNKNOWN) || isCommit(commit))) {
            throw new InvalidInputException("build commit must be a full git commit id or " + UNKNOWN + ", got '"
                    + commit + "'");
        }
    }

    /** The build of the running code (read once per JVM). */
    public static BuildInfo current() {
        return CURRENT;
    }

    /**
     * The build described by {@code properties} ({@code version}, {@code commit}, {@code dirty}).
     * A value still holding its Maven placeholder ({@code ${...}}), missing or malformed was not
     * filled in at build time and reads as unknown.
     */
    public static BuildInfo fromProperties(Properties properties) {
        String version = filled(properties.getProperty("version"));
        String commit = filled(properties.getProperty("commit"));
        if (commit != null && !isCommit(commit)) {
            commit = null;
        }
        boolean dirty = commit != null && "true".equals(filled(properties.getProperty("dirty")));
        return new BuildInfo(version == null ? UNKNOWN : version, commit == null ? UNKNOWN : commit, dirty);
    }

    /** Whether {@code value} is a full git commit id: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits. */
    public static boolean isCommit(String value) {
        return value != null && COMMIT.matcher(value).matches();
    }

    /** One line for people: {@code 0.1.0-SNAPSHOT (commit 3fd7914, modified)}. */
    public String describe() {
        String c = commit.equals(UNKNOWN) ? "commit unknown" : "commit " + commit.substring(0, 7);
        return version + " (" + c + (dirty ? ", modified" : "") + ")";
    }

    private static String filled(String value) {
        return value == null || value.isBlank() || value.contains("${") ? null : value.strip();
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build stamp " + RESOURCE, e);
        }
        return fromProperties(p);
    }
}
