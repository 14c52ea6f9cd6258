package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tinysparse.core.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The master URL forms Spark accepts pass; anything else is bad input naming it, before a session exists. */
class MasterUrlTest {
    @Test
    void sparksOwnFormsPass() {
        for (String url : List.of("local", "local[1]", "local[*]", "local[4,2]", "local[*, 3]", "local-cluster[2,1,1024]",
                "spark://127.0.0.1:7077", "spark://a:7077,b:7077", "yarn", "k8s://https://host:6443")) {
            assertEquals(url, MasterUrl.require(url));
        }
    }

    @Test
    void anythingElseIsBadInputNamingTheUrl() {
        for (String url : List.of("bogus", "local[0]", "local[x]", "locall", "spark://host", "spark://", "", "yarn2")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> MasterUrl.require(url), url);
            assertEquals("--master '" + url + "' is not a Spark master URL (local, local[N], local[*], local[N,F],"
                    + " spark://HOST:PORT, yarn, k8s://URL)", e.getMessage());
        }
    }
}
