package io.tinysparse.datasets.catalog;

import io.tinysparse.core.InvalidInputException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where installed datasets live, and how that was decided. Every module resolves it the same
 * way, first match wins:
 * <ol>
 *   <li>the command line's {@code --data-dir};</li>
 *   <li>the environment variable {@value #ENV};</li>
 *   <li>{@code $TINYSPARSE_HOME/data} (the launcher's home for data, caches and natives);</li>
 *   <li>{@code ~/.tinysparse/data}.</li>
 * </ol>
 * A leading {@code ~/} is expanded to the user's home. Dataset {@code name} lives in
 * {@code root/name/}.
 *
 * @param root the data directory, absolute and normalised
 * @param origin how it was chosen, e.g. {@code --data-dir} or {@code default}
 */
public record DataDirectory(Path root, String origin) {
    /** Environment variable that overrides the default data directory. */
    public static final String ENV = "TINYSPARSE_DATA";
    /** Environment variable of tinysparse's home (data, caches, natives); the data directory is its {@code data}. */
    public static final String HOME_ENV = "TINYSPARSE_HOME";

    public DataDirectory {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(origin, "origin");
        root = root.toAbsolutePath().normalize();
    }

    /** Resolves from a {@code --data-dir} value (null or empty when not given), the environment and the user's home. */
    public static DataDirectory resolve(String flagValue) {
        return resolve(flagValue, System::getenv, System.getProperty("user.home"));
    }

    /** The same with the environment and home given (for tests). */
    public static DataDirectory resolve(String flagValue, UnaryOperator<String> env, String userHome) {
        if (present(flagValue)) {
            return new DataDirectory(path(flagValue, userHome, "--data-dir"), "--data-dir");
        }
        String data = env.apply(ENV);
        if (present(data)) {
            return new DataDirectory(path(data, userHome, ENV), ENV);
        }
        String origin = present(env.apply(HOME_ENV)) ? HOME_ENV + "/data" : "default";
        return new DataDirectory(home(env, userHome).resolve("data"), origin);
    }

    /** tinysparse's home (data, caches, backbones, warehouse): {@code $TINYSPARSE_HOME}, or {@code ~/.tinysparse}. */
    public static Path home() {
        return home(System::getenv, System.getProperty("user.home"));
    }

    /** The same with the environment and home given (for tests). */
    public static Path home(UnaryOperator<String> env, String userHome) {
        String home = env.apply(HOME_ENV);
        return present(home) ? path(home, userHome, HOME_ENV) : Path.of(userHome, ".tinysparse");
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static Path path(String value, String userHome, String source) {
        String v = value.strip();
        if (v.equals("~") || v.startsWith("~/")) {
            v = userHome + v.substring(1);
        }
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new InvalidInputException(source + " '" + value + "' is not a valid path: " + e.getReason());
        }
    }

    /** The directory of dataset {@code name}. */
    public Path datasetDirectory(String name) {
        return root.resolve(name);
    }

    @Override
    public String toString() {
        return root + " (" + origin + ")";
    }
}
