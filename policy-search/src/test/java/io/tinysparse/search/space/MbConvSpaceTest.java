package io.tinysparse.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.model.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Policy spaces of the MBConv presets: the default space and the JSON form. */
class MbConvSpaceTest {

    @Test
    void defaultSpaceIsTheExpandAndProjectConvsOfTheLastFourBlocksAndTheMix() {
        assertEquals(List.of(30, 32, 33, 35, 36, 38, 39, 41),
                PolicySpace.defaultFor(ModelSpec.preset("mcunet-5fps")).weightLayers());
        assertEquals(List.of(50, 51, 53, 54, 56, 57, 59, 60),
                PolicySpace.defaultFor(ModelSpec.preset("proxyless-w0.3")).weightLayers(),
                "the feature mix (60), then the last blocks' expand and project convs");
        assertEquals(List.of(39, 41, 42, 44, 45, 47, 48, 50),
                PolicySpace.defaultFor(ModelSpec.preset("mbv2-w0.35")).weightLayers(), "unchanged for MobileNetV2");
    }

    @Test
    void anMbConvSpaceWritesAndReadsBack() {
        for (String name : List.of("mcunet-5fps", "proxyless-w0.3", "mbv2-320kb")) {
            PolicySpace s = PolicySpace.defaultFor(ModelSpec.preset(name).withResolution(96).withClasses(7));
            assertEquals(s, PolicySpaceJson.parse(PolicySpaceJson.write(s)), name);
        }
        assertTrue(PolicySpaceJson.write(PolicySpace.defaultFor(ModelSpec.preset("mcunet-5fps")))
                .contains("\"mbconv\""));
    }

    @Test
    void aPresetNameOrPresetWithResolutionNamesAnMbConvModel() {
        PolicySpace s = PolicySpaceJson.parse("""
                {"model": {"preset": "mcunet-5fps", "resolution": 96, "classes": 2},
                 "bias_depth": [0, 22], "weight_layers": [21, 24]}""");
        assertEquals(ModelSpec.preset("mcunet-5fps").withResolution(96).withClasses(2), s.model());
        assertEquals("model.width is a MobileNetV2 parameter; model 'mcunet-5fps' is an MBConv network whose config"
                + " fixes it", assertThrows(InvalidInputException.class, () -> PolicySpaceJson.parse("""
                {"model": {"preset": "mcunet-5fps", "width": 0.5}, "bias_depth": [0], "weight_layers": [21]}"""))
                .getMessage());
    }
}
