package io.tinysparse.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tinysparse.core.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A configuration document (a policy, a policy space, a tiny-training run config) read into a
 * Jackson tree from JSON or YAML, so that every reader above it validates one tree whatever the
 * file's syntax.
 *
 * <p><b>Which syntax.</b> A file named {@code *.json} is JSON; {@code *.yaml} or {@code *.yml} is
 * YAML; any other file, and text without a name, is JSON when its first character that is not
 * white space is <code>{</code> or {@code [}, YAML otherwise. JSON is parsed by the JSON parser
 * even though YAML would accept most of it, so that a JSON file's errors read as JSON errors.
 *
 * <p>YAML is read as tiny-training reads its configs ({@code yaml.safe_load}): comments
 * ignored, {@code null}/{@code ~} and an empty value are null, {@code 1-1-0.125} is a string,
 * {@code 0.} a number. One document per file; a key given twice in one mapping, or anything after
 * the document, is an error.
 */
public final class ConfigDocument {
    /** The syntax of a document. */
    public enum Syntax {
        JSON,
        YAML;

        /** The name for messages. */
        public String label() {
            return name();
        }
    }

    // A key given twice, text after the document and a second YAML document are refused: each
    // would otherwise be read silently as only one of the values the user wrote.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ConfigDocument() {}

    /** The syntax of {@code text}, named {@code fileName} (null when it has none); see the class comment. */
    public static Syntax syntaxOf(String fileName, String text) {
        if (fileName != null) {
            String name = fileName.toLowerCase(Locale.ROOT);
            if (name.endsWith(".json")) {
                return Syntax.JSON;
            }
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                return Syntax.YAML;
            }
        }
        String t = text.stripLeading();
        return t.startsWith("{") || t.startsWith("[") ? Syntax.JSON : Syntax.YAML;
    }

    /**
     * Parses {@code text} in {@code syntax}.
     *
     * @return the tree; a {@code MissingNode} for a document without content
     * @throws InvalidInputException naming the syntax, the parser's reason, and the line and column
     */
    public static JsonNode parse(String text, Syntax syntax) {
        try {
            JsonNode root = (syntax == Syntax.JSON ? JSON : YAML).readTree(text);
            return root == null ? JSON.missingNode() : root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidInputException("not valid " + syntax.label() + where + ": "
                    + String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " ").trim());
        }
    }

    /** {@link #parse(String, Syntax)} with the syntax {@linkplain #syntaxOf guessed from the text}. */
    public static JsonNode parse(String text) {
        return parse(text, syntaxOf((String) null, text));
    }

    /**
     * The text of {@code file}.
     *
     * @param what what the file is, for messages ({@code "policy file"})
     * @throws InvalidInputException naming {@code what} and the file if it is missing, a directory or unreadable
     */
    public static String readText(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(what + " " + file + " does not exist");
        } catch (IOException e) {
            // a directory, an unreadable file: the JDK's message names neither the file nor its role
            throw new InvalidInputException(what + " " + file + " cannot be read: "
                    + (Files.isDirectory(file) ? "it is a directory" : e.toString()), e);
        }
    }

    /** The syntax of {@code file} given its text (by its name, else its content). */
    public static Syntax syntaxOf(Path file, String text) {
        Path name = file.getFileName();
        return syntaxOf(name == null ? null : name.toString(), text);
    }
}
