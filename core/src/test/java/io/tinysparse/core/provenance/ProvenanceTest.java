package io.tinysparse.core.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.hash.CanonicalJson;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
    private static final String COMMIT = "3fd7914010e50a72ba2708ef10af9d45e50910cb";

    private static Properties props(String version, String commit, String dirty) {
        Properties p = new Properties();
        p.setProperty("version", version);
        p.setProperty("commit", commit);
        p.setProperty("dirty", dirty);
        return p;
    }

    @Test
    void theBuildStampFilledInAtBuildTimeIsRead() {
        BuildInfo b = BuildInfo.fromProperties(props("1.2.0", COMMIT, "true"));
        assertEquals(new BuildInfo("1.2.0", COMMIT, true), b);
        assertEquals("1.2.0 (commit 3fd7914, modified)", b.describe());
    }

    @Test
    void placeholdersLeftByABuildWithoutGitReadAsUnknown() {
        BuildInfo b = BuildInfo.fromProperties(props("0.1.0", "${git.commit.id.full}", "${git.dirty}"));
        assertEquals(new BuildInfo("0.1.0", BuildInfo.UNKNOWN, false), b);
        assertEquals("0.1.0 (commit unknown)", b.describe());
        assertEquals(new BuildInfo(BuildInfo.UNKNOWN, BuildInfo.UNKNOWN, false),
                BuildInfo.fromProperties(new Properties()));
        assertEquals(BuildInfo.UNKNOWN, BuildInfo.fromProperties(props("1", "not-a-commit", "true")).commit());
    }

    @Test
    void theRunningCodeCarriesTheStampOfItsBuild() {
        // built by Maven from a git checkout in this project: the plugin filled the stamp in
        BuildInfo b = BuildInfo.current();
        assertFalse(b.version().contains("${"), b.toString());
        assertTrue(b.commit().equals(BuildInfo.UNKNOWN) || b.commit().matches("[0-9a-f]{40}"), b.toString());
    }

    @Test
    void aBuildRejectsAMalformedCommit() {
        assertThrows(InvalidInputException.class, () -> new BuildInfo("1", "abc", false));
        assertThrows(InvalidInputException.class, () -> new BuildInfo(" ", COMMIT, false));
    }

    @Test
    void thePlatformIsThisJvmsJavaVersionAndCpuArchitecture() {
        Platform p = Platform.current();
        assertEquals(System.getProperty("java.version"), p.javaVersion());
        assertEquals(System.getProperty("os.arch"), p.osArch());
        assertTrue(p.describe().startsWith("Java " + p.javaVersion()), p.describe());
    }

    @Test
    void provenanceIsWrittenAsItsPartsAndReadBack() throws Exception {
        Provenance p = new Provenance(new BuildInfo("1.0", COMMIT, false),
                new Platform("17.0.15", "Debian", "OpenJDK 64-Bit Server VM", "Linux", "amd64"));
        String json = CanonicalJson.write(p);
        assertEquals("{\"build\":{\"commit\":\"" + COMMIT + "\",\"dirty\":false,\"version\":\"1.0\"},"
                + "\"platform\":{\"java_vendor\":\"Debian\",\"java_version\":\"17.0.15\",\"os_arch\":\"amd64\","
                + "\"os_name\":\"Linux\",\"vm_name\":\"OpenJDK 64-Bit Server VM\"}}", json);
        assertEquals(p, CanonicalJson.read(json, Provenance.class));
        assertEquals("tinysparse 1.0 (commit 3fd7914)" + System.lineSeparator()
                + "Java 17.0.15 (Debian, OpenJDK 64-Bit Server VM) on Linux amd64", p.describe());
    }
}
