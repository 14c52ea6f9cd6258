package io.tinysparse.simulator.run;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.datasets.cache.CacheKey;
import io.tinysparse.datasets.cache.FeatureCache;
import io.tinysparse.datasets.cache.TensorShape;
import io.tinysparse.datasets.catalog.DataDirectory;
import io.tinysparse.simulator.device.DeviceProfile;
import io.tinysparse.simulator.device.Feasibility;
import io.tinysparse.simulator.engine.Network;
import io.tinysparse.simulator.engine.quant.QuantizedNetwork;
import io.tinysparse.simulator.engine.train.FineTuneResult;
import io.tinysparse.simulator.engine.train.FineTuneRun;
import io.tinysparse.simulator.engine.train.FrozenPrefix;
import io.tinysparse.simulator.engine.train.LinearProbe;
import io.tinysparse.simulator.engine.train.Samples;
import io.tinysparse.simulator.engine.train.TrainingConfig;
import io.tinysparse.simulator.memory.ArenaConfig;
import io.tinysparse.simulator.memory.ArenaEstimator;
import io.tinysparse.simulator.memory.Lin2022Estimator;
import io.tinysparse.simulator.memory.MemoryReport;
import io.tinysparse.simulator.policy.TrainingWork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Runs {@link RunSpec}s against one backbone (folded, as every search runs it; unfolded for a
 * dense baseline with its batch norms) and one task's data: the memory model (both estimators,
 * feasibility on the device), then the sparse fine-tuning itself, starting from the frozen
 * prefix's cut.
 *
 * <p>A budget with a learning-rate grid is trained once per rate and the run with the best final
 * validation accuracy is reported, its test accuracy measured on that run only. A budget with a
 * linear probe starts every run from the same fitted classifier, fitted once per evaluator.
 *
 * <p>The cut activations of the train, validation and test samples depend only on the backbone,
 * the cut layer, the data spec and the transform, so they are computed once per cut and shared
 * by every run with that cut: in memory, and on disk through the {@link FeatureCache} when one
 * is given (for other processes and later runs). The in-memory copies are bounded
 * ({@link #DEFAULT_MEMORY_FRACTION} of the JVM's maximum heap unless told otherwise): a search
 * touches dozens of cuts, tens of MB each, and an executor's heap is often 1-2 GB, so the least
 * recently used cuts are dropped and read back from the disk cache (or recomputed without one)
 * when needed again. Thread-safe: runs on different threads share the cut tensors, which are
 * never written after creation; each cut is computed or read by one thread at a time.
 *
 * <p>An int8 spec ({@link RunSpec#quantization()}) trains the backbone quantized on its
 * calibration images, loaded once per calibration through the evaluator's
 * {@linkplain #RunEvaluator(Network, TaskData, FeatureCache, long, Function) calibration images}
 * and quantized once; its cuts are the int8 prefix's (dequantized), cached apart from the fp32
 * ones. The memory model costs an int8 run as it costs every run (int8 activations and trained
 * weights, int32 biases, fp32 gradients and classifier, 1-bit clamp masks): that is what the
 * int8 engine holds.
 */
public final class RunEvaluator {
    private final Network backbone;
    private final String backboneHash;
    private final TaskData data;
    private final FeatureCache cache;
    private final Lin2022Estimator lin;
    private final ArenaEstimator arena;
    /** The arena with one fp32 momentum buffer per trained parameter: a run with momentum holds them. */
    private final ArenaEstimator arenaWithMomentum;
    /** Share of the maximum heap the in-memory cut activations may take by default. */
    public static final double DEFAULT_MEMORY_FRACTION = 0.25;

    private final long maxCutBytes;
    /** A cut layer of the fp32 prefix ({@code calibration} empty) or of an int8 one (its calibration key). */
    private record Cut(int layer, String calibration) {}

    /** Cut to its train, validation and test tensors, least recently used first; guarded by itself. */
    private final LinkedHashMap<Cut, Samples[]> cuts = new LinkedHashMap<>(16, 0.75f, true);
    private long cutBytes;
    private final Map<Cut, Object> cutLocks = new ConcurrentHashMap<>();
    private final Function<DataSpec, Samples> calibrationImages;
    private final Map<String, QuantizedNetwork> quantized = new ConcurrentHashMap<>();
    private final Map<LinearProbe, LinearProbe.Fit> probes = new ConcurrentHashMap<>();

    /**
     * @param backbone the pretrained network, folded, with a classifier for the task's classes
     * @param data the task's samples at the backbone's resolution
     * @param cache on-disk cache of cut activations, or null for in-memory only
     */
    public RunEvaluator(Network backbone, TaskData data, FeatureCache cache) {
        this(backbone, data, cache, (long) (Runtime.getRuntime().maxMemory() * DEFAULT_MEMORY_FRACTION));
    }

    /**
     * @param maxCutBytes bytes of cut activations kept in memory (the most recently used cut is
     *     always kept, whatever its size), &gt;= 0
     */
    public RunEvaluator(Network backbone, TaskData data, FeatureCache cache, long maxCutBytes) {
        this(backbone, data, cache, maxCutBytes, null);
    }

    /**
     * @param calibrationImages the training images of a calibration data spec at the
     *     backbone's resolution, for int8 specs; null if this evaluator runs fp32 specs only
     */
    public RunEvaluator(Network backbone, TaskData data, FeatureCache cache, long maxCutBytes,
            Function<DataSpec, Samples> calibrationImages) {
        this.calibrationImages = calibrationImages;
        if (maxCutBytes < 0) {
            throw new InvalidInputException("maxCutBytes must be >= 0, got " + maxCutBytes);
        }
        this.maxCutBytes = maxCutBytes;
        if (backbone.layers().classifier().outFeatures() != data.classes()) {
            throw new InvalidInputException("backbone classifier has " + backbone.layers().classifier().outFeatures()
                    + " outputs but " + data.spec().dataset() + " has " + data.classes() + " classes");
        }
        this.backbone = backbone;
        this.backboneHash = backbone.parameterHash();
        this.data = data;
        this.cache = cache;
        this.lin = new Lin2022Estimator(backbone.layers());
        this.arena = new ArenaEstimator(backbone.layers(), ArenaConfig.DEFAULT);
        this.arenaWithMomentum = new ArenaEstimator(backbone.layers(), ArenaConfig.DEFAULT.withMomentum(true));
    }

    /** Content hash of the backbone's parameters, which every {@link RunSpec} must name. */
    public String backboneHash() {
        return backboneHash;
    }

    /** The on-disk cache of cut activations under tinysparse's home, shared by every command and executor. */
    public static FeatureCache defaultFeatureCache() throws IOException {
        return new FeatureCache(DataDirectory.home().resolve("cache").resolve("features"));
    }

    /** Fine-tunes under {@code spec} and measures it. */
    public RunResult evaluate(RunSpec spec) {
        long t0 = System.nanoTime();
        check(spec);
        MemoryReport linReport = lin.report(spec.policy());
        MemoryReport arenaReport = (spec.budget().momentum() > 0 ? arenaWithMomentum : arena).report(spec.policy());
        DeviceProfile device = spec.profile();
        Feasibility feasibility = Feasibility.check(arenaReport.totalBytes(), device, backbone.layers());
        TrainingWork work = TrainingWork.of(backbone.layers(), spec.policy());

        TrainingBudget budget = spec.budget();
        List<Double> rates = budget.learningRates();
        if (rates.size() > 1 && data.validation().count() == 0) {
            throw new InvalidInputException("run " + spec.runId() + " selects its learning rate on validation but"
                    + " has no validation samples");
        }
        TrainingConfig config = budget.trainingConfig(spec.seed());
        Samples[] at = null;
        FineTuneRun best = null;
        FineTuneResult bestResult = null;
        double bestRate = Double.NaN;
        for (double rate : rates) {
            FineTuneRun run = newRun(spec, config.withLearningRate(rate));
            if (at == null) {
                at = cutSamples(run, spec.quantization());
            }
            if (config.linearProbe() != null) {
                run.startFrom(probe(config.linearProbe()));
            }
            // The test split is measured once, on the selected run only: it takes no part in the choice.
            FineTuneResult r = run.run(at[0], at[1], rates.size() > 1 ? empty(at[2]) : at[2]);
            if (best == null || r.finalValidationAccuracy() > bestResult.finalValidationAccuracy()) {
                best = run;
                bestResult = r;
                bestRate = rate;
            }
        }
        double testAccuracy = rates.size() > 1 ? best.accuracy(at[2]) : bestResult.testAccuracy();
        List<Double> curve = new ArrayList<>();
        bestResult.validationCurve().forEach(p -> curve.add(p.accuracy()));
        double wallMs = (System.nanoTime() - t0) / 1e6;
        return new RunResult(spec.runId(), spec, testAccuracy, curve, linReport, arenaReport, device.sramBytes(),
                feasibility.feasible(), bestResult.meanUpdatedWeightFraction(), bestResult.coverage(), work.totalMacs(),
                device.secondsPerStep(work) * 1000.0, wallMs, bestRate);
    }

    /**
     * Computes (or loads) what {@code spec} shares with other runs, the cut activations of its
     * frozen prefix and its linear-probe fit, without training: a later {@link #evaluate} then
     * spends its time on the run itself, as most runs of a search do.
     */
    public void prepare(RunSpec spec) {
        check(spec);
        TrainingConfig config = spec.budget().trainingConfig(spec.seed());
        cutSamples(newRun(spec, config), spec.quantization());
        if (config.linearProbe() != null) {
            probe(config.linearProbe());
        }
    }

    /** A run of {@code spec} under {@code config}: the fp32 backbone's, or its int8 quantization's. */
    private FineTuneRun newRun(RunSpec spec, TrainingConfig config) {
        Quantization q = spec.quantization();
        if (q == null) {
            return new FineTuneRun(backbone, spec.policy(), config);
        }
        return new FineTuneRun(quantized(q, spec.data()), q.qas(), spec.policy(), config);
    }

    /** The backbone quantized with {@code q}'s calibration (once per calibration). */
    private QuantizedNetwork quantized(Quantization q, DataSpec run) {
        if (calibrationImages == null) {
            throw new InvalidInputException("this evaluator has no calibration images for int8 runs");
        }
        return quantized.computeIfAbsent(q.calibrationKey(), k -> {
            Samples images = calibrationImages.apply(q.calibrationData(run));
            return QuantizedNetwork.calibrate(backbone, images.values(), images.count(),
                    TrainingConfig.DEFAULT_EVALUATION_BATCH);
        });
    }

    private static Samples empty(Samples like) {
        return new Samples(new float[0], new int[0], like.channels(), like.height(), like.width(), like.layer());
    }

    /**
     * The classifier {@code probe} fits on the training samples: the same for every policy (the
     * features are the untouched backbone's), so it is fitted once per evaluator and probe
     * settings, from the images, whichever run asks first.
     */
    private LinearProbe.Fit probe(LinearProbe probe) {
        return probes.computeIfAbsent(probe, p -> p.fit(backbone, data.train(), TrainingConfig.DEFAULT_EVALUATION_BATCH));
    }

    private void check(RunSpec spec) {
        if (spec.budget().runningStatistics() && backbone.isFolded()) {
            throw new InvalidInputException("run " + spec.runId() + " asks for running batch-norm statistics but the"
                    + " backbone is folded (it has no batch norms)");
        }
        if (!spec.backboneHash().equals(backboneHash)) {
            throw new InvalidInputException("run " + spec.runId() + " names backbone " + spec.backboneHash()
                    + " but this evaluator holds " + backboneHash);
        }
        if (!spec.data().equals(data.spec())) {
            throw new InvalidInputException("run " + spec.runId() + " asks for data " + spec.data()
                    + " but this evaluator holds " + data.spec());
        }
        if (!spec.model().equals(backbone.spec())) {
            throw new InvalidInputException("run " + spec.runId() + " asks for model " + spec.model().label()
                    + " but the backbone is " + backbone.spec().label());
        }
    }

    /** Bytes of cut activations held in memory now. */
    public long cachedCutBytes() {
        synchronized (cuts) {
            return cutBytes;
        }
    }

    /** Cut layers held in memory now, least recently used first. */
    public List<Integer> cachedCuts() {
        synchronized (cuts) {
            return cuts.keySet().stream().map(Cut::layer).toList();
        }
    }

    private Samples[] cutSamples(FineTuneRun run, Quantization q) {
        int layer = run.cutLayer();
        if (layer == 0) {
            return new Samples[] {data.train(), data.validation(), data.test()};
        }
        Cut cut = new Cut(layer, q == null ? "" : q.calibrationKey());
        synchronized (cuts) {
            Samples[] held = cuts.get(cut);
            if (held != null) {
                return held;
            }
        }
        // One thread computes (or reads) a cut; others asking for the same cut wait for it.
        synchronized (cutLocks.computeIfAbsent(cut, c -> new Object())) {
            synchronized (cuts) {
                Samples[] held = cuts.get(cut);
                if (held != null) {
                    return held;
                }
            }
            // The prefix runs from the deepest cut held in memory before this one, not from the
            // images: a cut entry holds everything the layers after it need, and the layers compute
            // the same values from it, bit for bit. A search's cuts are computed in passes over
            // the layers between them, not each one over the whole prefix.
            Samples[] from = {data.train(), data.validation(), data.test()};
            synchronized (cuts) {
                int deepest = 0;
                for (var e : cuts.entrySet()) {
                    if (e.getKey().calibration().equals(cut.calibration()) && e.getKey().layer() < layer
                            && e.getKey().layer() > deepest) {
                        deepest = e.getKey().layer();
                        from = e.getValue();
                    }
                }
            }
            Samples[] made = {
                features(run, data.train(), from[0], "train", cut),
                features(run, data.validation(), from[1], "validation", cut),
                features(run, data.test(), from[2], "test", cut)
            };
            synchronized (cuts) {
                cuts.put(cut, made);
                cutBytes += bytes(made);
                var eldest = cuts.entrySet().iterator();
                while (cutBytes > maxCutBytes && cuts.size() > 1) {
                    var e = eldest.next();
                    cutBytes -= bytes(e.getValue());
                    eldest.remove();
                }
            }
            return made;
        }
    }

    private static long bytes(Samples[] parts) {
        long b = 0;
        for (Samples s : parts) {
            b += 4L * s.values().length;
        }
        return b;
    }

    /**
     * The activations entering {@code cut} of {@code images} (part {@code part} of the task),
     * computed from {@code from}: the same samples entering the network at or before the cut.
     */
    private Samples features(FineTuneRun run, Samples images, Samples from, String part, Cut at) {
        int cut = at.layer();
        if (cache == null || images.count() == 0) {
            return run.prefixFeatures(from);
        }
        int[] chw = FrozenPrefix.entryShape(backbone.layers(), cut);
        TensorShape shape = TensorShape.of(images.count(), chw[0], chw[1], chw[2]);
        CacheKey.Builder builder = CacheKey.builder("frozen-prefix");
        if (!at.calibration().isEmpty()) {
            // Only int8 prefixes carry this entry: fp32 cache keys stay those made before int8 existed.
            builder.put("int8_calibration", at.calibration());
        }
        CacheKey key = builder
                .put("backbone", backboneHash)
                .put("cut", cut)
                .put("dataset", data.spec().dataset())
                .put("part", part)
                .put("train_samples", data.spec().trainSamples())
                .put("val_samples", data.spec().valSamples())
                // The training and validation subsets do not depend on the test subset's size:
                // a report (the whole test split) reuses the search's training and validation cuts.
                .put("test_samples", part.equals("test") ? data.spec().testSamples() : 0)
                .put("subset_seed", data.spec().subsetSeed())
                .put("transform", data.transform().canonical())
                .build();
        try {
            float[] values = cache.getOrCompute(key, shape,
                    out -> System.arraycopy(run.prefixFeatures(from).values(), 0, out, 0, out.length));
            return new Samples(values, images.labels(), chw[0], chw[1], chw[2], cut);
        } catch (IOException e) {
            throw new UncheckedIOException("feature cache " + cache.directory(), e);
        }
    }
}
