package io.tinysparse.simulator.memory;

import io.tinysparse.simulator.model.Block;
import io.tinysparse.simulator.model.ConvLayer;
import io.tinysparse.simulator.model.LayerTable;
import io.tinysparse.simulator.policy.SparseUpdatePolicy;
import io.tinysparse.simulator.policy.WeightUpdate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * tinysparse's own memory model: one training step (batch 1) simulated operator by operator on
 * a {@link SramArena}, every buffer allocated when produced and freed after its last use.
 *
 * <h2>Assumptions</h2>
 * <ol>
 *   <li><b>Planner.</b> An ideal static planner: the need is the largest sum of simultaneously
 *       live buffers (no fragmentation); each buffer is {@code ceil(elements * bits / 8)} bytes
 *       rounded up to {@link ArenaConfig#alignmentBytes()}. Code, stack, the runtime's own
 *       state, im2col/accumulator scratch of ordinary convolutions and the label are not counted.
 *   <li><b>Resident state</b> (live for the whole step, since it persists across steps):
 *       trained weights — only the selected input channels for static selection; for dynamic
 *       selection ({@link io.tinysparse.simulator.policy.SelectionStrategy#dynamic()}) all
 *       {@code C_in} channels of each weight-updated layer, because over a run every channel
 *       gets updated and its updated value must live somewhere writable (Flash writes per step
 *       are not assumed); trained biases of the last {@code bias_layers} convolutions; the
 *       classifier when trained; one momentum value per resident trained parameter when
 *       momentum is on. Frozen weights and biases stay in Flash.
 *   <li><b>Forward.</b> The image is an activation buffer. Each convolution allocates its
 *       output, then frees its input unless the input is the shortcut of a residual block, which
 *       lives until the add (done in place into the project convolution's output). With
 *       {@link ArenaConfig#inPlaceDepthwise()}, a depthwise convolution writes over its input
 *       with one output-channel plane of workspace (TinyEngine), so its buffer keeps the input's
 *       size. With {@link ArenaConfig#fuseFrozenBlocks()}, an inverted-residual block whose
 *       layers are all frozen (below the first bias-trained convolution) runs one expanded
 *       channel at a time — one expanded plane and one depthwise plane at a time, the projection
 *       accumulated in int32 accumulators of the block output, then requantised to int8 — when
 *       that lowers the block's own peak; for mbv2-w0.35 at 128 x 128 this removes the
 *       48 x 64 x 64 expanded tensor of the second block, which otherwise sets the peak of every
 *       policy (229,376 bytes of activations at conv 3). Global average pooling produces {@code C} features (activation precision); the
 *       classifier produces logits (activation-gradient precision, as the head computes in
 *       floating point).
 *   <li><b>Saved for backward</b>, allocated during the forward pass and freed in the backward
 *       pass right after use: for each bias-trained convolution a 1-bit mask of its output (the
 *       ReLU6 or int8 clamp; the project convolution's clamp after its add), and for each
 *       weight-updated convolution a copy of the selected input channels (all {@code H_in x W_in}
 *       of each); the pooled features when the classifier is trained.
 *   <li><b>Backward.</b> The loss gradient of the logits; the classifier's parameter gradient
 *       (freed by its in-place update); the gradient of the pooled features and its spread over
 *       {@code C x H x W}; then for each convolution from the last down to the first bias-trained
 *       one: the mask is applied in place and freed; a parameter-gradient buffer of
 *       {@code C_out} biases plus the selected weights is allocated, computed from the saved
 *       input, applied in place (SGD, with momentum if on) and freed together with the saved
 *       input; then — except at the first bias-trained convolution, where back-propagation
 *       stops — the gradient w.r.t. the layer's input is allocated and the output gradient
 *       freed (in place for stride-1 depthwise convolutions when in-place depthwise is on). At
 *       a residual add the output gradient is kept until it has been added to the gradient of
 *       the block input, when that gradient is needed.
 *   <li><b>Order.</b> The parameter gradient of a layer is computed and applied before its
 *       input gradient (Lin et al. reorder operators so that each update follows its gradient);
 *       gradients of frozen channels are never computed.
 * </ol>
 *
 * <p>Everything that depends only on the model is precomputed per table; each thread reuses
 * one arena, so {@link #peakBytes} allocates nothing.
 */
public final class ArenaEstimator implements MemoryEstimator {
    /** This estimator's name. */
    public static final String NAME = "arena";

    static final int RESIDENT = 0;
    static final int FORWARD = 1;
    static final int BACKWARD = 2;
    static final int FUSED = 3;
    private static final String[] PHASES = {"resident", "forward", "backward", "forward"};
    private static final int ACCUMULATOR_BITS = 32;

    private final LayerTable table;
    private final ArenaConfig config;
    private final int n;
    private final int actBits;
    private final int savedBits;
    private final int maskBits;
    private final int gradBits;
    private final int paramGradBits;
    private final int weightBits;
    private final int biasBits;
    private final int classifierBits;
    private final int momentumBits;
    /** Whether layer i is the first of a residual block (its input is a shortcut source). */
    private final boolean[] blockStart;
    /** The block that starts at layer i, or null. */
    private final Block[] blockAt;
    /** Whether block b, when frozen, runs fused (fusion is on and lowers the block's own peak). */
    private final boolean[] fuses;
    private final long imageElements;
    private final int capacity;
    private final ThreadLocal<Scratch> scratch;

    /** Per-thread simulation state. */
    private static final class Scratch {
        final SramArena arena;
        final int[] saved;
        final int[] mask;

        Scratch(int capacity, int alignment, int n) {
            arena = new SramArena(capacity, alignment);
            saved = new int[n];
            mask = new int[n];
        }
    }

    public ArenaEstimator(LayerTable table, ArenaConfig config) {
        this.table = table;
        this.config = config;
        this.n = table.convCount();
        BufferPrecision p = config.precision();
        this.actBits = p.of(BufferKind.ACTIVATION);
        this.savedBits = p.of(BufferKind.SAVED_INPUT);
        this.maskBits = p.of(BufferKind.RELU_MASK);
        this.gradBits = p.of(BufferKind.ACTIVATION_GRADIENT);
        this.paramGradBits = p.of(BufferKind.PARAM_GRADIENT);
        this.weightBits = p.of(BufferKind.TRAINABLE_WEIGHTS);
        this.biasBits = p.of(BufferKind.TRAINABLE_BIASES);
        this.classifierBits = p.of(BufferKind.CLASSIFIER);
        this.momentumBits = p.of(BufferKind.MOMENTUM);
        this.blockStart = new boolean[n];
        this.blockAt = new Block[n];
        this.fuses = new boolean[table.blocks().size()];
        for (Block b : table.blocks()) {
            blockAt[b.firstLayer()] = b;
            fuses[b.index()] = config.fuseFrozenBlocks() && fusedPeakBits(b) < layerwisePeakBits(b);
            if (b.residual()) {
                blockStart[b.firstLayer()] = true;
            }
        }
        ConvLayer first = table.conv(0);
        this.imageElements = first.inputElements();
        // Upper bound on buffers per step: resident (weights, momentum, bias, momentum) and
        // per layer at most mask, saved input, activation, workspace x2, parameter gradient,
        // input gradient; plus the head.
        this.capacity = 12 * n + 16;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(capacity, config.alignmentBytes(), n));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LayerTable table() {
        return table;
    }

    /** The simulation settings. */
    public ArenaConfig config() {
        return config;
    }

    @Override
    public long peakBytes(SparseUpdatePolicy policy) {
        policy.validate(table);
        Scratch s = scratch.get();
        simulate(s, policy);
        return s.arena.peakBytes();
    }

    @Override
    public MemoryReport report(SparseUpdatePolicy policy) {
        policy.validate(table);
        Scratch s = new Scratch(capacity, config.alignmentBytes(), n);
        simulate(s, policy);
        SramArena a = s.arena;
        long peak = a.peakBytes();
        int phase = a.peakPhase();
        int layer = a.peakLayer();
        // Replay: the simulation is deterministic, so the state right after the allocation that
        // set the peak is the state at the peak.
        a.captureAt(a.peakAllocation());
        simulate(s, policy);
        List<SramArena.Buffer> live = a.captured();
        Map<Long, Long> grouped = new TreeMap<>();
        for (SramArena.Buffer b : live) {
            grouped.merge(((long) (b.layer() + 1) << 8) | b.kind().ordinal(), b.bytes(), Long::sum);
        }
        List<MemoryReport.Entry> entries = new ArrayList<>();
        BufferKind[] kinds = BufferKind.values();
        for (Map.Entry<Long, Long> e : grouped.entrySet()) {
            entries.add(new MemoryReport.Entry((int) (e.getKey() >> 8) - 1, kinds[(int) (e.getKey() & 0xff)], e.getValue()));
        }
        entries.sort(Comparator.comparingInt(MemoryReport.Entry::layer).thenComparing(MemoryReport.Entry::kind));
        return new MemoryReport(NAME, table.spec().label(), n, policy, peak,
                new MemoryReport.Peak(PHASES[phase], layer, describe(phase, layer)), entries,
                MemoryReport.sumByKind(entries));
    }

    private String describe(int phase, int layer) {
        if (phase == RESIDENT) {
            return "resident trained state";
        }
        if (phase == FUSED) {
            Block b = blockAt[layer];
            return "forward fused block " + b.index() + " (convs " + b.firstLayer() + "-" + b.lastLayer() + ", "
                    + b.inChannels() + "->" + b.outChannels() + " @" + table.conv(layer).inHeight() + ")";
        }
        if (layer < 0) {
            return PHASES[phase] + " input image";
        }
        if (layer >= n) {
            return PHASES[phase] + " pooling + classifier";
        }
        ConvLayer c = table.conv(layer);
        return PHASES[phase] + " conv " + layer + " (" + c.kind().name().toLowerCase() + " "
                + c.role().name().toLowerCase().replace('_', ' ') + ", " + c.inChannels() + "->" + c.outChannels()
                + " @" + c.inHeight() + "x" + c.inWidth() + ")";
    }

    /** Runs one training step on {@code s.arena}; the arena holds its peak afterwards. */
    private void simulate(Scratch s, SparseUpdatePolicy policy) {
        SramArena a = s.arena;
        a.reset();
        int[] saved = s.saved;
        int[] mask = s.mask;
        int first = policy.firstBiasLayer(n);
        boolean dynamic = policy.selection().strategy().dynamic();
        boolean momentum = config.momentum();
        boolean inPlace = config.inPlaceDepthwise();
        List<WeightUpdate> weights = policy.weights();
        int m = weights.size();

        // Resident trained state.
        a.at(RESIDENT, -1);
        for (int j = 0; j < m; j++) {
            WeightUpdate w = weights.get(j);
            ConvLayer c = table.conv(w.layer());
            long resident = (long) (dynamic ? c.inChannels() : w.channelsOf(c.inChannels())) * c.weightsPerInputChannel();
            a.allocate(BufferKind.TRAINABLE_WEIGHTS, w.layer(), resident, weightBits);
            if (momentum) {
                a.allocate(BufferKind.MOMENTUM, w.layer(), resident, momentumBits);
            }
        }
        for (int i = first; i < n; i++) {
            int cout = table.conv(i).outChannels();
            a.allocate(BufferKind.TRAINABLE_BIASES, i, cout, biasBits);
            if (momentum) {
                a.allocate(BufferKind.MOMENTUM, i, cout, momentumBits);
            }
        }
        long fcParams = table.classifier().params();
        if (policy.trainClassifier()) {
            a.allocate(BufferKind.CLASSIFIER, n, fcParams, classifierBits);
            if (momentum) {
                a.allocate(BufferKind.MOMENTUM, n, fcParams, momentumBits);
            }
        }

        // Forward.
        a.at(FORWARD, -1);
        int cur = a.allocate(BufferKind.ACTIVATION, -1, imageElements, actBits);
        int shortcut = -1;
        int wp = 0;
        for (int i = 0; i < n; i++) {
            Block b = blockAt[i];
            if (b != null && fuses[b.index()] && b.lastLayer() < first) {
                cur = fusedBlock(a, b, cur);
                i = b.lastLayer();
                continue;
            }
            ConvLayer c = table.conv(i);
            a.at(FORWARD, i);
            if (blockStart[i]) {
                shortcut = cur;
            }
            saved[i] = -1;
            if (wp < m && weights.get(wp).layer() == i) {
                int ch = weights.get(wp++).channelsOf(c.inChannels());
                saved[i] = a.allocate(BufferKind.SAVED_INPUT, i, ch * c.inputPlane(), savedBits);
            }
            mask[i] = i >= first ? a.allocate(BufferKind.RELU_MASK, i, c.outputElements(), maskBits) : -1;
            int out;
            if (c.depthwise() && inPlace && cur != shortcut) {
                a.free(a.allocate(BufferKind.WORKSPACE, i, c.outputPlane(), actBits));
                out = cur;
            } else {
                out = a.allocate(BufferKind.ACTIVATION, i, c.outputElements(), actBits);
                if (cur != shortcut) {
                    a.free(cur);
                }
            }
            if (c.residualAdd()) {
                a.free(shortcut);
                shortcut = -1;
            }
            cur = out;
        }
        a.at(FORWARD, n);
        int lastChannels = table.classifier().inFeatures();
        int pooled = a.allocate(BufferKind.ACTIVATION, n, lastChannels, actBits);
        a.free(cur);
        int classes = table.classifier().outFeatures();
        int logits = a.allocate(BufferKind.ACTIVATION, n, classes, gradBits);

        // Backward: loss, classifier, pooling.
        a.at(BACKWARD, n);
        int gLogits = a.allocate(BufferKind.ACTIVATION_GRADIENT, n, classes, gradBits);
        a.free(logits);
        if (policy.trainClassifier()) {
            a.free(a.allocate(BufferKind.PARAM_GRADIENT, n, fcParams, paramGradBits));
        }
        a.free(pooled);
        if (first >= n) {
            a.free(gLogits);
            return;
        }
        int gFeatures = a.allocate(BufferKind.ACTIVATION_GRADIENT, n, lastChannels, gradBits);
        a.free(gLogits);
        int g = a.allocate(BufferKind.ACTIVATION_GRADIENT, n, table.conv(n - 1).outputElements(), gradBits);
        a.free(gFeatures);

        // Backward through the convolutions, last to first trained.
        int shortcutGrad = -1;
        wp = m - 1;
        for (int i = n - 1; i >= first; i--) {
            ConvLayer c = table.conv(i);
            a.at(BACKWARD, i);
            if (c.residualAdd() && c.residualFrom() >= first) {
                shortcutGrad = g;
            }
            a.free(mask[i]);
            long paramElements = c.outChannels();
            if (wp >= 0 && weights.get(wp).layer() == i) {
                paramElements += (long) weights.get(wp--).channelsOf(c.inChannels()) * c.weightsPerInputChannel();
            }
            a.free(a.allocate(BufferKind.PARAM_GRADIENT, i, paramElements, paramGradBits));
            if (saved[i] >= 0) {
                a.free(saved[i]);
            }
            if (i == first) {
                if (g != shortcutGrad) {
                    a.free(g);
                }
                break;
            }
            int gin;
            if (c.depthwise() && inPlace && c.stride() == 1 && g != shortcutGrad) {
                a.free(a.allocate(BufferKind.WORKSPACE, i, c.inputPlane(), gradBits));
                gin = g;
            } else {
                gin = a.allocate(BufferKind.ACTIVATION_GRADIENT, i, c.inputElements(), gradBits);
                if (g != shortcutGrad) {
                    a.free(g);
                }
            }
            if (blockStart[i] && shortcutGrad >= 0) {
                a.free(shortcutGrad);
                shortcutGrad = -1;
            }
            g = gin;
        }
    }

    /** Bits live at the worst moment of a frozen block run layer by layer (input kept as shortcut if residual). */
    private long layerwisePeakBits(Block b) {
        long shortcut = b.residual() ? table.conv(b.firstLayer()).inputElements() * actBits : 0;
        long worst = 0;
        for (int i = b.firstLayer(); i <= b.lastLayer(); i++) {
            ConvLayer c = table.conv(i);
            long in = c.inputElements() * actBits;
            long step = c.depthwise() && config.inPlaceDepthwise()
                    ? in + c.outputPlane() * actBits
                    : in + c.outputElements() * actBits;
            worst = Math.max(worst, step + (i == b.firstLayer() ? 0 : shortcut));
        }
        return worst;
    }

    /** Bits live at the worst moment of a frozen block run fused (see {@link #fusedBlock}). */
    private long fusedPeakBits(Block b) {
        ConvLayer project = table.conv(b.lastLayer());
        ConvLayer dw = table.conv(b.lastLayer() - 1);
        long in = table.conv(b.firstLayer()).inputElements() * actBits;
        long acc = project.outputElements() * ACCUMULATOR_BITS;
        long planes = (b.expands() ? dw.inputPlane() * actBits : 0) + dw.outputPlane() * actBits;
        return in + acc + Math.max(planes, project.outputElements() * actBits);
    }

    /**
     * A frozen block run one expanded channel at a time: the block input stays, int32
     * accumulators of the output fill up, one expanded plane and one depthwise plane exist at a
     * time; then the accumulators are requantised into the int8 output (residual added) and the
     * input freed.
     */
    private int fusedBlock(SramArena a, Block b, int input) {
        a.at(FUSED, b.firstLayer());
        ConvLayer project = table.conv(b.lastLayer());
        ConvLayer dw = table.conv(b.lastLayer() - 1);
        int acc = a.allocate(BufferKind.WORKSPACE, b.lastLayer(), project.outputElements(), ACCUMULATOR_BITS);
        int expanded = b.expands()
                ? a.allocate(BufferKind.WORKSPACE, b.firstLayer(), dw.inputPlane(), actBits) : -1;
        a.free(a.allocate(BufferKind.WORKSPACE, dw.index(), dw.outputPlane(), actBits));
        if (expanded >= 0) {
            a.free(expanded);
        }
        int out = a.allocate(BufferKind.ACTIVATION, b.lastLayer(), project.outputElements(), actBits);
        a.free(acc);
        a.free(input);
        return out;
    }

    @Override
    public String toString() {
        return "ArenaEstimator[" + table.spec().label() + ", " + config + ", capacity " + capacity + "]";
    }

    /** Visible for tests: buffers allocated and still live after one step of {@code policy}. */
    int[] allocationsAndLive(SparseUpdatePolicy policy) {
        Scratch s = new Scratch(capacity, config.alignmentBytes(), n);
        simulate(s, policy);
        return new int[] {s.arena.allocations(), s.arena.liveBuffers()};
    }
}
