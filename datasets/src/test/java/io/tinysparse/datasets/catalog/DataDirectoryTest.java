package io.tinysparse.datasets.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataDirectoryTest {
    private static DataDirectory resolve(String flag, Map<String, String> env) {
        return DataDirectory.resolve(flag, env::get, "/home/u");
    }

    @Test
    void flagWinsOverEverything() {
        DataDirectory d = resolve("/flag", Map.of("TINYSPARSE_DATA", "/env", "TINYSPARSE_HOME", "/th"));
        assertEquals(Path.of("/flag"), d.root());
        assertEquals("--data-dir", d.origin());
    }

    @Test
    void environmentVariableWinsOverTheHomes() {
        DataDirectory d = resolve(null, Map.of("TINYSPARSE_DATA", "/env", "TINYSPARSE_HOME", "/th"));
        assertEquals(Path.of("/env"), d.root());
        assertEquals("TINYSPARSE_DATA", d.origin());
    }

    @Test
    void tinysparseHomeGivesItsDataFolder() {
        assertEquals(Path.of("/th/data"), resolve("  ", Map.of("TINYSPARSE_HOME", "/th", "TINYSPARSE_DATA", "")).root());
    }

    @Test
    void defaultIsUnderTheUsersHome() {
        DataDirectory d = resolve(null, Map.of());
        assertEquals(Path.of("/home/u/.tinysparse/data"), d.root());
        assertEquals("default", d.origin());
        assertEquals(Path.of("/home/u/.tinysparse/data/mnist"), d.datasetDirectory("mnist"));
    }

    @Test
    void tildeIsExpandedAndPathsAreNormalised() {
        assertEquals(Path.of("/home/u/data"), resolve("~/x/../data", Map.of()).root());
    }
}
