package io.tinysparse.simulator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.PublishedSchemes;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

class Lin2022EstimatorTest {
    private static final Lin2022Estimator LIN = new Lin2022Estimator(ModelSpec.preset("mbv2-w0.35").layers());

    @Test
    void the99kbSchemeComesTo99kB() {
        // By hand, in bits. Masks of convs 26..50: sum of C_out*H_out*W_out = 147,328; biases:
        // 32 * sum C_out (4,168) = 133,376; classifier input 8 * 112 = 896.
        // Weights (saved input + trainable weights): 27, 30: 8*64*24 + 8*144*24 = 39,936 each;
        // 33, 36, 39: 8*64*32 + 8*192*32 = 65,536 each; 42 (7 of 56 channels): 8*16*7 + 8*336*7
        // = 19,712; 45 (28): 78,848; 48 (56): 157,696.
        long expectedBits = 147_328 + 133_376 + 896 + 2 * 39_936 + 3 * 65_536 + 19_712 + 78_848 + 157_696;
        assertEquals(814_336, expectedBits);
        assertEquals(expectedBits, LIN.totalBits(PublishedSchemes.mbv2W035At99kB()));
        assertEquals(101_792, LIN.peakBytes(PublishedSchemes.mbv2W035At99kB()));
        assertEquals(99, Math.round(LIN.peakBytes(PublishedSchemes.mbv2W035At99kB()) / 1024.0), "tiny-training prints {:.0f}kB");
    }

    @Test
    void eachTermOfTheFormulaMatchesAHandComputation() {
        // Last two convs: 49 (depthwise 336 @4x4) bias only, 50 (336->112 @4x4) with half its channels.
        SparseUpdatePolicy p = SparseUpdatePolicy.of(2, List.of(WeightUpdate.ratio(50, 0.5)));
        long mask49 = 336 * 16;
        long bias49 = 32 * 336;
        long mask50 = 112 * 16;
        long bias50 = 32 * 112;
        long saved50 = 8 * 16 * 168;
        long weights50 = 8 * 112 * 168;
        long fc = 8 * 112;
        long bits = mask49 + bias49 + mask50 + bias50 + saved50 + weights50 + fc;
        assertEquals(bits, LIN.totalBits(p));
        MemoryReport r = LIN.report(p);
        assertEquals(bits / 8, r.totalBytes());
        assertEquals(List.of(
                new MemoryReport.Entry(49, BufferKind.RELU_MASK, mask49 / 8),
                new MemoryReport.Entry(49, BufferKind.TRAINABLE_BIASES, bias49 / 8),
                new MemoryReport.Entry(50, BufferKind.RELU_MASK, mask50 / 8),
                new MemoryReport.Entry(50, BufferKind.TRAINABLE_BIASES, bias50 / 8),
                new MemoryReport.Entry(50, BufferKind.SAVED_INPUT, saved50 / 8),
                new MemoryReport.Entry(50, BufferKind.TRAINABLE_WEIGHTS, weights50 / 8),
                new MemoryReport.Entry(51, BufferKind.SAVED_INPUT, fc / 8)), r.breakdown());
        assertEquals((saved50 + fc) / 8, r.byKind().get(BufferKind.SAVED_INPUT));
    }

    @Test
    void depthwiseWeightsCountKTimesKPerChannel() {
        SparseUpdatePolicy dw = SparseUpdatePolicy.of(2, List.of(WeightUpdate.channels(49, 10)));
        long expected = LIN.totalBits(SparseUpdatePolicy.biasOnly(2)) + 8L * 16 * 10 + 8L * 10 * 9;
        assertEquals(expected, LIN.totalBits(dw));
    }

    @Test
    void classifierOnlyPolicyCountsItsInputAndAFrozenClassifierNothing() {
        assertEquals(112, LIN.peakBytes(SparseUpdatePolicy.biasOnly(0)));
        assertEquals(0, LIN.peakBytes(new SparseUpdatePolicy(0, List.of(),
                io.tinysparse.simulator.policy.ChannelSelection.DEFAULT, false)));
    }

    @Test
    void policiesThatDoNotFitTheModelAreRejected() {
        assertEquals("weight layer 20 is outside the bias-updated range [26, 51) of bias_layers 25",
                assertThrows(InvalidInputException.class,
                        () -> LIN.peakBytes(SparseUpdatePolicy.of(25, List.of(WeightUpdate.full(20))))).getMessage());
    }
}
