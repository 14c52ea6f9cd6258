package io.tinysparse.core.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Where a result came from, built from its parts (after Tribuo's provenance objects): the
 * {@link BuildInfo} of the code and the {@link Platform} it ran on. What a result's own inputs
 * are (its spec, seed, data) is recorded by the result beside this; this record says what
 * computed it. Serialised as {@code {"build": {...}, "platform": {...}}}.
 *
 * @param build    the code
 * @param platform the Java platform
 */
public record Provenance(
        @JsonProperty("build") BuildInfo build,
        @JsonProperty("platform") Platform platform) {

    public Provenance {
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(platform, "platform");
    }

    /** The provenance of anything this JVM computes. */
    public static Provenance current() {
        return new Provenance(BuildInfo.current(), Platform.current());
    }

    /** Two lines for people: the build, then the platform. */
    public String describe() {
        return "tinysparse " + build.describe() + System.lineSeparator() + platform.describe();
    }
}
