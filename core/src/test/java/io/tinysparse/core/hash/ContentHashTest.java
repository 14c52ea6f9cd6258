package io.tinysparse.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentHashTest {
    // FIPS 180-2 test vectors
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path dir;

    @Test
    void isSha256InLowerCaseHex() {
        assertEquals(EMPTY, ContentHash.of(""));
        assertEquals(ABC, ContentHash.of("abc"));
        assertEquals(ABC, ContentHash.of("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void hashesTextAsUtf8() {
        assertEquals(ContentHash.of("é".getBytes(StandardCharsets.UTF_8)), ContentHash.of("é"));
    }

    @Test
    void aFileHashesAsItsBytes() throws Exception {
        byte[] bytes = new byte[3 * 65536 + 17]; // several stream buffers
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Path f = Files.write(dir.resolve("f.bin"), bytes);
        assertEquals(ContentHash.of(bytes), ContentHash.ofFile(f));
    }

    @Test
    void aDigestHashesAsTheBytesFedToIt() {
        var d = ContentHash.newDigest();
        d.update("ab".getBytes(StandardCharsets.US_ASCII));
        d.update((byte) 'c');
        assertEquals(ABC, HexFormat.of().formatHex(d.digest()));
    }

    @Test
    void equalValuesBuiltInAnotherOrderHashAlike() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", 1);
        a.put("a", Map.of("y", 2, "x", 3));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("a", Map.of("x", 3, "y", 2));
        b.put("b", 1);
        assertEquals(ContentHash.ofCanonicalJson(a), ContentHash.ofCanonicalJson(b));
        assertEquals(ContentHash.of("{\"a\":{\"x\":3,\"y\":2},\"b\":1}"), ContentHash.ofCanonicalJson(a));
    }

    @Test
    void recognisesTheFormOfAHash() {
        assertTrue(ContentHash.isHash(ABC));
        assertFalse(ContentHash.isHash(ABC.toUpperCase()));
        assertFalse(ContentHash.isHash(ABC.substring(1)));
        assertFalse(ContentHash.isHash(null));
        assertEquals(ABC, ContentHash.require(ABC, "h"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ContentHash.require("xyz", "spec_hash"));
        assertEquals("spec_hash must be 64 lower-case hex digits, got 'xyz'", e.getMessage());
    }
}
