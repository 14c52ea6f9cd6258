package io.tinysparse.simulator.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.memory.Lin2022Estimator;
import io.tinysparse.simulator.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy files may be YAML; a whole tiny-training run config (its four sections, top-level
 * settings and comments) is read by taking its backward_config section, and an error names the
 * section or key at fault instead of calling backward_config an unknown key.
 */
class PolicyYamlTest {
    private static final ModelSpec MODEL = ModelSpec.preset("mbv2-w0.35");

    /** A run config in the shape of tiny-training's configs/default.yaml merged with a transfer config. */
    static final String RUN_CONFIG = """
            run_dir: null
            manual_seed: 0
            evaluate: false
            ray_tune: 0  # ray tuning

            data_provider:
              dataset: image_folder
              root: /dataset/flowers102
              resize_scale: 0.08
              color_aug: 0.4
              base_batch_size: 64
              n_worker: 8
              image_size: 128
              num_classes: 10

            run_config:
              # learning rate
              n_epochs: 50
              base_lr: 0.025
              bs256_lr: 0.1  # Notice: if this one is not None, it will overwrite base_lr
              warmup_epochs: 5
              lr_schedule_name: cosine
              weight_decay: 0  # no wd for training
              no_wd_keys: ['norm', 'bias']
              optimizer_name: sgd_scale_nomom

            net_config:
              net_name: mbv2-w0.35
              pretrained: false
              cls_head: linear
              dropout: 0.
              mcu_head_type: fp

            backward_config:  # for partial backward
              enable_backward_config: 1
              n_bias_update: 25  # how many conv to update the bias
              n_weight_update: null   # how many weights to update (smaller than n_bias_update)
              weight_update_ratio: 1-1-1-1-1-0.125-0.5-1  # along input channels
              weight_select_criteria: magnitude+
              # mbv2
              pw1_weight_only: 0  # only update the weight of the first pointwise conv
              manual_weight_idx: 27-30-33-36-39-42-45-48
              quantize_gradient: 0
              freeze_fc: 0
              train_scale: 0
            """;

    static final String BACKWARD_CONFIG_JSON = """
            {"enable_backward_config": 1, "n_bias_update": 25, "n_weight_update": null,
             "weight_update_ratio": "1-1-1-1-1-0.125-0.5-1", "weight_select_criteria": "magnitude+",
             "pw1_weight_only": 0, "manual_weight_idx": "27-30-33-36-39-42-45-48", "quantize_gradient": 0,
             "freeze_fc": 0, "train_scale": 0}
            """;

    @TempDir
    Path dir;

    @Test
    void aTinyTrainingRunConfigGivesItsBackwardConfigSectionAndTheSameBytesAsThatSectionAsJson() throws Exception {
        Path yaml = Files.writeString(dir.resolve("config.yaml"), RUN_CONFIG);
        Path json = Files.writeString(dir.resolve("backward.json"), BACKWARD_CONFIG_JSON);
        SparseUpdatePolicy fromYaml = PolicyJson.read(yaml, MODEL);
        SparseUpdatePolicy fromJson = PolicyJson.read(json, MODEL);
        assertEquals(fromJson, fromYaml);
        assertEquals(PublishedSchemes.mbv2W035At99kB(), fromYaml);
        Lin2022Estimator lin = new Lin2022Estimator(MODEL.layers());
        assertEquals(lin.peakBytes(fromJson), lin.peakBytes(fromYaml));
    }

    @Test
    void aYamlPolicyInTinysparsesOwnFormReadsLikeItsJson() throws Exception {
        SparseUpdatePolicy p = new SparseUpdatePolicy(6, List.of(WeightUpdate.ratio(48, 0.25), WeightUpdate.channels(50, 7)),
                ChannelSelection.dynamic(SelectionStrategy.CYCLIC, 4), true);
        Path yaml = Files.writeString(dir.resolve("policy.yml"), """
                # a cyclic policy
                bias_layers: 6
                selection: {strategy: cyclic, refresh_period: 4}
                weights:
                  - {layer: 48, ratio: 0.25}
                  - layer: 50
                    channels: 7
                """);
        assertEquals(p, PolicyJson.read(yaml, MODEL));
        // no extension: YAML because it does not start with '{'
        assertEquals(p, PolicyJson.read(Files.writeString(dir.resolve("policy"), Files.readString(yaml)), MODEL));
        assertEquals(p, PolicyJson.read(PolicyJson.write(p), MODEL));
    }

    @Test
    void aRunConfigWithoutBackwardConfigNamesTheSectionsItHas() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicyJson.read(
                "data_provider:\n  image_size: 128\nnet_config:\n  net_name: mbv2-w0.35\n", MODEL));
        assertEquals("tiny-training run config has no backward_config section (it has data_provider, net_config):"
                + " the policy is that section", e.getMessage());
    }

    @Test
    void anEmptyOrScalarBackwardConfigSectionIsNamed() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PolicyJson.read("net_config:\n  dropout: 0.\nbackward_config:\n", MODEL));
        assertTrue(e.getMessage().startsWith("section backward_config must be a mapping of tiny-training keys"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("got nothing"), e.getMessage());
    }

    @Test
    void anUnknownOrBadKeyInsideTheSectionIsNamedWithTheSection() throws Exception {
        Path typo = Files.writeString(dir.resolve("config.yaml"),
                RUN_CONFIG.replace("  n_bias_update: 25", "  n_bias_updates: 25"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicyJson.read(typo, MODEL));
        assertTrue(e.getMessage().startsWith("policy file " + typo + ": section backward_config: unknown backward_config"
                + " key 'n_bias_updates'"), e.getMessage());
        Path bad = Files.writeString(dir.resolve("bad.yaml"),
                RUN_CONFIG.replace("weight_update_ratio: 1-1-1-1-1-0.125-0.5-1", "weight_update_ratio: 1-1-0.5"));
        e = assertThrows(InvalidInputException.class, () -> PolicyJson.read(bad, MODEL));
        assertTrue(e.getMessage().contains("section backward_config: weight_update_ratio"), e.getMessage());
    }

    @Test
    void aPolicyKeyAtTheTopLevelBesideTheSectionIsNamed() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PolicyJson.read(RUN_CONFIG + "n_bias_update: 4\n", MODEL));
        assertEquals("key 'n_bias_update' is at the top level beside the backward_config section; a policy key"
                + " belongs inside backward_config", e.getMessage());
    }

    @Test
    void aYamlSyntaxErrorNamesTheFileAndTheLine() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "backward_config:\n  n_bias_update: [4\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicyJson.read(broken, MODEL));
        assertTrue(e.getMessage().startsWith("policy file " + broken + ": not valid YAML at line "), e.getMessage());
    }
}
