package io.tinysparse.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A --space file may be YAML (the same keys as JSON, comments allowed); a tiny-training run
 * config given as a space is refused naming its section, not as an unknown key.
 */
class PolicySpaceYamlTest {
    @TempDir
    Path dir;

    @Test
    void aYamlSpaceWithCommentsIsTheSameSpaceAsItsJson() throws Exception {
        Path json = Files.writeString(dir.resolve("space.json"), """
                {"model": "mbv2-w0.35",
                 "bias_depth": {"min": 0, "max": 20, "step": 2},
                 "weight_layers": {"kinds": ["expand", "project"], "last_blocks": 3},
                 "ratios": [0, 0.25, 1],
                 "selection": ["magnitude", {"strategy": "cyclic", "refresh_period": [1, 4]}],
                 "train_classifier": true}
                """);
        Path yaml = Files.writeString(dir.resolve("space.yaml"), """
                # the last three blocks, biases in steps of two
                model: mbv2-w0.35
                bias_depth: {min: 0, max: 20, step: 2}
                weight_layers:
                  kinds: [expand, project]   # no depthwise
                  last_blocks: 3
                ratios: [0, 0.25, 1]
                selection:
                  - magnitude
                  - strategy: cyclic
                    refresh_period: [1, 4]
                train_classifier: true
                """);
        assertEquals(PolicySpaceJson.read(json), PolicySpaceJson.read(yaml));
        assertEquals(PolicySpaceJson.write(PolicySpaceJson.read(json)), PolicySpaceJson.write(PolicySpaceJson.read(yaml)));
    }

    @Test
    void aTinyTrainingRunConfigGivenAsASpaceIsRefusedNamingItsSection() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                net_config:
                  net_name: mbv2-w0.35
                backward_config:
                  n_bias_update: 22
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicySpaceJson.read(config));
        assertTrue(e.getMessage().startsWith("policy space " + config + ": section 'backward_config' is tiny-training's:"
                + " a tiny-training run config is one policy (give it as --policy)"), e.getMessage());
    }
}
