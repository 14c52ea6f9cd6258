package io.tinysparse.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinysparse.simulator.model.ModelSpec;
import org.junit.jupiter.api.Test;

/** {@code search --model}: searches of different networks get different default ids. */
class SearchModelOptionTest {

    @Test
    void theDefaultIdNamesTheNetworkUnlessItIsTheDefaultOne() {
        assertEquals("default", SearchJob.defaultSearchId(null));
        assertEquals("default", SearchJob.defaultSearchId(ModelSpec.preset("mbv2-w0.35").withResolution(64)));
        assertEquals("default-mcunet-5fps", SearchJob.defaultSearchId(ModelSpec.preset("mcunet-5fps")));
        assertEquals("default-mbv2-w0.35-mix448", SearchJob.defaultSearchId(ModelSpec.preset("mbv2-320kb")));
    }
}
