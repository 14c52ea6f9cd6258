package io.tinysparse.core.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The Java platform a result was computed on: what bit-for-bit reproducibility depends on
 * beyond the code. The kernels are plain Java and reproduce on any JVM 17, but the JDK supplies
 * some of the algorithms (the Gaussian draws of initialisation, {@code Math} functions whose
 * intrinsics differ by JVM and CPU), so a result that does not reproduce is first compared with
 * the platform it was made on.
 *
 * @param javaVersion the {@code java.version} system property, e.g. {@code 17.0.15}
 * @param javaVendor  {@code java.vendor}
 * @param vmName      {@code java.vm.name}, e.g. {@code OpenJDK 64-Bit Server VM}
 * @param osName      {@code os.name}
 * @param osArch      {@code os.arch}, the CPU architecture, e.g. {@code amd64}
 */
public record Platform(
        @JsonProperty("java_version") String javaVersion,
        @JsonProperty("java_vendor") String javaVendor,
        @JsonProperty("vm_name") String vmName,
        @JsonProperty("os_name") String osName,
        @JsonProperty("os_arch") String osArch) {

    public Platform {
        Objects.requireNonNull(javaVersion, "java_version");
        Objects.requireNonNull(javaVendor, "java_vendor");
        Objects.requireNonNull(vmName, "vm_name");
        Objects.requireNonNull(osName, "os_name");
        Objects.requireNonNull(osArch, "os_arch");
    }

    /** The platform of this JVM. */
    public static Platform current() {
        return new Platform(property("java.version"), property("java.vendor"), property("java.vm.name"),
                property("os.name"), property("os.arch"));
    }

    /** A platform that was not recorded (results written before platforms were). */
    public static Platform unknown() {
        return new Platform(BuildInfo.UNKNOWN, BuildInfo.UNKNOWN, BuildInfo.UNKNOWN, BuildInfo.UNKNOWN,
                BuildInfo.UNKNOWN);
    }

    /** One line for people: {@code Java 17.0.15 (Debian, OpenJDK 64-Bit Server VM) on Linux amd64}. */
    public String describe() {
        return "Java " + javaVersion + " (" + javaVendor + ", " + vmName + ") on " + osName + " " + osArch;
    }

    private static String property(String name) {
        return System.getProperty(name, BuildInfo.UNKNOWN);
    }
}
