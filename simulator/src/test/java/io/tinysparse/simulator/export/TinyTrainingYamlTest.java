package io.tinysparse.simulator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.config.ConfigDocument;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.memory.Lin2022Estimator;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.PolicyJson;
import io.tinysparse.simulator.policy.PublishedSchemes;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tiny-training export is the backward_config section with every key of tiny-training's
 * default.yaml in its order; read back it gives the same bytes by the Lin et al. formula; what
 * tiny-training cannot say (dynamic selection, exact channel counts) is said in a comment.
 */
class TinyTrainingYamlTest {
    private static final ModelSpec MODEL = ModelSpec.preset("mbv2-w0.35").withResolution(32);

    static ExportedPolicy exported(SparseUpdatePolicy p) {
        return new ExportedPolicy("s1", "run-1", "--pick knee", MODEL, p, 7L, 0.81, 0.8,
                new ArenaEstimator(MODEL.layers(), ArenaConfig.DEFAULT).peakBytes(p),
                new Lin2022Estimator(MODEL.layers()).peakBytes(p), 262_144L);
    }

    @Test
    void theSectionHasTinyTrainingsKeysInItsOrderAndReadsBackToTheSamePolicyAndBytes() {
        SparseUpdatePolicy p = PublishedSchemes.mbv2W035At99kB();
        String yaml = TinyTrainingYaml.write(exported(p), "tinysparse test");
        List<String> keys = new ArrayList<>();
        ConfigDocument.parse(yaml).get("backward_config").fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("enable_backward_config", "n_bias_update", "n_weight_update", "weight_update_ratio",
                "weight_select_criteria", "pw1_weight_only", "manual_weight_idx", "quantize_gradient", "freeze_fc",
                "train_scale"), keys);
        assertTrue(yaml.contains("  manual_weight_idx: 27-30-33-36-39-42-45-48\n"), yaml);
        assertTrue(yaml.contains("  weight_update_ratio: 1-1-1-1-1-0.125-0.5-1\n"), yaml);
        assertTrue(yaml.contains("# check: tinysparse memory --policy THIS_FILE --model mbv2-w0.35 --resolution 32 --classes 10"), yaml);
        assertFalse(yaml.contains("LOST"), yaml);
        SparseUpdatePolicy back = PolicyJson.read(yaml, MODEL);
        assertEquals(p, back);
        Lin2022Estimator lin = new Lin2022Estimator(MODEL.layers());
        assertEquals(lin.peakBytes(p), lin.peakBytes(back));
    }

    @Test
    void aDynamicSelectionSaysWhatIsLostAndNamesTheNearestStaticCriterion() {
        for (Map.Entry<SelectionStrategy, String> e : Map.of(SelectionStrategy.CYCLIC, "magnitude+",
                SelectionStrategy.DYNAMIC_RANDOM, "random", SelectionStrategy.IMPORTANCE, "magnitude+").entrySet()) {
            SparseUpdatePolicy p = new SparseUpdatePolicy(10, List.of(WeightUpdate.ratio(45, 0.25)),
                    ChannelSelection.dynamic(e.getKey(), 5), true);
            String yaml = TinyTrainingYaml.write(exported(p), "tinysparse test");
            assertTrue(yaml.contains("# LOST: the channel selection '" + e.getKey().jsonName()
                    + "' re-selects the updated channels every 5 iteration(s)"), yaml);
            assertTrue(yaml.contains("  weight_select_criteria: " + e.getValue() + "\n"), yaml);
            SparseUpdatePolicy back = PolicyJson.read(yaml, MODEL);
            assertEquals(new Lin2022Estimator(MODEL.layers()).peakBytes(p),
                    new Lin2022Estimator(MODEL.layers()).peakBytes(back));
            assertFalse(back.selection().strategy().dynamic());
        }
        SparseUpdatePolicy importance = new SparseUpdatePolicy(10, List.of(WeightUpdate.ratio(45, 0.25)),
                new ChannelSelection(SelectionStrategy.IMPORTANCE, 2, Map.of("temperature", 0.5)), true);
        assertTrue(TinyTrainingYaml.write(exported(importance), "t").contains("2 iteration(s), temperature 0.5;"));
    }

    @Test
    void anExactChannelCountBecomesARatioThatTinyTrainingFloorsToThatCount() {
        // conv 42: C_in 56; 7 channels; conv 44: 336 -> 5 channels; conv 50: all 336
        SparseUpdatePolicy p = SparseUpdatePolicy.of(9, List.of(WeightUpdate.channels(42, 7), WeightUpdate.channels(44, 5),
                WeightUpdate.channels(50, 336)));
        String yaml = TinyTrainingYaml.write(exported(p), "tinysparse test");
        SparseUpdatePolicy back = PolicyJson.read(yaml, MODEL);
        for (int i = 0; i < 3; i++) {
            int cin = MODEL.layers().conv(p.weights().get(i).layer()).inChannels();
            assertEquals(p.weights().get(i).channelsOf(cin), back.weights().get(i).channelsOf(cin), yaml);
            assertTrue(back.weights().get(i).ratio() <= 1, yaml);
        }
        assertTrue(yaml.contains("# layer 42 updates 7 of its 56 input channels: written as the ratio"), yaml);
        assertEquals(new Lin2022Estimator(MODEL.layers()).peakBytes(p), new Lin2022Estimator(MODEL.layers()).peakBytes(back));
        for (int c = 1; c <= 336; c++) {
            double r = TinyTrainingYaml.ratioFor(c, 336);
            assertEquals(c, (int) Math.floor(r * 336));
            assertTrue(Math.floor(Math.nextDown(r) * 336) < c, "smallest such ratio");
        }
    }

    @Test
    void noWeightLayersAndAFrozenClassifierAreWrittenAsTinyTrainingSpellsThem() {
        SparseUpdatePolicy p = new SparseUpdatePolicy(4, List.of(), ChannelSelection.DEFAULT, false);
        String yaml = TinyTrainingYaml.write(exported(p), "tinysparse test");
        assertTrue(yaml.contains("  n_weight_update: 0\n  weight_update_ratio: null\n"), yaml);
        assertTrue(yaml.contains("  manual_weight_idx: null\n"), yaml);
        assertTrue(yaml.contains("  freeze_fc: 1\n"), yaml);
        assertEquals(p, PolicyJson.read(yaml, MODEL));
    }

    @Test
    void theCheckLineNamesTheModelSoThatMemoryRebuildsTheSameNetwork() {
        assertEquals("--model mbv2-w0.35", TinyTrainingYaml.modelOptions(ModelSpec.preset("mbv2-w0.35")));
        assertEquals("--model mcunet-5fps", TinyTrainingYaml.modelOptions(ModelSpec.preset("mcunet-5fps")));
        assertEquals("--model proxyless-w0.3", TinyTrainingYaml.modelOptions(ModelSpec.preset("proxyless-w0.3")));
        assertEquals("--model mbv2-w0.35 --feature-mix --feature-mix-channels 448",
                TinyTrainingYaml.modelOptions(ModelSpec.preset("mbv2-320kb")));
        assertEquals("--model mbv2-w0.35 --width 1.0 --feature-mix",
                TinyTrainingYaml.modelOptions(ModelSpec.preset("mbv2-w1.0")));
        ModelSpec custom = ModelSpec.of(ModelSpec.preset("mcunet-5fps").mbconv().withName("my-net"), 96, 1000);
        assertEquals("--model NETWORK_CONFIG_OF_my-net", TinyTrainingYaml.modelOptions(custom));
    }
}
