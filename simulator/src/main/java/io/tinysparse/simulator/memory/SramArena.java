package io.tinysparse.simulator.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A simulated SRAM arena: buffers are allocated and freed in program order, and the arena tracks
 * the bytes live at every moment and their peak.
 *
 * <p>Model: an ideal static memory planner (as TinyEngine plans offline), so the bytes needed
 * equal the largest sum of simultaneously live buffers; no fragmentation. Each buffer occupies
 * {@code ceil(elements * bits / 8)} bytes rounded up to the alignment.
 *
 * <p>Not thread-safe; allocation-free after construction (handles index preallocated arrays), so
 * that one arena per thread can simulate millions of steps. {@link #reset()} before each step.
 * The arena can also capture the buffers live at a given allocation ({@link #captureAt}), which
 * the estimator uses on a second, identical replay to report what is live at the peak.
 */
public final class SramArena {
    private static final BufferKind[] KINDS = BufferKind.values();

    private final long[] bytes;
    private final byte[] kinds;
    private final int[] layers;
    private final byte[] phases;
    private final boolean[] live;
    /** Event number (allocations and frees, counted together from the reset) of each buffer's allocation. */
    private final int[] allocatedAt;
    /** Event number of each buffer's free; -1 while live. */
    private final int[] freedAt;
    /** Phase and layer of the operation that freed each buffer. */
    private final byte[] freePhases;
    private final int[] freeLayers;
    /** Layer of the operation that allocated each buffer (its owner may be another layer). */
    private final int[] allocLayers;
    private int events;
    /** Whether lifetimes are recorded ({@link #recordLifetimes}); off on the estimators' hot path. */
    private boolean recording;
    private final int alignMask;
    private int count;
    private long liveBytes;
    private long peakBytes;
    private int peakAllocation = -1;
    private int phase;
    private int layer;
    private int peakPhase;
    private int peakLayer;
    private int captureAt = -1;
    private List<Buffer> captured;

    /** One buffer live at a captured moment. */
    public record Buffer(BufferKind kind, int layer, long bytes) {}

    /**
     * One buffer of the step just simulated, with its lifetime: live from event
     * {@code allocatedAt} (inclusive) to {@code freedAt} (exclusive), where events are the
     * allocations and frees numbered together from 0 in program order; a buffer never freed
     * (the resident trained state) has {@code freedAt == events()}.
     *
     * @param handle      the allocation's handle (allocation order)
     * @param kind        what it holds
     * @param layer       the layer it belongs to ({@link MemoryReport.Entry#layer()} numbering)
     * @param bytes       its size, aligned
     * @param allocatedAt event of its allocation
     * @param freedAt     event of its free, or {@link #events()} if never freed
     * @param allocPhase  phase code of the operation that allocated it
     * @param allocLayer  layer of the operation that allocated it
     * @param freePhase   phase code of the operation that freed it (-1 if never freed)
     * @param freeLayer   layer of the operation that freed it
     */
    public record Lifetime(int handle, BufferKind kind, int layer, long bytes, int allocatedAt, int freedAt,
            int allocPhase, int allocLayer, int freePhase, int freeLayer) {
        /** Whether the two buffers are live at the same moment (so must not share bytes). */
        public boolean overlaps(Lifetime o) {
            return allocatedAt < o.freedAt && o.allocatedAt < freedAt;
        }
    }

    /**
     * @param capacity       most buffers allocated in one step (handles are not reused)
     * @param alignmentBytes power of two to which each buffer is rounded up
     */
    public SramArena(int capacity, int alignmentBytes) {
        if (Integer.bitCount(alignmentBytes) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two, got " + alignmentBytes);
        }
        this.bytes = new long[capacity];
        this.kinds = new byte[capacity];
        this.layers = new int[capacity];
        this.phases = new byte[capacity];
        this.live = new boolean[capacity];
        this.allocatedAt = new int[capacity];
        this.freedAt = new int[capacity];
        this.freePhases = new byte[capacity];
        this.freeLayers = new int[capacity];
        this.allocLayers = new int[capacity];
        this.alignMask = alignmentBytes - 1;
    }

    /** Empties the arena and forgets the peak (keeps a pending {@link #captureAt}). */
    public void reset() {
        Arrays.fill(live, 0, count, false);
        count = 0;
        events = 0;
        liveBytes = 0;
        peakBytes = 0;
        peakAllocation = -1;
        phase = 0;
        layer = -1;
        peakPhase = 0;
        peakLayer = -1;
    }

    /** Marks the operation now running: a phase code chosen by the caller and a layer index. */
    public void at(int phaseCode, int layerIndex) {
        this.phase = phaseCode;
        this.layer = layerIndex;
    }

    /**
     * Allocates a buffer of {@code elements * bits} bits, attributed to {@code ownerLayer}.
     *
     * @return the buffer's handle, for {@link #free(int)}
     */
    public int allocate(BufferKind kind, int ownerLayer, long elements, int bits) {
        long b = ((elements * bits + 7) >>> 3);
        b = (b + alignMask) & ~(long) alignMask;
        int h = count++;
        bytes[h] = b;
        kinds[h] = (byte) kind.ordinal();
        layers[h] = ownerLayer;
        phases[h] = (byte) phase;
        live[h] = true;
        if (recording) {
            allocatedAt[h] = events++;
            freedAt[h] = -1;
            allocLayers[h] = layer;
        }
        liveBytes += b;
        if (liveBytes > peakBytes) {
            peakBytes = liveBytes;
            peakAllocation = h;
            peakPhase = phase;
            peakLayer = layer;
        }
        if (h == captureAt) {
            captured = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (live[i]) {
                    captured.add(new Buffer(KINDS[kinds[i]], layers[i], bytes[i]));
                }
            }
        }
        return h;
    }

    /** Frees a live buffer. */
    public void free(int handle) {
        if (!live[handle]) {
            throw new IllegalStateException("buffer " + handle + " (" + KINDS[kinds[handle]] + " of layer "
                    + layers[handle] + ") freed twice");
        }
        live[handle] = false;
        if (recording) {
            freedAt[handle] = events++;
            freePhases[handle] = (byte) phase;
            freeLayers[handle] = layer;
        }
        liveBytes -= bytes[handle];
    }

    /** Bytes live now. */
    public long liveBytes() {
        return liveBytes;
    }

    /** Largest number of bytes live at once since the last reset. */
    public long peakBytes() {
        return peakBytes;
    }

    /** Handle of the allocation that reached the peak (-1 before any allocation). */
    public int peakAllocation() {
        return peakAllocation;
    }

    /** Phase code of the operation during which the peak was reached. */
    public int peakPhase() {
        return peakPhase;
    }

    /** Layer of the operation during which the peak was reached. */
    public int peakLayer() {
        return peakLayer;
    }

    /** Buffers allocated since the last reset. */
    public int allocations() {
        return count;
    }

    /** Number of buffers still live (a complete step leaves only resident state). */
    public int liveBuffers() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            n += live[i] ? 1 : 0;
        }
        return n;
    }

    /**
     * Turns the recording of lifetimes ({@link #lifetimes()}) on or off from the next
     * allocation; off by default, so that {@link #peakBytes()} alone costs nothing extra.
     */
    public void recordLifetimes(boolean on) {
        recording = on;
    }

    /** Allocations and frees since the last reset while recording: the end of every lifetime that never ends. */
    public int events() {
        return events;
    }

    /**
     * Every buffer allocated since the last reset with its lifetime, in allocation order
     * (allocates).
     *
     * @throws IllegalStateException unless lifetimes were recorded since the reset
     */
    public List<Lifetime> lifetimes() {
        if (!recording) {
            throw new IllegalStateException("lifetimes are not recorded: call recordLifetimes(true) before the step");
        }
        List<Lifetime> out = new ArrayList<>(count);
        for (int h = 0; h < count; h++) {
            boolean freed = freedAt[h] >= 0;
            out.add(new Lifetime(h, KINDS[kinds[h]], layers[h], bytes[h], allocatedAt[h], freed ? freedAt[h] : events,
                    phases[h], allocLayers[h], freed ? freePhases[h] : -1, freed ? freeLayers[h] : -1));
        }
        return out;
    }

    /** Asks the arena to record the live buffers right after allocation {@code handle} of the next run. */
    public void captureAt(int handle) {
        this.captureAt = handle;
        this.captured = null;
    }

    /** The buffers recorded by {@link #captureAt}, or null when that allocation has not happened. */
    public List<Buffer> captured() {
        return captured;
    }
}
