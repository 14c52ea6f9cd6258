package io.tinysparse.simulator.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Where every buffer of one training step lives in one SRAM arena: the step the
 * {@link ArenaEstimator} simulates, with each buffer given a byte offset so that no two buffers
 * live at the same moment share a byte. This is what a static memory planner (TinyEngine's,
 * TFLite Micro's) hands the training loop.
 *
 * <p>Placement: greedy by size, the way TFLite Micro's greedy planner places tensors: buffers
 * in decreasing size (ties: allocation order), each at the lowest offset where it overlaps no
 * buffer already placed whose lifetime overlaps its own. The estimator's figure,
 * {@link #peakLiveBytes()}, is the most bytes live at once, which an ideal planner reaches;
 * a real placement can need more ({@link #arenaBytes()} &gt;= {@link #peakLiveBytes()}),
 * because lifetimes interleave so that no offsets reach the bound; the difference is
 * fragmentation.
 *
 * <p>Invariants: offsets are multiples of the arena's alignment (every size is); buffers whose
 * lifetimes overlap do not overlap in {@code [offset, offset + bytes)}; {@link #arenaBytes()} is
 * the largest {@code offset + bytes}.
 *
 * @param peakLiveBytes the most bytes live at once (equal to {@link MemoryReport#totalBytes()} of the arena estimator)
 * @param arenaBytes    bytes the placement spans
 * @param events        allocations and frees of the step (the end of the lifetime of a buffer never freed)
 * @param buffers       every buffer in allocation order, placed
 */
public record SramPlan(long peakLiveBytes, long arenaBytes, int events, List<Placed> buffers) {

    /**
     * One buffer at its place.
     *
     * @param buffer          the buffer and its lifetime
     * @param offset          its first byte in the arena
     * @param allocatedDuring the operation that allocates it, e.g. {@code forward conv 27}
     * @param freedDuring     the operation that frees it; {@code never (resident)} for state kept across steps
     */
    public record Placed(SramArena.Lifetime buffer, long offset, String allocatedDuring, String freedDuring) {
        /** One past its last byte. */
        public long end() {
            return offset + buffer.bytes();
        }
    }

    public SramPlan {
        buffers = List.copyOf(buffers);
    }

    /** Names the operation during which an event happened, from its phase code and layer. */
    @FunctionalInterface
    public interface OperationNames {
        /** E.g. {@code backward conv 40}. */
        String name(int phase, int layer);
    }

    /**
     * Places {@code lifetimes} (one step's buffers, in allocation order) greedily by size.
     *
     * @param events the step's number of events, the end of the lifetime of buffers never freed
     * @param names  names of the operations for {@link Placed#allocatedDuring()} and {@link Placed#freedDuring()}
     */
    public static SramPlan place(List<SramArena.Lifetime> lifetimes, int events, OperationNames names) {
        Objects.requireNonNull(names, "names");
        List<SramArena.Lifetime> bySize = new ArrayList<>(lifetimes);
        bySize.sort(Comparator.comparingLong(SramArena.Lifetime::bytes).reversed()
                .thenComparingInt(SramArena.Lifetime::handle));
        long[] offsets = new long[lifetimes.size()];
        List<SramArena.Lifetime> placed = new ArrayList<>();
        long extent = 0;
        for (SramArena.Lifetime b : bySize) {
            List<SramArena.Lifetime> clashing = new ArrayList<>();
            for (SramArena.Lifetime p : placed) {
                if (p.overlaps(b)) {
                    clashing.add(p);
                }
            }
            clashing.sort(Comparator.comparingLong(p -> offsets[p.handle()]));
            long at = 0;
            for (SramArena.Lifetime p : clashing) {
                if (at + b.bytes() <= offsets[p.handle()]) {
                    break; // the gap below p holds it
                }
                at = Math.max(at, offsets[p.handle()] + p.bytes());
            }
            offsets[b.handle()] = at;
            placed.add(b);
            extent = Math.max(extent, at + b.bytes());
        }
        List<Placed> out = new ArrayList<>(lifetimes.size());
        for (SramArena.Lifetime b : lifetimes) {
            out.add(new Placed(b, offsets[b.handle()], names.name(b.allocPhase(), b.allocLayer()),
                    b.freePhase() < 0 ? "never (resident)" : names.name(b.freePhase(), b.freeLayer())));
        }
        return new SramPlan(peakLiveBytes(lifetimes), extent, events, out);
    }

    /** The most bytes live at once: the peak is reached right after some allocation. */
    static long peakLiveBytes(List<SramArena.Lifetime> lifetimes) {
        long peak = 0;
        for (SramArena.Lifetime at : lifetimes) {
            long live = 0;
            for (SramArena.Lifetime b : lifetimes) {
                if (b.allocatedAt() <= at.allocatedAt() && at.allocatedAt() < b.freedAt()) {
                    live += b.bytes();
                }
            }
            peak = Math.max(peak, live);
        }
        return peak;
    }

    /** Bytes lost to fragmentation: {@link #arenaBytes()} minus {@link #peakLiveBytes()}. */
    public long fragmentationBytes() {
        return arenaBytes - peakLiveBytes;
    }
}
