package io.tinysparse.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinysparse.core.InvalidInputException;
import io.tinysparse.core.config.ConfigDocument.Syntax;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration file is JSON or YAML by its extension, else by its first character; YAML is
 * read the way tiny-training's {@code yaml.safe_load} reads its configs; errors name the syntax,
 * line and column; file errors name the file and its role.
 */
class ConfigDocumentTest {
    @TempDir
    Path dir;

    @Test
    void theExtensionDecidesAndWithoutOneTheFirstCharacterDoes() {
        assertEquals(Syntax.JSON, ConfigDocument.syntaxOf("p.json", "a: 1"));
        assertEquals(Syntax.YAML, ConfigDocument.syntaxOf("p.yaml", "{\"a\": 1}"));
        assertEquals(Syntax.YAML, ConfigDocument.syntaxOf("P.YML", "{\"a\": 1}"));
        assertEquals(Syntax.JSON, ConfigDocument.syntaxOf("policy", "  \n {\"a\": 1}"));
        assertEquals(Syntax.JSON, ConfigDocument.syntaxOf((String) null, "[1]"));
        assertEquals(Syntax.YAML, ConfigDocument.syntaxOf("policy.txt", "# comment\na: 1"));
    }

    @Test
    void yamlIsReadAsTinyTrainingWritesItCommentsNullsDashedListsAndBareFloats() {
        JsonNode n = ConfigDocument.parse("""
                backward_config:  # for partial backward
                  n_bias_update: 22
                  n_weight_update: null   # unused
                  manual_weight_idx: 21-24-27-30-36-39
                  weight_update_ratio: 1-1-1-1-0.125-0.25
                  weight_select_criteria: magnitude+
                  train_scale:
                net_config:
                  dropout: 0.
                """, Syntax.YAML);
        JsonNode b = n.get("backward_config");
        assertEquals(22, b.get("n_bias_update").intValue());
        assertTrue(b.get("n_weight_update").isNull());
        assertEquals("21-24-27-30-36-39", b.get("manual_weight_idx").textValue());
        assertEquals("1-1-1-1-0.125-0.25", b.get("weight_update_ratio").textValue());
        assertEquals("magnitude+", b.get("weight_select_criteria").textValue());
        assertTrue(b.get("train_scale").isNull());
        assertTrue(n.get("net_config").get("dropout").isNumber());
    }

    @Test
    void aSyntaxErrorNamesTheSyntaxAndTheLine() {
        InvalidInputException yaml = assertThrows(InvalidInputException.class,
                () -> ConfigDocument.parse("a: 1\nb: [1, 2\nc: 3\n", Syntax.YAML));
        assertTrue(yaml.getMessage().startsWith("not valid YAML at line "), yaml.getMessage());
        InvalidInputException json = assertThrows(InvalidInputException.class,
                () -> ConfigDocument.parse("{\"a\": 1,,}", Syntax.JSON));
        assertTrue(json.getMessage().startsWith("not valid JSON at line 1, column "), json.getMessage());
    }

    @Test
    void anEmptyDocumentIsAMissingNodeNotAnError() {
        assertTrue(ConfigDocument.parse("# only a comment\n", Syntax.YAML).isMissingNode());
    }

    @Test
    void aMissingFileOrADirectoryIsBadInputNamingTheFileAndItsRole() throws Exception {
        Path missing = dir.resolve("nope.yaml");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ConfigDocument.readText(missing, "policy file"));
        assertEquals("policy file " + missing + " does not exist", e.getMessage());
        Path sub = Files.createDirectory(dir.resolve("sub"));
        e = assertThrows(InvalidInputException.class, () -> ConfigDocument.readText(sub, "policy space file"));
        assertTrue(e.getMessage().contains("policy space file " + sub + " cannot be read: it is a directory"),
                e.getMessage());
    }

    @Test
    void aKeyGivenTwiceTextAfterTheDocumentAndASecondYamlDocumentAreRefused() {
        String[][] cases = {
            {"{\"n_bias_update\": 22, \"n_bias_update\": 5}", "Duplicate field 'n_bias_update'"},
            {"backward_config:\n  n_bias_update: 22\n  n_bias_update: 3\n", "Duplicate field 'n_bias_update'"},
            {"{\"n_bias_update\": 22} trailing", "not valid JSON"},
            {"n_bias_update: 22\n---\nn_bias_update: 3\n", "not valid YAML"},
        };
        for (String[] c : cases) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConfigDocument.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
        assertEquals(22, ConfigDocument.parse("a:\n  n_bias_update: 22\nb:\n  n_bias_update: 3\n")
                .at("/a/n_bias_update").asInt(), "the same key in two mappings is fine");
    }
}
