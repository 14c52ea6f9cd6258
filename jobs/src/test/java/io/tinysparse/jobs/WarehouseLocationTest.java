package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warehouse a command writes must be a writable directory or creatable under one; the check creates nothing. */
class WarehouseLocationTest {
    @TempDir
    Path dir;

    private String rejected(String warehouse) {
        return assertThrows(InvalidInputException.class, () -> WarehouseLocation.requireWritable(warehouse))
                .getMessage();
    }

    @Test
    void anExistingDirectoryOrOneThatCanBeCreatedPassesAndNothingIsCreated() {
        WarehouseLocation.requireWritable(dir.toString());
        WarehouseLocation.requireWritable(dir.resolve("a/b/wh").toString());
        WarehouseLocation.requireWritable("file:" + dir.resolve("wh"));
        WarehouseLocation.requireWritable("hdfs://namenode:8020/warehouse");
        assertFalse(Files.exists(dir.resolve("a")), "the check creates nothing");
    }

    @Test
    void aRegularFileOrAPathUnderOneIsBadInputNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("wh"), "x");
        assertEquals("--warehouse " + file + " is not a directory", rejected(file.toString()));
        assertEquals("--warehouse " + file.resolve("sub/wh") + " cannot be created: " + file + " is not a directory",
                rejected(file.resolve("sub/wh").toString()));
        assertEquals("--warehouse file:" + file + " is not a directory", rejected("file:" + file));
    }

    @Test
    void aReadOnlyDirectoryOrParentIsBadInputNamingIt() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> WarehouseLocation.requireWritable(readOnly.toString(), p -> !p.equals(readOnly)));
        assertEquals("--warehouse " + readOnly + " is not writable", e.getMessage());
        Path below = readOnly.resolve("wh");
        InvalidInputException c = assertThrows(InvalidInputException.class,
                () -> WarehouseLocation.requireWritable(below.toString(), p -> !p.equals(readOnly)));
        assertEquals("--warehouse " + below + " cannot be created: " + readOnly + " is not writable", c.getMessage());
    }

    @Test
    void aSearchWithACommittedGenerationIsFoundWithoutSparkAndAMissingWarehouseHasNone() throws Exception {
        Files.createDirectories(dir.resolve("wh/searches/search_id=s1/generation=0"));
        assertTrue(WarehouseLocation.hasSearch(dir.resolve("wh").toString(), "s1"));
        assertFalse(WarehouseLocation.hasSearch(dir.resolve("wh").toString(), "s2"));
        assertFalse(WarehouseLocation.hasSearch(dir.resolve("none").toString(), "s1"));
        assertFalse(Files.exists(dir.resolve("none")), "looking creates nothing");
    }
}
