package io.tinysparse.search.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.search.Candidate;
import io.tinysparse.search.Fidelity;
import io.tinysparse.search.Genome;
import io.tinysparse.simulator.run.Quantization;
import io.tinysparse.simulator.run.RunSpec;
import org.junit.jupiter.api.Test;

/** An int8 search: its configuration, its runs' specs, and the dense reference beside it (fp32). */
class SearchPrecisionTest {
    private static SearchDefinition int8(SearchDefinition d, Quantization q) {
        return new SearchDefinition(d.kind(), d.settings(), d.budget(), d.data(), d.training(), d.device(),
                d.backboneHash(), d.reportTestSamples(), d.replicates(), d.rules(), d.reference(), q, d.objectives());
    }

    @Test
    void anInt8SearchIsAnotherConfigurationAndAnFp32OneHasNoQuantizationKey() {
        SearchDefinition fp32 = GenerationDriverTest.withReference(GenerationDriverTest.definition(SearcherKind.RANDOM,
                4, 4));
        SearchDefinition q = int8(fp32, Quantization.int8(true, "fashion-mnist"));
        assertFalse(fp32.configJson().contains("quantization"), fp32.configJson());
        assertTrue(q.configJson().contains("\"quantization\":{\"precision\":\"int8\",\"qas\":true,"), q.configJson());
        assertNotEquals(fp32.fingerprintId("quick"), q.fingerprintId("quick"));
        assertNotEquals(q.fingerprintId("quick"), int8(fp32, Quantization.int8(false, "fashion-mnist"))
                .fingerprintId("quick"));
    }

    @Test
    void everyRunOfAnInt8SearchIsInt8ButTheDenseReference() {
        SearchDefinition fp32 = GenerationDriverTest.withReference(GenerationDriverTest.definition(SearcherKind.RANDOM,
                4, 4));
        Quantization quantization = Quantization.int8(true, "fashion-mnist");
        RunPlanner planner = int8(fp32, quantization).planner();
        Candidate c = new Candidate(0, Genome.of(new int[planner.space().genomeSpace().dimensions()]), Fidelity.BASE);
        RunSpec run = planner.plan(c).spec();
        RunSpec plain = fp32.planner().plan(c).spec();
        assertEquals(quantization, run.quantization());
        assertEquals(plain, run.withQuantization(null), "the same run in all else");
        RunSpec reference = planner.referenceRun(fp32.reference(), 0, 1, 0).spec();
        assertNull(reference.quantization());
    }
}
