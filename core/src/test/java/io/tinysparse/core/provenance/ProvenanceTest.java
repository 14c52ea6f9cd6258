package io.tinysparse.core.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.hash.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * The commit of the checkout these classes were built from (tests run in the build that
     * stamped them, before anything can commit): its HEAD, or unknown outside a git checkout.
     */
    private static String builtCommit() throws Exception {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Process p = new ProcessBuilder("git", "-C", module.toString(), "rev-parse", "HEAD")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String head = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 && BuildInfo.isCommit(head) ? head : BuildInfo.UNKNOWN;
    }

    @Test
    void theRecordedCommitIsTheHeadOfTheCheckoutTheCodeWasBuiltFromALinkedWorktreeIncluded() throws Exception {
        assertEquals(builtCommit(), BuildInfo.current().commit());
    }

    @Test
    void theRecordedCommitDoesNotFollowTheRepositoryACommandIsStartedIn(@TempDir Path other) throws Exception {
        String built = builtCommit();
        // Another repository with its own HEAD, as the working directory of a fresh JVM running this code.
        git(other, "init", "-q");
        Files.writeString(other.resolve("f"), "x");
        git(other, "add", "f");
        git(other, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "other");
        String otherHead = git(other, "rev-parse", "HEAD");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), PrintCommit.class.getName())
                .directory(other.toFile()).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), printed);
        assertEquals(built, printed);
        assertNotEquals(otherHead, printed);
    }

    /** Prints the running code's commit (run in a child JVM by the test above). */
    static final class PrintCommit {
        public static void main(String[] args) {
            System.out.println(BuildInfo.current().commit());
        }
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), "git " + String.join(" ", args) + ": " + out);
        return out;
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
