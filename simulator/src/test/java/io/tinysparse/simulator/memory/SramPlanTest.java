package io.tinysparse.simulator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinysparse.simulator.model.ModelSpec;
import io.tinysparse.simulator.policy.ChannelSelection;
import io.tinysparse.simulator.policy.PublishedSchemes;
import io.tinysparse.simulator.policy.SelectionStrategy;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The placed plan of a training step is the arena model's step: its most-live bytes are the
 * estimator's peak, no two buffers live at once share a byte, and the span it needs is at least
 * that peak.
 */
class SramPlanTest {
    private static final ModelSpec MODEL = ModelSpec.preset("mbv2-w0.35");

    static List<SparseUpdatePolicy> policies() {
        return List.of(PublishedSchemes.mbv2W035At99kB(),
                SparseUpdatePolicy.biasOnly(0),
                SparseUpdatePolicy.biasOnly(51),
                new SparseUpdatePolicy(12, List.of(WeightUpdate.ratio(41, 0.5), WeightUpdate.channels(50, 9)),
                        ChannelSelection.dynamic(SelectionStrategy.CYCLIC, 3), false),
                new SparseUpdatePolicy(30, List.of(WeightUpdate.full(21), WeightUpdate.ratio(22, 0.25)),
                        ChannelSelection.of(SelectionStrategy.DYNAMIC_RANDOM), true));
    }

    @Test
    void thePlansPeakIsTheEstimatorsAndOverlappingLifetimesNeverShareAByte() {
        for (ArenaConfig config : List.of(ArenaConfig.DEFAULT, ArenaConfig.DEFAULT.withMomentum(true),
                ArenaConfig.DEFAULT.withKernels(false, false))) {
            ArenaEstimator arena = new ArenaEstimator(MODEL.layers(), config);
            for (SparseUpdatePolicy p : policies()) {
                SramPlan plan = arena.plan(p);
                assertEquals(arena.peakBytes(p), plan.peakLiveBytes(), p.describe());
                assertEquals(arena.report(p).totalBytes(), plan.peakLiveBytes(), p.describe());
                assertTrue(plan.arenaBytes() >= plan.peakLiveBytes(), p.describe());
                long span = 0;
                List<SramPlan.Placed> bs = plan.buffers();
                for (int i = 0; i < bs.size(); i++) {
                    SramPlan.Placed a = bs.get(i);
                    assertEquals(i, a.buffer().handle());
                    assertEquals(0, a.offset() % config.alignmentBytes(), "aligned offset");
                    assertTrue(a.buffer().allocatedAt() < a.buffer().freedAt());
                    assertTrue(a.buffer().freedAt() <= plan.events());
                    span = Math.max(span, a.end());
                    for (int j = i + 1; j < bs.size(); j++) {
                        SramPlan.Placed b = bs.get(j);
                        if (a.buffer().overlaps(b.buffer())) {
                            assertFalse(a.offset() < b.end() && b.offset() < a.end(),
                                    p.describe() + ": buffers " + i + " and " + j + " share bytes");
                        }
                    }
                }
                assertEquals(plan.arenaBytes(), span);
            }
        }
    }

    @Test
    void residentStateIsNeverFreedAndEveryOtherBufferIs() {
        SramPlan plan = new ArenaEstimator(MODEL.layers(), ArenaConfig.DEFAULT).plan(PublishedSchemes.mbv2W035At99kB());
        for (SramPlan.Placed p : plan.buffers()) {
            boolean resident = switch (p.buffer().kind()) {
                case TRAINABLE_WEIGHTS, TRAINABLE_BIASES, CLASSIFIER, MOMENTUM -> true;
                default -> false;
            };
            assertEquals(resident, p.buffer().freedAt() == plan.events(), p.toString());
            assertEquals(resident, p.freedDuring().equals("never (resident)"), p.toString());
        }
    }

    @Test
    void aLifetimeOverlapsExactlyWhenTheIntervalsIntersect() {
        SramArena.Lifetime a = new SramArena.Lifetime(0, BufferKind.ACTIVATION, 0, 4, 0, 3, 1, 0, 1, 1);
        SramArena.Lifetime touching = new SramArena.Lifetime(1, BufferKind.ACTIVATION, 1, 4, 3, 5, 1, 1, 1, 2);
        SramArena.Lifetime inside = new SramArena.Lifetime(2, BufferKind.WORKSPACE, 1, 4, 1, 2, 1, 1, 1, 1);
        assertFalse(a.overlaps(touching));
        assertTrue(a.overlaps(inside) && inside.overlaps(a));
    }

    @Test
    void lifetimesAreRecordedOnlyWhenAskedSoThePeakAlonePaysNothingForThem() {
        SramArena arena = new SramArena(4, 4);
        arena.free(arena.allocate(BufferKind.ACTIVATION, 0, 10, 8));
        assertThrows(IllegalStateException.class, arena::lifetimes);
        arena.reset();
        arena.recordLifetimes(true);
        int a = arena.allocate(BufferKind.ACTIVATION, 0, 10, 8);
        arena.allocate(BufferKind.TRAINABLE_BIASES, 1, 3, 32);
        arena.free(a);
        List<SramArena.Lifetime> l = arena.lifetimes();
        assertEquals(3, arena.events());
        assertEquals(List.of(0, 2), List.of(l.get(0).allocatedAt(), l.get(0).freedAt()));
        assertEquals(List.of(1, 3), List.of(l.get(1).allocatedAt(), l.get(1).freedAt()), "never freed: ends with the step");
        assertEquals(List.of(12L, 12L), List.of(l.get(0).bytes(), l.get(1).bytes()));
    }
}
