package io.tinysparse.core.hash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The canonical JSON text of a value, the form {@link ContentHash} hashes: object keys sorted at
 * every depth, no whitespace, numbers as Jackson writes them. Equal values give equal text
 * whatever order their fields or map entries were built in.
 *
 * <p>Records and beans are serialised with their Jackson annotations (property names, ignored
 * properties); the result is then sorted as a tree, so a nested {@link JsonNode} is sorted too.
 */
public final class CanonicalJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private CanonicalJson() {}

    /** The canonical text of {@code value} (a record, a map, a {@link JsonNode}, ...). */
    public static String write(Object value) {
        JsonNode tree = value instanceof JsonNode n ? n : MAPPER.valueToTree(value);
        try {
            // through plain maps, so that ORDER_MAP_ENTRIES_BY_KEYS sorts the keys of every object
            return MAPPER.writeValueAsString(MAPPER.treeToValue(tree, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write canonical JSON of " + value.getClass().getName(), e);
        }
    }

    /** {@code value} as a tree, with the mapper canonical text is written with. */
    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Parses JSON text into a tree (any JSON, canonical or not). */
    public static JsonNode readTree(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    /** Reads a value of {@code type} back from its JSON text, with the annotations it was written with. */
    public static <T> T read(String json, Class<T> type) throws JsonProcessingException {
        return MAPPER.readValue(json, type);
    }
}
