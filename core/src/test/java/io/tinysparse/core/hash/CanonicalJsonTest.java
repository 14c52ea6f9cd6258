package io.tinysparse.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    record Inner(@JsonProperty("zeta") double zeta, @JsonProperty("alpha") Map<String, Integer> alpha) {}

    record Outer(@JsonProperty("name") String name, @JsonProperty("inner") Inner inner,
            @JsonProperty("list") List<Long> list) {}

    @Test
    void sortsKeysAtEveryDepthWithoutWhitespace() {
        Outer o = new Outer("n", new Inner(0.125, new TreeMap<>(Map.of("b", 2, "a", 1))), List.of(3L, 1L));
        assertEquals("{\"inner\":{\"alpha\":{\"a\":1,\"b\":2},\"zeta\":0.125},\"list\":[3,1],\"name\":\"n\"}",
                CanonicalJson.write(o));
    }

    @Test
    void sortsTheKeysOfATreeBuiltInAnyOrder() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("z", 1);
        n.putObject("m").put("y", true).put("b", "s");
        n.put("a", 1.5);
        assertEquals("{\"a\":1.5,\"m\":{\"b\":\"s\",\"y\":true},\"z\":1}", CanonicalJson.write(n));
    }

    @Test
    void aValueReadBackFromItsTextWritesTheSameText() throws Exception {
        Outer o = new Outer("n", new Inner(-1e-9, Map.of("k", 7)), List.of(Long.MAX_VALUE));
        String text = CanonicalJson.write(o);
        assertEquals(text, CanonicalJson.write(CanonicalJson.read(text, Outer.class)));
        assertEquals(text, CanonicalJson.write(CanonicalJson.readTree(text)));
    }
}
