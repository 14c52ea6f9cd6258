package io.tinysparse.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.transform.ResizeMode;
import io.tinysparse.datasets.transform.TransformSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Target images normalised with the backbone's pretraining statistics, and what that does to a run's identity. */
class NormalisationTest {
    static final Normalisation FASHION = new Normalisation(List.of(0.28, 0.28, 0.28), List.of(0.35, 0.35, 0.35),
            "backbone 0123456789ab");

    @Test
    void imagesAreNormalisedWithTheGivenStatisticsNotTheirOwn() {
        DataSpec own = RunEvaluatorTest.DATA;
        TaskData a = TaskData.of(RunEvaluatorTest.quadrants(200, 1), RunEvaluatorTest.quadrants(80, 2), own,
                RunEvaluatorTest.MODEL);
        TaskData b = TaskData.of(RunEvaluatorTest.quadrants(200, 1), RunEvaluatorTest.quadrants(80, 2),
                own.withNormalisation(FASHION), RunEvaluatorTest.MODEL);
        assertEquals(0.28, b.transform().mean()[1]);
        assertEquals(0.35, b.transform().std()[2]);
        assertNotEquals(a.transform(), b.transform(), "the transform (a feature-cache key) differs");
        // The same pixel, two normalisations: (x - m_a) / s_a and (x - 0.28) / 0.35.
        double x = a.train().values()[0] * a.transform().std()[0] + a.transform().mean()[0];
        assertEquals((x - 0.28) / 0.35, b.train().values()[0], 1e-5);
    }

    @Test
    void aSpecWithoutStatisticsKeepsItsJsonAndRunIdAndOneWithThemDiffers() {
        RunSpec legacy = RunSpecTest.spec(1, 100);
        assertFalse(legacy.toCanonicalJson().contains("normalisation"), legacy.toCanonicalJson());
        RunSpec normalised = new RunSpec(legacy.model(), legacy.policy(), legacy.backboneHash(),
                legacy.data().withNormalisation(FASHION), legacy.budget(), legacy.device(), legacy.seed());
        assertTrue(normalised.toCanonicalJson().contains("\"normalisation\""));
        assertNotEquals(legacy.runId(), normalised.runId());
        assertEquals(normalised, RunSpec.fromJson(normalised.toJson()));
        assertEquals(normalised.runId(), RunSpec.fromJson(normalised.toJson()).runId());
    }

    @Test
    void pretrainingStatisticsAreReadBackFromTheRecordedTransform() {
        TransformSpec t = new TransformSpec(128, 128, ResizeMode.BILINEAR, 3, new double[] {0.2860, 0.2860, 0.2860},
                new double[] {0.3530, 0.3530, 0.3530});
        assertEquals(t, TransformSpec.fromCanonical(t.canonical()));
        Normalisation n = Normalisation.of(TransformSpec.fromCanonical(t.canonical()), "backbone x");
        assertEquals(List.of(0.286, 0.286, 0.286), n.mean());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TransformSpec.fromCanonical("resize=BILINEAR;size=axb"));
        assertTrue(e.getMessage().contains("resize=BILINEAR;size=axb"), e.getMessage());
    }

    @Test
    void badStatisticsAreRejectedNamingTheChannel() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new Normalisation(List.of(0.1, 0.1), List.of(0.2, 0.0), "x"));
        assertTrue(e.getMessage().contains("channel 1"), e.getMessage());
    }
}
