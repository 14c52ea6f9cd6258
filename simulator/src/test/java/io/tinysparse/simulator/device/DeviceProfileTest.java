package io.tinysparse.simulator.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.model.OpKind;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.TrainingWork;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceProfileTest {
    private static final LayerTable T = ModelSpec.preset("mbv2-w0.35").layers();

    @Test
    void presetsCarryTheDatasheetSizesAndClocks() {
        DeviceProfile f7 = DeviceProfile.preset("stm32f746");
        assertEquals(320 * 1024, f7.sramBytes());
        assertEquals(1024 * 1024, f7.flashBytes());
        assertEquals(216_000_000L, f7.clockHz());
        assertEquals(256 * 1024, DeviceProfile.preset(DeviceProfile.DEFAULT).sramBytes());
        assertEquals(480_000_000L, DeviceProfile.preset("STM32H743").clockHz());
        assertEquals(64_000_000L, DeviceProfile.preset("nrf52840").clockHz());
        assertEquals("unknown device 'esp32' (known: generic-256kb, stm32f746, stm32h743, nrf52840)",
                assertThrows(InvalidInputException.class, () -> DeviceProfile.preset("esp32")).getMessage());
    }

    @Test
    void aDenseUpdateDoesEveryConvTwiceBackwardButTheStemInputGradient() {
        List<WeightUpdate> all = new ArrayList<>();
        for (int i = 0; i < T.convCount(); i++) {
            all.add(WeightUpdate.full(i));
        }
        TrainingWork w = TrainingWork.of(T, SparseUpdatePolicy.of(T.convCount(), all));
        long fc = T.classifier().macs();
        assertEquals(T.macs(), w.forwardMacs());
        assertEquals(2 * T.convMacs() - T.conv(0).macs() + 2 * fc, w.backwardMacs());
        assertEquals(1.0, w.updatedWeightFraction());
        assertEquals(T.conv(0).macs(), w.convBackward(), "stem: weight gradient only");
    }

    @Test
    void classifierOnlyTrainingDoesOnlyTheClassifierWeightGradient() {
        TrainingWork w = TrainingWork.of(T, SparseUpdatePolicy.biasOnly(0));
        assertEquals(T.classifier().macs(), w.backwardMacs());
        assertEquals(0.0, w.updatedWeightFraction());
    }

    @Test
    void sparseWeightGradientCostsOnlyTheSelectedChannels() {
        // Layer 50 (336 -> 112 @4x4), 42 of 336 channels, last layer: no input gradient.
        TrainingWork w = TrainingWork.of(T, SparseUpdatePolicy.of(1, List.of(WeightUpdate.channels(50, 42))));
        assertEquals(42L * 112 * 16, w.pointwiseBackward());
        assertEquals(2 * T.classifier().macs(), w.linearBackward());
    }

    @Test
    void timePerStepIsCyclesOverClock() {
        TrainingWork w = new TrainingWork(100, 200, 300, 400, 1, 2, 3, 4, 0, 1);
        DeviceProfile d = new DeviceProfile("t", "test", 1, 1, 1000, new CycleCosts(1, 2, 3, 4, 5, 6, 7, 8));
        double cycles = 100 + 400 + 900 + 1600 + 5 + 12 + 21 + 32;
        assertEquals(cycles / 1000, d.secondsPerStep(w), 1e-12);
        DeviceProfile faster = d.withCycles("linear.forward=1,depthwise.backward=0.5");
        assertEquals((cycles - 1200 - 11) / 1000, faster.secondsPerStep(w), 1e-12);
        assertEquals(4.0, d.cyclesPerMac().forward(OpKind.LINEAR));
    }

    @Test
    void badCycleOverridesNameTheEntry() {
        DeviceProfile d = DeviceProfile.preset("stm32f746");
        assertEquals("unknown op kind 'dense' in cycles override (known: conv, depthwise, pointwise, linear)",
                assertThrows(InvalidInputException.class, () -> d.withCycles("dense.forward=1")).getMessage());
        assertEquals("cycles per MAC of pointwise.backward must be finite and > 0, got -1.0",
                assertThrows(InvalidInputException.class, () -> d.withCycles("pointwise.backward=-1")).getMessage());
        assertEquals("cycles override 'conv=2' must be kind.direction=cycles",
                assertThrows(InvalidInputException.class, () -> d.withCycles("conv=2")).getMessage());
    }

    @Test
    void feasibilityNeedsBothSramAndFlash() {
        long flash = Feasibility.modelFlashBytes(T);
        assertEquals(T.convParams() - 0 + 3 * biasCount(T) + 4 * T.classifier().params(), flash);
        DeviceProfile budget = DeviceProfile.preset("generic-256kb");
        assertTrue(Feasibility.check(262_144, budget, T).feasible());
        assertFalse(Feasibility.check(262_145, budget, T).feasible());
        LayerTable big = ModelSpec.preset("mbv2-w1.0").layers();
        Feasibility f = Feasibility.check(1000, DeviceProfile.preset("stm32f746"), big);
        assertTrue(f.sramFits());
        assertFalse(f.flashFits(), "3.5 M int8 weights do not fit 1 MiB of Flash");
    }

    private static long biasCount(LayerTable t) {
        return t.convs().stream().mapToLong(c -> c.biasCount()).sum();
    }
}
